/**
 * npm run eval:face -- --data DIR [--json] [--threshold X] [--pairs gt|all]
 *
 * Face match on DIR/GROUND_TRUTH.json `pairs[]` ({img_a, img_b, same_person}, paths relative to
 * DIR): the largest face of each image is embedded by the real engine (mesh-aligned chip + dlib
 * ResNet descriptor), pairs are scored by cosine similarity and accepted at the configured
 * threshold. Prints pairs, threshold, true accept rate, false accept rate, equal error rate and
 * the time per embedding (p50 of detect + mesh + alignment + descriptor per image).
 * When DIR has identities (GROUND_TRUTH `identities` or identities/<name>/ folders), it also
 * scores every pair built from them and prints the calibration: the threshold rule (impostor
 * mean + 2.326 sd) on all of them, the same rule fitted on one half of the identities and
 * reported on the other, and how many pairs a FAR <= 0.01 claim would need.
 * `--pairs all` (additive) makes the headline figures and the JSON line cover GROUND_TRUTH pairs
 * plus every pair built from the identities; the default `gt` keeps them on GROUND_TRUTH pairs.
 * With --json the last line is {"pairs":N,"threshold":X,"tar":R,"far":R,"eer":R,"p50_ms":T}.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  equalErrorRate,
  identityPairs,
  meanStd,
  normalRuleThreshold,
  pairsNeeded,
  ratesAt,
  splitCalibration,
  uniquePairs,
  Z_FAR_001,
  type Pair,
  type ScoredPair,
} from '../../server/verify/face/calibration.ts';
import { cosineSimilarity, DEFAULT_MATCH_THRESHOLD, FaceEngine } from '../../server/verify/face/index.ts';
import { loadRgb, percentile, readIdentities, round } from '../support/face-images.ts';

const USAGE = 'usage: npm run eval:face -- --data DIR [--json] [--threshold X] [--pairs gt|all]';

interface Args {
  data: string;
  json: boolean;
  threshold: number;
  pairs: 'gt' | 'all';
}

function say(line = ''): void {
  process.stdout.write(`${line}\n`);
}

function parseArgs(argv: string[]): Args {
  const args: Args = { data: '', json: false, threshold: DEFAULT_MATCH_THRESHOLD, pairs: 'gt' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') args.json = true;
    else if (a === '--data') args.data = argv[++i] ?? '';
    else if (a === '--threshold') {
      args.threshold = Number(argv[++i]);
      if (!(args.threshold > -1 && args.threshold < 1)) throw new Error('--threshold takes a number in (-1, 1)');
    } else if (a === '--pairs') {
      const value = argv[++i];
      if (value !== 'gt' && value !== 'all') throw new Error(`--pairs takes gt or all; ${USAGE}`);
      args.pairs = value;
    } else throw new Error(`unknown argument ${a}; ${USAGE}`);
  }
  if (!args.data) throw new Error(`--data is required; ${USAGE}`);
  return args;
}

function readPairs(dir: string, groundTruth: unknown): Pair[] {
  const list = (groundTruth as { pairs?: unknown }).pairs;
  if (!Array.isArray(list) || list.length === 0) throw new Error(`${path.join(dir, 'GROUND_TRUTH.json')} has no pairs[]`);
  return list.map((p, i) => {
    const { img_a, img_b, same_person } = (p ?? {}) as Record<string, unknown>;
    if (typeof img_a !== 'string' || typeof img_b !== 'string' || typeof same_person !== 'boolean') {
      throw new Error(`pairs[${i}] needs img_a, img_b (strings) and same_person (boolean)`);
    }
    return { a: img_a, b: img_b, same: same_person };
  });
}

function formatRate(rate: number): string {
  return Number.isNaN(rate) ? 'n/a' : rate.toFixed(3);
}

function describeScores(scored: ScoredPair[]): void {
  const genuine = scored.filter((p) => p.same && p.score !== null).map((p) => p.score as number);
  const impostor = scored.filter((p) => !p.same && p.score !== null).map((p) => p.score as number);
  if (genuine.length < 2 || impostor.length < 2) return;
  const g = meanStd(genuine);
  const im = meanStd(impostor);
  say(`  same-person similarity: min ${Math.min(...genuine).toFixed(3)} mean ${g.mean.toFixed(3)} sd ${g.std.toFixed(3)}`);
  say(`  different-person similarity: max ${Math.max(...impostor).toFixed(3)} mean ${im.mean.toFixed(3)} sd ${im.std.toFixed(3)}`);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const dir = path.resolve(args.data);
  const gtFile = path.join(dir, 'GROUND_TRUTH.json');
  if (!fs.existsSync(gtFile)) throw new Error(`${gtFile} not found`);
  const groundTruth: unknown = JSON.parse(fs.readFileSync(gtFile, 'utf8'));
  const gtPairs = readPairs(dir, groundTruth);
  const identities = readIdentities(dir, groundTruth);
  const extra = identityPairs(identities);
  if (args.pairs === 'all' && extra.length === 0) throw new Error(`--pairs all needs identities (GROUND_TRUTH identities or ${path.join(dir, 'identities')}/<name>/)`);
  const headline = args.pairs === 'all' ? uniquePairs(gtPairs, extra) : gtPairs;

  const engine = new FaceEngine({ requestTimeoutMs: 30_000 });
  const started = Date.now();
  await engine.start();
  say(`face engine ready in ${Date.now() - started} ms (${engine.stats().backend})`);

  const embeddings = new Map<string, Float32Array | null>();
  const times: number[] = [];
  const detectTimes: number[] = [];
  let noFace = 0;
  const images = [...new Set([...gtPairs, ...extra].flatMap((p) => [p.a, p.b]))];
  try {
    for (const rel of images) {
      const file = path.resolve(dir, rel);
      if (!fs.existsSync(file)) throw new Error(`image ${rel} listed in GROUND_TRUTH.json not found`);
      const image = await loadRgb(file);
      const t0 = performance.now();
      const analysis = await engine.analyze(image, { wantEmbedding: true, wantSpoofSignals: false });
      times.push(performance.now() - t0);
      // The same image without the descriptor, right after: what the aligned chip + descriptor add.
      const t1 = performance.now();
      await engine.analyze(image, { wantEmbedding: false, wantSpoofSignals: false });
      detectTimes.push(performance.now() - t1);
      const embedding = analysis.faces[0]?.embedding ?? null;
      if (!embedding) noFace++;
      embeddings.set(rel, embedding);
    }
  } finally {
    await engine.close();
  }

  const score = (p: Pair): ScoredPair => {
    const a = embeddings.get(p.a);
    const b = embeddings.get(p.b);
    return { ...p, score: a && b ? cosineSimilarity(a, b) : null };
  };
  const scored = headline.map(score);
  const main = ratesAt(scored, args.threshold);
  const eer = equalErrorRate(scored);
  const p50 = percentile(times, 50);

  say(`data: ${dir}`);
  say(
    `images embedded: ${images.length} (no face found in ${noFace}); time per embedding p50 ${p50.toFixed(1)} ms, p95 ${percentile(times, 95).toFixed(1)} ms ` +
      `(detect + mesh + aligned chip + descriptor, one image, in the worker plus transfer; load average ${os.loadavg()[0]?.toFixed(1)} on ${os.cpus().length} cores)`,
  );
  say(`  of which detect + mesh alone p50 ${percentile(detectTimes, 50).toFixed(1)} ms; the aligned chip + descriptor add p50 ${percentile(times.map((t, i) => t - (detectTimes[i] as number)), 50).toFixed(1)} ms`);
  say(`${args.pairs === 'all' ? 'GROUND_TRUTH + identity pairs' : 'GROUND_TRUTH pairs'}: ${scored.length} (${main.genuine} same person, ${main.impostor} different)`);
  say(`threshold ${args.threshold} (cosine similarity): TAR ${formatRate(main.tar)}  FAR ${formatRate(main.far)}  EER ${formatRate(eer)}`);
  if (args.pairs === 'gt') for (const p of scored) say(`  ${p.same ? 'same' : 'diff'}  ${p.score === null ? 'no face' : p.score.toFixed(3)}  ${p.a} ~ ${p.b}`);

  if (extra.length > 0) {
    const extraScored = extra.map(score);
    const rates = ratesAt(extraScored, args.threshold);
    say('');
    say(`identity pairs (every pair from ${identities.size} identities, ${new Set(extra.flatMap((p) => [p.a, p.b])).size} photos): ${extraScored.length} (${rates.genuine} same, ${rates.impostor} different)`);
    say(`  at threshold ${args.threshold}: TAR ${formatRate(rates.tar)}  FAR ${formatRate(rates.far)}  EER ${formatRate(equalErrorRate(extraScored))}`);
    describeScores(extraScored);
    const rule = normalRuleThreshold(extraScored);
    if (!Number.isNaN(rule)) {
      const at = ratesAt(extraScored, rule);
      say(`  calibration rule, impostor mean + ${Z_FAR_001} sd (normal-model FAR 0.01), on all of them: ${rule.toFixed(3)} -> TAR ${formatRate(at.tar)} FAR ${formatRate(at.far)}`);
    }
    for (const split of splitCalibration(identities, score)) {
      const { heldOut } = split;
      say(
        `  split: rule fitted on identity half ${split.fitOn === 0 ? 'A' : 'B'} -> ${Number.isNaN(split.threshold) ? 'n/a' : split.threshold.toFixed(3)}; ` +
          `on half ${split.fitOn === 0 ? 'B' : 'A'} (${heldOut.genuine} same, ${heldOut.impostor} different): TAR ${formatRate(heldOut.tar)} FAR ${formatRate(heldOut.far)}`,
      );
    }
    for (const p of extraScored.filter((x) => x.same && (x.score === null || x.score < args.threshold))) {
      say(`  rejected same-person pair: ${p.score === null ? 'no face' : p.score.toFixed(3)}  ${p.a} ~ ${p.b}`);
    }
    const falseAccepts = extraScored.filter((x) => !x.same && x.score !== null && x.score >= args.threshold);
    for (const p of falseAccepts.slice(0, 10)) say(`  accepted different-person pair: ${(p.score as number).toFixed(3)}  ${p.a} ~ ${p.b}`);
    if (falseAccepts.length > 10) say(`  ... and ${falseAccepts.length - 10} more accepted different-person pairs`);
    const bound = rates.impostor > 0 ? 3 / rates.impostor : Number.NaN;
    say(
      `  note: with ${rates.impostor} different-person pairs (${(identities.size * (identities.size - 1)) / 2} pairs of people) a FAR of 0 has a 95% upper bound of ~${formatRate(bound)} (rule of three); ` +
        `showing FAR <= 0.01 needs >= ${pairsNeeded(0.01)} independent different-person pairs with none accepted (e.g. 25+ people), and TAR >= 0.95 needs >= ${pairsNeeded(0.05)} same-person pairs with none rejected` +
        `${bound > 0.01 ? ': this set is too small to demonstrate the target' : ''}.`,
    );
  }

  if (args.json) {
    say(
      JSON.stringify({
        pairs: scored.length,
        threshold: args.threshold,
        tar: round(main.tar),
        far: round(main.far),
        eer: round(eer),
        p50_ms: round(p50, 1),
      }),
    );
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`eval:face failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
