import { describe, expect, it } from 'vitest';
import { INITIAL_CONTINUITY, updateContinuity } from './continuity.ts';

const T = 0.53;
const run = (similarities: (number | null)[]) => similarities.reduce((state, s) => updateContinuity(state, s, T), INITIAL_CONTINUITY);

describe('face continuity', () => {
  it('stays whole while the same face keeps matching', () => {
    expect(run([0.8, 0.75, 0.9])).toMatchObject({ checks: 3, broken: false, minSimilarity: 0.75 });
  });
  it('breaks on two clear misses in a row, and stays broken', () => {
    expect(run([0.8, 0.3, 0.2]).broken).toBe(true);
    expect(run([0.8, 0.3, 0.2, 0.9]).broken).toBe(true);
  });
  it('forgives a single miss (a bad frame) and ignores frames without a clear face', () => {
    expect(run([0.8, 0.3, 0.8, 0.3, null, 0.8]).broken).toBe(false);
    expect(run([null, null]).checks).toBe(0);
  });
});
