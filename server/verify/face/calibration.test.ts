import { describe, expect, it } from 'vitest';
import {
  equalErrorRate,
  identityPairs,
  normalRuleThreshold,
  pairsNeeded,
  ratesAt,
  splitCalibration,
  splitIdentities,
  uniquePairs,
  type Pair,
  type ScoredPair,
} from './calibration.ts';

const identities = new Map([
  ['ann', ['a1', 'a2', 'a3']],
  ['bob', ['b1', 'b2']],
  ['cy', ['c1']],
  ['dee', ['d1', 'd2']],
]);

describe('identity pairs', () => {
  it('builds every unordered pair once, labelled by identity', () => {
    const pairs = identityPairs(identities);
    expect(pairs).toHaveLength((8 * 7) / 2);
    expect(pairs.filter((p) => p.same)).toHaveLength(3 + 1 + 0 + 1);
    expect(pairs).toContainEqual({ a: 'a1', b: 'a3', same: true });
    expect(pairs).toContainEqual({ a: 'b2', b: 'c1', same: false });
  });

  it('merges lists without counting a pair twice in either order', () => {
    const merged = uniquePairs([{ a: 'a3', b: 'a1', same: true }], identityPairs(identities));
    expect(merged).toHaveLength(28);
  });

  it('splits identities into disjoint halves by name, alternately', () => {
    const [a, b] = splitIdentities(identities);
    expect([...a.keys()]).toEqual(['ann', 'cy']);
    expect([...b.keys()]).toEqual(['bob', 'dee']);
  });
});

describe('rates', () => {
  const scored: ScoredPair[] = [
    { a: '1', b: '2', same: true, score: 0.95 },
    { a: '1', b: '3', same: true, score: 0.85 },
    { a: '1', b: '4', same: true, score: null }, // no face: rejected
    { a: '2', b: '5', same: false, score: 0.8 },
    { a: '3', b: '5', same: false, score: 0.9 },
  ];

  it('counts accepts at or above the threshold; a pair without a face is never accepted', () => {
    expect(ratesAt(scored, 0.9)).toEqual({ tar: 1 / 3, far: 0.5, genuine: 3, impostor: 2 });
    expect(ratesAt(scored, 0.5)).toEqual({ tar: 2 / 3, far: 1, genuine: 3, impostor: 2 });
    expect(ratesAt([], 0.5).tar).toBeNaN();
  });

  it('finds the equal error rate: 0 when the scores separate, higher when they overlap', () => {
    const separated: ScoredPair[] = [
      { a: '1', b: '2', same: true, score: 0.95 },
      { a: '1', b: '3', same: false, score: 0.8 },
    ];
    expect(equalErrorRate(separated)).toBe(0);
    expect(equalErrorRate(scored)).toBeGreaterThan(0.3);
  });
});

describe('threshold rule and split', () => {
  it('puts the threshold at impostor mean + 2.326 sd', () => {
    const impostor = [0.7, 0.8, 0.9].map((score, i): ScoredPair => ({ a: `${i}`, b: 'x', same: false, score }));
    // mean 0.8, sample sd 0.1
    expect(normalRuleThreshold(impostor)).toBeCloseTo(0.8 + 2.326 * 0.1, 9);
    expect(normalRuleThreshold(impostor.slice(0, 1))).toBeNaN();
  });

  it('fits on one half of the identities and reports on the other', () => {
    // Same person 0.95; different people 0.4, except pairs with a1 (0.6) or a2/a3 (0.5).
    const score = (p: Pair): ScoredPair => ({ ...p, score: p.same ? 0.95 : p.a === 'a1' ? 0.6 : p.a.startsWith('a') ? 0.5 : 0.4 });
    const [first, second] = splitCalibration(identities, score);
    // Half A (ann, cy): impostors 0.6, 0.5, 0.5 -> 0.533 + 2.326 * 0.0577; reported on half B (bob, dee).
    expect(first?.fitOn).toBe(0);
    expect(first?.threshold).toBeCloseTo(0.5333 + 2.326 * 0.05774, 3);
    expect(first?.heldOut).toEqual({ genuine: 2, impostor: 4, tar: 1, far: 0 });
    // Half B's impostors all score 0.4 (sd 0): its threshold lets every impostor of half A through.
    expect(second?.threshold).toBeCloseTo(0.4, 9);
    expect(second?.heldOut).toEqual({ genuine: 3, impostor: 3, tar: 1, far: 1 });
  });

  it('states how many error-free pairs a claim needs (rule of three)', () => {
    expect(pairsNeeded(0.01)).toBe(300);
    expect(pairsNeeded(0.05)).toBe(60);
  });
});
