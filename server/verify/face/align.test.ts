import { describe, expect, it } from 'vitest';
import { ALIGNMENT_POINTS, applySimilarity, chipTemplate, chipTransform, CHIP_SIZE, cutChip, similarityTransform } from './align.ts';

/** A flat mesh (468 points) whose alignment points sit at `place(template point)`. */
function meshWith(place: (p: [number, number]) => [number, number]): Float32Array {
  const mesh = new Float32Array(468 * 3);
  chipTemplate().forEach((p, i) => {
    const index = (ALIGNMENT_POINTS[i] as { mesh: number }).mesh;
    const [x, y] = place(p);
    mesh[index * 3] = x;
    mesh[index * 3 + 1] = y;
  });
  return mesh;
}

describe('similarityTransform', () => {
  it('recovers a known rotation, scale and shift exactly', () => {
    const truth = { a: 1.7 * Math.cos(0.4), b: 1.7 * Math.sin(0.4), tx: 31, ty: -12 };
    const from: [number, number][] = [[0, 0], [10, 3], [4, 17], [-6, 9]];
    const to = from.map((p) => applySimilarity(truth, p));
    const m = similarityTransform(from, to);
    expect(m.a).toBeCloseTo(truth.a, 9);
    expect(m.b).toBeCloseTo(truth.b, 9);
    expect(m.tx).toBeCloseTo(truth.tx, 9);
    expect(m.ty).toBeCloseTo(truth.ty, 9);
  });

  it('refuses too few or coincident points', () => {
    expect(() => similarityTransform([[1, 1]], [[2, 2]])).toThrow(RangeError);
    expect(() => similarityTransform([[1, 1], [1, 1]], [[0, 0], [1, 1]])).toThrow(/coincide/);
  });
});

describe('chip alignment', () => {
  it('puts the eyes level and the points on the template whatever the roll, scale and position of the face', () => {
    // The face in the image: the template rotated by 30 degrees, scaled 2.5x, moved.
    const angle = Math.PI / 6;
    const pose = { a: 2.5 * Math.cos(angle), b: 2.5 * Math.sin(angle), tx: 400, ty: 120 };
    const m = chipTransform(meshWith((p) => applySimilarity(pose, p)));
    // (The mesh is float32: a few 1e-5 pixels of rounding.)
    for (const target of chipTemplate()) {
      const [x, y] = applySimilarity(m, applySimilarity(pose, target));
      expect(x).toBeCloseTo(target[0], 3);
      expect(y).toBeCloseTo(target[1], 3);
    }
    // The template itself: eyes level, symmetric about the chip's centre line, inside the chip.
    const t = chipTemplate();
    expect((t[0] as [number, number])[1]).toBeCloseTo((t[3] as [number, number])[1], 6);
    expect((t[0] as [number, number])[0] + (t[3] as [number, number])[0]).toBeCloseTo(CHIP_SIZE * (0.121737 + 0.858516 + 0.5) / 1.5, 3);
    for (const [x, y] of t) {
      expect(x).toBeGreaterThan(0);
      expect(x).toBeLessThan(CHIP_SIZE);
      expect(y).toBeGreaterThan(0);
      expect(y).toBeLessThan(CHIP_SIZE);
    }
  });

  it('samples the image through the transform (bilinear, edges repeated)', () => {
    // A 4x2 image whose red channel is 10 * x, green 100 * y.
    const width = 4;
    const height = 2;
    const rgb = new Uint8Array(width * height * 3);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) rgb.set([10 * x, 100 * y, 7], (y * width + x) * 3);
    // Chip pixel (u, v) = image (u / 2 + 0.5, v / 2): scale 2, shift -1.
    const chip = cutChip(rgb, width, height, { a: 2, b: 0, tx: -1, ty: 0 }, 4);
    const at = (u: number, v: number) => Array.from(chip.slice((v * 4 + u) * 3, (v * 4 + u) * 3 + 3));
    expect(at(0, 0)).toEqual([5, 0, 7]);
    expect(at(2, 1)).toEqual([15, 50, 7]);
    expect(at(3, 3)).toEqual([20, 100, 7]); // beyond the last row: the edge repeats
  });

  it('rejects a mesh without the alignment points and short image data', () => {
    expect(() => chipTransform(new Float32Array(30))).toThrow(/too short/);
    expect(() => cutChip(new Uint8Array(5), 4, 4, { a: 1, b: 0, tx: 0, ty: 0 })).toThrow(RangeError);
  });
});
