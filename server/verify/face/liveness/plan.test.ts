import { describe, expect, it } from 'vitest';
import { DEFAULT_LIVENESS_CONFIG } from './config.ts';
import { createRng, planChallenges, seedFromString } from './plan.ts';

describe('challenge plan', () => {
  const plan = DEFAULT_LIVENESS_CONFIG.plan;

  it('is reproducible from its seed', () => {
    expect(planChallenges(42, plan)).toEqual(planChallenges(42, plan));
    expect(planChallenges('session-1:nonce', plan)).toEqual(planChallenges(seedFromString('session-1:nonce'), plan));
  });

  it('draws distinct challenges, varying subset and order across seeds', () => {
    const plans = Array.from({ length: 50 }, (_, seed) => planChallenges(seed, plan));
    for (const p of plans) {
      expect(p).toHaveLength(plan.count);
      expect(new Set(p).size).toBe(p.length);
    }
    const distinct = new Set(plans.map((p) => p.join(',')));
    expect(distinct.size).toBeGreaterThan(20);
    // Every kind shows up first at least once.
    expect(new Set(plans.map((p) => p[0])).size).toBe(plan.kinds.length);
  });

  it('only uses the enabled kinds and caps the count at what is enabled', () => {
    expect(planChallenges(7, { count: 5, kinds: ['blink', 'open_mouth'] }).sort()).toEqual(['blink', 'open_mouth']);
  });

  it('generates uniform-looking floats in [0, 1)', () => {
    const random = createRng(123);
    const values = Array.from({ length: 10_000 }, random);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    expect(mean).toBeGreaterThan(0.48);
    expect(mean).toBeLessThan(0.52);
  });
});
