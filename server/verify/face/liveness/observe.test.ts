import { describe, expect, it } from 'vitest';
import { MESH_POINTS, MOTION_KEYPOINTS } from '../landmarks.ts';
import type { DetectedFace, FaceAnalysis } from '../types.ts';
import { meanAbsDiff, ObservationBuilder } from './observe.ts';

function face(embedding: number[] | null, shift = 0): DetectedFace {
  const mesh = new Float32Array(MESH_POINTS * 3);
  for (let i = 0; i < MESH_POINTS; i++) {
    mesh[i * 3] = 100 + (i % 20) * 5 + shift;
    mesh[i * 3 + 1] = 100 + Math.floor(i / 20) * 5;
  }
  return {
    box: { x: 90 + shift, y: 90, width: 120, height: 140 },
    score: 0.9,
    rotation: { yaw: -3, pitch: 2, roll: 0 },
    eyeAspectRatio: { left: 0.3, right: 0.28, mean: 0.29 },
    mouthOpen: 0.05,
    mesh,
    antispoof: 0.7,
    liveness: null,
    embedding: embedding ? Float32Array.from(embedding) : null,
  };
}

function analysis(faces: DetectedFace[]): FaceAnalysis {
  return { width: 64, height: 48, faces, analysisMs: 10 };
}

function grey(value: number) {
  return { width: 64, height: 48, data: new Uint8Array(64 * 48 * 3).fill(value), format: 'rgb' as const };
}

describe('observation builder', () => {
  it('carries pose, eye, mouth and signals, and picks the motion keypoints from the mesh', () => {
    const builder = new ObservationBuilder();
    const obs = builder.add(0, grey(100), analysis([face(null)]));
    expect(obs).toMatchObject({ t: 0, frameDiff: null, frameSize: { width: 64, height: 48 } });
    const [f] = obs.faces;
    expect(f).toMatchObject({ yaw: -3, pitch: 2, ear: 0.29, mouthOpen: 0.05, antispoof: 0.7 });
    expect(f).not.toHaveProperty('liveness');
    expect(f?.keypoints).toHaveLength(MOTION_KEYPOINTS.length);
    expect(f?.keypoints?.[0]).toEqual([100 + (MOTION_KEYPOINTS[0] % 20) * 5, 100 + Math.floor(MOTION_KEYPOINTS[0] / 20) * 5]);
  });

  it('measures the frame difference to the previous frame (0 for identical frames)', () => {
    const builder = new ObservationBuilder();
    builder.add(0, grey(100), analysis([]));
    expect(builder.add(100, grey(100), analysis([])).frameDiff).toBe(0);
    expect(builder.add(200, grey(110), analysis([])).frameDiff).toBeCloseTo(10, 0);
    expect(meanAbsDiff({ width: 2, height: 1, data: new Uint8Array([0, 10]) }, { width: 2, height: 1, data: new Uint8Array([4, 4]) })).toBe(5);
  });

  it('compares descriptors with the first ones, only on single-face frames', () => {
    const builder = new ObservationBuilder(2);
    const first = builder.add(0, grey(100), analysis([face([1, 0, 0])])).faces[0];
    expect(first?.embeddingSimilarityToFirst).toBeCloseTo(1);
    builder.add(100, grey(100), analysis([face([0.9, 0.1, 0])]));
    const other = builder.add(200, grey(100), analysis([face([0, 0, 1])])).faces[0];
    expect(other?.embeddingSimilarityToFirst).toBeCloseTo(0, 5);
    const two = builder.add(300, grey(100), analysis([face([0, 0, 1]), face([0, 1, 0], 200)]));
    expect(two.faces.map((x) => x.embeddingSimilarityToFirst)).toEqual([undefined, undefined]);
  });

  it('leaves out descriptors of a face turned away (quality gate): neither reference nor evidence', () => {
    const builder = new ObservationBuilder(1);
    const turned = { ...face([0, 1, 0]), rotation: { yaw: 35, pitch: 0, roll: 0 } };
    expect(builder.add(0, grey(100), analysis([turned])).faces[0]?.embeddingSimilarityToFirst).toBeUndefined();
    builder.add(100, grey(100), analysis([face([1, 0, 0])]));
    expect(builder.add(200, grey(100), analysis([turned])).faces[0]?.embeddingSimilarityToFirst).toBeUndefined();
    expect(builder.add(300, grey(100), analysis([face([1, 0.1, 0])])).faces[0]?.embeddingSimilarityToFirst).toBeGreaterThan(0.99);
  });
});
