/**
 * Face-match calibration arithmetic (pure), used by `npm run eval:face`: verification pairs built
 * from identity folders, accept rates at a threshold, the equal error rate, the threshold rule and
 * the split procedure that reports it on identities it was not computed on.
 *
 * Threshold rule: impostor (different-person) similarities are modelled as normal and the
 * threshold put at mean + 2.326 sd, the point a normal model puts FAR at 0.01. Why a model rather
 * than the empirical 99th percentile: a set with a few dozen impostor pairs has no empirical 99th
 * percentile (its largest score is the 97th-98th), so the rule rests on the whole impostor
 * distribution instead of its single highest pair.
 */

export interface Pair {
  a: string;
  b: string;
  same: boolean;
}

export interface ScoredPair extends Pair {
  /** null when a face was not found in one of the images: the pair is then rejected. */
  score: number | null;
}

/** z of the standard normal at 0.99: a threshold at impostor mean + Z_FAR_001 sd has FAR 0.01 under a normal model. */
export const Z_FAR_001 = 2.326;

/** Every same-identity pair and every cross-identity pair of the photos, each unordered pair once. */
export function identityPairs(identities: Map<string, string[]>): Pair[] {
  const entries = [...identities.entries()].flatMap(([name, files]) => files.map((file) => ({ name, file })));
  const pairs: Pair[] = [];
  for (let i = 0; i < entries.length; i++) {
    for (let j = i + 1; j < entries.length; j++) {
      const x = entries[i] as { name: string; file: string };
      const y = entries[j] as { name: string; file: string };
      if (x.file !== y.file) pairs.push({ a: x.file, b: y.file, same: x.name === y.name });
    }
  }
  return pairs;
}

/** Union of pair lists, an unordered image pair counted once (the first label wins). */
export function uniquePairs(...lists: Pair[][]): Pair[] {
  const seen = new Set<string>();
  const out: Pair[] = [];
  for (const pair of lists.flat()) {
    const key = [pair.a, pair.b].sort().join('\u0000');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(pair);
  }
  return out;
}

export interface Rates {
  tar: number;
  far: number;
  genuine: number;
  impostor: number;
}

/** True and false accept rates at `threshold` (score >= threshold accepts); NaN when a side is empty. */
export function ratesAt(scored: ScoredPair[], threshold: number): Rates {
  const genuine = scored.filter((p) => p.same);
  const impostor = scored.filter((p) => !p.same);
  const accepted = (p: ScoredPair) => p.score !== null && p.score >= threshold;
  return {
    tar: genuine.length ? genuine.filter(accepted).length / genuine.length : Number.NaN,
    far: impostor.length ? impostor.filter(accepted).length / impostor.length : Number.NaN,
    genuine: genuine.length,
    impostor: impostor.length,
  };
}

/** Equal error rate: every observed score tried as a threshold; EER where FRR and FAR are closest. */
export function equalErrorRate(scored: ScoredPair[]): number {
  const candidates = [...new Set(scored.map((p) => p.score).filter((s): s is number => s !== null))].sort((x, y) => x - y);
  if (candidates.length === 0) return 1;
  let best = { gap: Number.POSITIVE_INFINITY, eer: 1 };
  for (const t of [...candidates, (candidates[candidates.length - 1] as number) + 1e-9]) {
    const { tar, far } = ratesAt(scored, t);
    const frr = 1 - tar;
    if (Number.isNaN(frr) || Number.isNaN(far)) return Number.NaN;
    const gap = Math.abs(frr - far);
    if (gap < best.gap) best = { gap, eer: (frr + far) / 2 };
  }
  return best.eer;
}

export function meanStd(values: number[]): { mean: number; std: number } {
  if (values.length === 0) return { mean: Number.NaN, std: Number.NaN };
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, values.length - 1);
  return { mean, std: Math.sqrt(variance) };
}

/** The threshold rule: impostor mean + z sd (NaN with fewer than two impostor scores). */
export function normalRuleThreshold(scored: ScoredPair[], z = Z_FAR_001): number {
  const impostor = scored.filter((p) => !p.same && p.score !== null).map((p) => p.score as number);
  if (impostor.length < 2) return Number.NaN;
  const { mean, std } = meanStd(impostor);
  return mean + z * std;
}

/**
 * Splits identities into two disjoint halves by sorted name, alternately (no look at any score),
 * so a threshold computed on one half can be reported on people it never saw.
 */
export function splitIdentities(identities: Map<string, string[]>): [Map<string, string[]>, Map<string, string[]>] {
  const halves: [Map<string, string[]>, Map<string, string[]>] = [new Map(), new Map()];
  [...identities.keys()].sort().forEach((name, i) => halves[i % 2]?.set(name, identities.get(name) ?? []));
  return halves;
}

export interface SplitReport {
  /** Calibrated on this half ... */
  fitOn: 0 | 1;
  threshold: number;
  /** ... and measured on the other. */
  heldOut: Rates;
}

/** Two-fold split calibration: the rule on each half, the rates on the other. */
export function splitCalibration(identities: Map<string, string[]>, score: (pair: Pair) => ScoredPair): SplitReport[] {
  const halves = splitIdentities(identities).map((half) => identityPairs(half).map(score));
  return ([0, 1] as const).map((fitOn) => {
    const threshold = normalRuleThreshold(halves[fitOn] as ScoredPair[]);
    return { fitOn, threshold, heldOut: ratesAt(halves[1 - fitOn] as ScoredPair[], threshold) };
  });
}

/**
 * Pairs needed for a claim with 95% confidence when no error is seen (rule of three): with n
 * impostor pairs and no false accept the 95% upper bound on FAR is about 3/n, so FAR <= 0.01 needs
 * n >= 300 (independent pairs: many photos of few people are correlated, so more in practice);
 * likewise TAR >= 0.95 needs about 60 genuine pairs with no false reject.
 */
export function pairsNeeded(rate: number): number {
  return Math.ceil(3 / rate);
}
