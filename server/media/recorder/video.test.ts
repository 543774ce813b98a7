import { describe, expect, it } from 'vitest';
import { I420Scaler, framesDue, i420Size, recordingSize } from './video.ts';

function frame(width: number, height: number, fill: (plane: 'y' | 'u' | 'v', x: number, y: number) => number) {
  const cw = Math.ceil(width / 2);
  const ch = Math.ceil(height / 2);
  const data = new Uint8Array(i420Size(width, height));
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = fill('y', x, y);
  for (let y = 0; y < ch; y++) {
    for (let x = 0; x < cw; x++) {
      data[width * height + y * cw + x] = fill('u', x, y);
      data[width * height + cw * ch + y * cw + x] = fill('v', x, y);
    }
  }
  return { width, height, data };
}

describe('framesDue', () => {
  it('counts the frame slots of a fixed-rate timeline that have begun', () => {
    expect(framesDue(1000, 1000, 15)).toBe(0);
    expect(framesDue(1000, 1001, 15)).toBe(1);
    expect(framesDue(1000, 1000 + 1000 / 15, 15)).toBe(1);
    expect(framesDue(1000, 1067, 15)).toBe(2);
    expect(framesDue(1000, 11_000, 15)).toBe(150);
    expect(framesDue(1000, 500, 15)).toBe(0);
  });
});

describe('I420Scaler', () => {
  it('copies a frame of the output size', () => {
    const input = frame(4, 2, (plane, x) => (plane === 'y' ? x : plane === 'u' ? 50 : 60));
    const out = new I420Scaler(4, 2).scale(input);
    expect(out).toEqual(input.data);
    expect(out).not.toBe(input.data);
  });

  it('resizes by nearest neighbour, every plane', () => {
    const input = frame(2, 2, (plane, x, y) => (plane === 'y' ? 10 * y + x : plane === 'u' ? 77 : 88));
    const out = new I420Scaler(4, 4).scale(input);
    expect([...out.subarray(0, 16)]).toEqual([0, 0, 1, 1, 0, 0, 1, 1, 10, 10, 11, 11, 10, 10, 11, 11]);
    expect([...out.subarray(16, 20)]).toEqual([77, 77, 77, 77]);
    expect([...out.subarray(20, 24)]).toEqual([88, 88, 88, 88]);

    const down = new I420Scaler(2, 2).scale(frame(4, 4, (plane, x, y) => (plane === 'y' ? 10 * y + x : 5)));
    expect([...down.subarray(0, 4)]).toEqual([11, 13, 31, 33]);
  });

  it('handles odd input sizes (chroma rounded up) and refuses short buffers', () => {
    const odd = frame(3, 3, (plane) => (plane === 'y' ? 1 : plane === 'u' ? 2 : 3));
    expect(odd.data.length).toBe(9 + 2 * 4);
    const size = recordingSize(3, 3);
    expect(size).toEqual({ width: 2, height: 2 });
    const out = new I420Scaler(size.width, size.height).scale(odd);
    expect([...out]).toEqual([1, 1, 1, 1, 2, 3]);
    expect(() => new I420Scaler(2, 2).scale({ width: 4, height: 4, data: new Uint8Array(10) })).toThrow(RangeError);
    expect(() => new I420Scaler(3, 2)).toThrow(RangeError);
  });
});
