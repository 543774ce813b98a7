import { describe, expect, it } from 'vitest';
import { downscaleGray, i420ToGray, i420ToRgb, i420ToRgba } from './frames.ts';

/** Builds an I420 frame whose 2x2 blocks each carry one (Y, U, V) triple from `blocks` (row-major). */
function blockFrame(width: number, height: number, blockAt: (bx: number, by: number) => [number, number, number]) {
  const cw = (width + 1) >> 1;
  const ch = (height + 1) >> 1;
  const data = new Uint8Array(width * height + 2 * cw * ch);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data[y * width + x] = blockAt(x >> 1, y >> 1)[0];
  }
  for (let by = 0; by < ch; by++) {
    for (let bx = 0; bx < cw; bx++) {
      const [, u, v] = blockAt(bx, by);
      data[width * height + by * cw + bx] = u;
      data[width * height + cw * ch + by * cw + bx] = v;
    }
  }
  return { width, height, data, timestampMs: 0 };
}

function pixel(rgb: { width: number; data: Uint8Array }, x: number, y: number, channels = 3): number[] {
  const o = (y * rgb.width + x) * channels;
  return Array.from(rgb.data.subarray(o, o + channels));
}

function expectNear(actual: number[], expected: number[], tolerance = 2): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((value, i) => expect(Math.abs(value - (expected[i] as number))).toBeLessThanOrEqual(tolerance));
}

// BT.601 limited-range encodings of a few colours.
const RED: [number, number, number] = [81, 90, 240];
const GREEN: [number, number, number] = [145, 54, 34];
const BLUE: [number, number, number] = [41, 240, 110];
const WHITE: [number, number, number] = [235, 128, 128];
const BLACK: [number, number, number] = [16, 128, 128];
const MID_GREY: [number, number, number] = [126, 128, 128];

describe('i420ToRgb', () => {
  it('converts known colours within +-2, with chroma shared by each 2x2 block', () => {
    const palette = [RED, GREEN, BLUE, WHITE, BLACK, MID_GREY];
    const frame = blockFrame(6, 4, (bx, by) => palette[(by * 3 + bx) % palette.length] as [number, number, number]);
    const rgb = i420ToRgb(frame);
    expect(rgb.width).toBe(6);
    expect(rgb.height).toBe(4);
    expect(rgb.data.length).toBe(6 * 4 * 3);
    expectNear(pixel(rgb, 0, 0), [255, 0, 0]);
    expectNear(pixel(rgb, 1, 1), [255, 0, 0]);
    expectNear(pixel(rgb, 2, 0), [0, 255, 0]);
    expectNear(pixel(rgb, 5, 1), [0, 0, 255]);
    expectNear(pixel(rgb, 0, 2), [255, 255, 255]);
    expectNear(pixel(rgb, 3, 3), [0, 0, 0]);
    expectNear(pixel(rgb, 4, 2), [128, 128, 128]);
  });

  it('clamps out-of-range values instead of wrapping', () => {
    const rgb = i420ToRgb(blockFrame(2, 2, () => [255, 255, 255]));
    for (const value of rgb.data) expect(value).toBeGreaterThanOrEqual(0);
    expect(pixel(rgb, 0, 0)[0]).toBe(255);
    const dark = i420ToRgb(blockFrame(2, 2, () => [0, 0, 0]));
    expect(pixel(dark, 1, 1)).toEqual([0, 135, 0]);
  });

  it('handles odd sizes (chroma rounded up)', () => {
    const frame = blockFrame(3, 3, (bx) => (bx === 0 ? RED : BLUE));
    expect(frame.data.length).toBe(9 + 2 * 4);
    const rgb = i420ToRgb(frame);
    expectNear(pixel(rgb, 1, 2), [255, 0, 0]);
    expectNear(pixel(rgb, 2, 2), [0, 0, 255]);
  });

  it('rejects truncated data', () => {
    expect(() => i420ToRgb({ width: 4, height: 4, data: new Uint8Array(10) })).toThrow(RangeError);
    expect(() => i420ToRgb({ width: 0, height: 4, data: new Uint8Array(10) })).toThrow(RangeError);
  });
});

describe('i420ToRgba', () => {
  it('matches i420ToRgb with alpha 255', () => {
    const frame = blockFrame(4, 2, (bx) => (bx === 0 ? GREEN : WHITE));
    const rgb = i420ToRgb(frame);
    const rgba = i420ToRgba(frame);
    expect(rgba.data.length).toBe(4 * 2 * 4);
    for (let i = 0; i < 8; i++) {
      expect(Array.from(rgba.data.subarray(i * 4, i * 4 + 3))).toEqual(Array.from(rgb.data.subarray(i * 3, i * 3 + 3)));
      expect(rgba.data[i * 4 + 3]).toBe(255);
    }
  });
});

describe('i420ToGray', () => {
  it('is a view of the Y plane', () => {
    const frame = blockFrame(4, 4, (bx, by) => [10 + bx * 10 + by * 100, 128, 128]);
    const gray = i420ToGray(frame);
    expect(gray.width).toBe(4);
    expect(gray.data.length).toBe(16);
    expect(Array.from(gray.data.subarray(0, 4))).toEqual([10, 10, 20, 20]);
    expect(gray.data[15]).toBe(120);
    expect(gray.data.buffer).toBe(frame.data.buffer);
  });
});

describe('downscaleGray', () => {
  it('averages factor x factor blocks with rounding and drops partial edges', () => {
    // 5x4 image: values = x + 10*y
    const data = new Uint8Array(20);
    for (let y = 0; y < 4; y++) for (let x = 0; x < 5; x++) data[y * 5 + x] = x + 10 * y;
    const small = downscaleGray({ width: 5, height: 4, data }, 2);
    expect(small.width).toBe(2);
    expect(small.height).toBe(2);
    // block (0,0): 0,1,10,11 -> 5.5 -> 6; block (1,0): 2,3,12,13 -> 7.5 -> 8
    expect(Array.from(small.data)).toEqual([6, 8, 26, 28]);
  });

  it('returns a copy for factor 1 and rejects bad factors', () => {
    const data = new Uint8Array([1, 2, 3, 4]);
    const same = downscaleGray({ width: 2, height: 2, data }, 1);
    expect(Array.from(same.data)).toEqual([1, 2, 3, 4]);
    expect(same.data).not.toBe(data);
    expect(() => downscaleGray({ width: 2, height: 2, data }, 0)).toThrow(RangeError);
    expect(() => downscaleGray({ width: 2, height: 2, data }, 1.5)).toThrow(RangeError);
  });
});
