import { describe, expect, it } from 'vitest';
import { eyeAspectRatio, interOcularDistance, LEFT_EYE, MESH_POINTS, MOUTH, mouthOpening, RIGHT_EYE } from './landmarks.ts';

/** A mesh with only the points these measurements use placed; eye `height` is the lid gap. */
function meshWithEyes(height: number, mouthGap: number): Float32Array {
  const mesh = new Float32Array(MESH_POINTS * 3);
  const set = (i: number, x: number, y: number) => {
    mesh[i * 3] = x;
    mesh[i * 3 + 1] = y;
  };
  for (const [eye, cx] of [
    [RIGHT_EYE, 100],
    [LEFT_EYE, 200],
  ] as const) {
    const [p1, p2, p3, p4, p5, p6] = eye;
    // Width 40: corners at cx -/+ 20 (outer corner of the right eye on the left, mirrored for the left eye).
    const outer = eye === RIGHT_EYE ? cx - 20 : cx + 20;
    const inner = eye === RIGHT_EYE ? cx + 20 : cx - 20;
    set(p1, outer, 100);
    set(p4, inner, 100);
    set(p2, (outer * 2 + inner) / 3, 100 - height / 2);
    set(p6, (outer * 2 + inner) / 3, 100 + height / 2);
    set(p3, (outer + inner * 2) / 3, 100 - height / 2);
    set(p5, (outer + inner * 2) / 3, 100 + height / 2);
  }
  set(MOUTH.rightCorner, 120, 200);
  set(MOUTH.leftCorner, 180, 200);
  set(MOUTH.upperInner, 150, 200 - mouthGap / 2);
  set(MOUTH.lowerInner, 150, 200 + mouthGap / 2);
  return mesh;
}

describe('mesh measurements', () => {
  it('computes the eye aspect ratio as lid gap over eye width', () => {
    expect(eyeAspectRatio(meshWithEyes(12, 0))).toMatchObject({ left: expect.closeTo(0.3, 6), right: expect.closeTo(0.3, 6), mean: expect.closeTo(0.3, 6) });
    expect(eyeAspectRatio(meshWithEyes(2, 0)).mean).toBeCloseTo(0.05, 6);
  });

  it('computes mouth opening as inner-lip gap over mouth width', () => {
    expect(mouthOpening(meshWithEyes(12, 0))).toBe(0);
    expect(mouthOpening(meshWithEyes(12, 30))).toBeCloseTo(0.5, 6);
  });

  it('measures the inter-ocular distance between outer eye corners', () => {
    expect(interOcularDistance(meshWithEyes(12, 0))).toBeCloseTo(140, 6);
  });
});
