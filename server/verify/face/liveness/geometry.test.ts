import { describe, expect, it } from 'vitest';
import type { Point } from '../landmarks.ts';
import { fitHomography, fitSimilarity, median, medianLandmarks, solveLinear } from './geometry.ts';
import { liveFace, NEUTRAL_POSE, photoFace, TEMPLATE_FACE } from './test-support.ts';
import { createRng } from './plan.ts';

const exact = { landmarkPx: 0, angleDeg: 0 };

function keypoints(observation: { keypoints?: readonly Point[] }): readonly Point[] {
  if (!observation.keypoints) throw new Error('no keypoints');
  return observation.keypoints;
}

describe('rigid-motion geometry', () => {
  const random = createRng(1);
  const neutral = keypoints(liveFace(TEMPLATE_FACE, NEUTRAL_POSE, exact, random));

  it('fits a similarity exactly and recovers its parameters', () => {
    const angle = 0.3;
    const moved = neutral.map(([x, y]) => [1.2 * (Math.cos(angle) * x - Math.sin(angle) * y) + 15, 1.2 * (Math.sin(angle) * x + Math.cos(angle) * y) - 7] as const);
    const fit = fitSimilarity(neutral, moved, 90);
    expect(fit.residual).toBeLessThan(1e-9);
    expect(fit.scale).toBeCloseTo(1.2, 9);
    expect(fit.rotation).toBeCloseTo(angle, 9);
  });

  it('maps a flat picture onto its tilted, moved, rolled view with a homography (residual ~0)', () => {
    const flat = keypoints(photoFace(TEMPLATE_FACE, { ...NEUTRAL_POSE, tiltX: 0, tiltY: 0 }, exact, random));
    const tilted = keypoints(photoFace(TEMPLATE_FACE, { ...NEUTRAL_POSE, x: 380, iodPx: 120, roll: 20, tiltX: 25, tiltY: 40 }, exact, random));
    expect(fitHomography(flat, tilted, 90).residual).toBeLessThan(1e-6);
    // ...which a similarity cannot do: the tilt foreshortens.
    expect(fitSimilarity(flat, tilted, 90).residual).toBeGreaterThan(0.05);
  });

  it('leaves a clear residual when a 3-D head turns, and grows with the angle', () => {
    const at = (yaw: number) => fitHomography(neutral, keypoints(liveFace(TEMPLATE_FACE, { ...NEUTRAL_POSE, yaw }, exact, random)), 90).residual;
    expect(at(0)).toBeLessThan(1e-6);
    expect(at(10)).toBeGreaterThan(0.03);
    expect(at(25)).toBeGreaterThan(at(10));
    expect(at(25)).toBeGreaterThan(0.06);
  });

  it('solves linear systems and reports singular ones', () => {
    expect(solveLinear([[2, 1], [1, 3]], [3, 5])).toEqual([expect.closeTo(0.8, 9), expect.closeTo(1.4, 9)]);
    expect(solveLinear([[1, 2], [2, 4]], [1, 2])).toBeNull();
  });

  it('takes per-point medians', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(medianLandmarks([[[0, 0]], [[2, 4]], [[10, 1]]])).toEqual([[2, 1]]);
  });
});
