import { describe, expect, it } from 'vitest';
import { cosineSimilarity, DEFAULT_MATCH_THRESHOLD, matchFaces, meanDescriptor } from './match.ts';

describe('face match', () => {
  it('scores identical directions 1, orthogonal 0, opposite -1, whatever the length', () => {
    expect(cosineSimilarity([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 10);
    expect(cosineSimilarity([1, 0], [0, 5])).toBeCloseTo(0, 10);
    expect(cosineSimilarity([1, 1], [-1, -1])).toBeCloseTo(-1, 10);
  });

  it('treats an all-zero descriptor as no match and rejects mismatched lengths', () => {
    expect(cosineSimilarity([0, 0], [1, 1])).toBe(0);
    expect(() => cosineSimilarity([1], [1, 2])).toThrow(RangeError);
    expect(() => cosineSimilarity([], [])).toThrow(RangeError);
  });

  it('accepts at or above the threshold only', () => {
    const a = [1, 0];
    const near = [Math.cos(0.3), Math.sin(0.3)]; // similarity 0.955
    const far = [Math.cos(0.6), Math.sin(0.6)]; // similarity 0.825
    expect(matchFaces(a, near).matched).toBe(true);
    expect(matchFaces(a, far).matched).toBe(false);
    expect(matchFaces(a, near, 0.96)).toMatchObject({ matched: false, threshold: 0.96 });
    expect(matchFaces(a, a, 0.96).matched).toBe(true);
    expect(matchFaces(a, far).threshold).toBe(DEFAULT_MATCH_THRESHOLD);
    expect(() => matchFaces(a, near, 1.5)).toThrow(RangeError);
  });

  it('averages normalised descriptors so no single frame dominates', () => {
    const mean = meanDescriptor([
      [10, 0],
      [0, 1],
    ]);
    expect(cosineSimilarity(mean, [1, 1])).toBeCloseTo(1, 6);
  });
});
