import { describe, expect, it } from 'vitest';
import { descriptorQuality, DESCRIPTOR_MAX_YAW_DEG, usableDescriptor } from './quality.ts';

/** A mesh whose outer eye corners (33, 263) are `iod` pixels apart. */
function mesh(iod: number): Float32Array {
  const m = new Float32Array(468 * 3);
  m[33 * 3] = 100;
  m[263 * 3] = 100 + iod;
  return m;
}

const embedding = new Float32Array([0.1, 0.2, 0.3]);
const frontal = { rotation: { yaw: 3, pitch: -5, roll: 10 }, mesh: mesh(80), embedding };

describe('descriptor quality gate', () => {
  it('accepts a near-frontal face of a useful size', () => {
    expect(descriptorQuality(frontal)).toEqual({ usable: true });
    expect(usableDescriptor(frontal)).toBe(embedding);
  });

  it('refuses a face turned away, too small, or without a descriptor', () => {
    expect(descriptorQuality({ ...frontal, rotation: { yaw: -(DESCRIPTOR_MAX_YAW_DEG + 5), pitch: 0, roll: 0 } })).toEqual({ usable: false, reason: 'turned_away' });
    expect(descriptorQuality({ ...frontal, rotation: { yaw: 0, pitch: 28, roll: 0 } })).toEqual({ usable: false, reason: 'turned_away' });
    expect(descriptorQuality({ ...frontal, mesh: mesh(12) })).toEqual({ usable: false, reason: 'too_small' });
    expect(descriptorQuality({ ...frontal, embedding: null })).toEqual({ usable: false, reason: 'no_descriptor' });
    expect(usableDescriptor({ ...frontal, mesh: mesh(12) })).toBeNull();
    expect(usableDescriptor(undefined)).toBeNull();
  });
});
