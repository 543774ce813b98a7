import { describe, expect, it } from 'vitest';
import type { GrayImage } from './gray.ts';
import { assessFrame, frameDifference, glareFraction, sharpness, textBlockArea } from './quality.ts';

/** A grey frame with `lines` dark text-like rows (dashes of glyph size) on light paper. */
function frame(options: { width?: number; height?: number; lines?: number; scale?: number; blur?: number; glare?: boolean; shift?: number } = {}): GrayImage {
  const width = options.width ?? 640;
  const height = options.height ?? 480;
  const data = new Uint8Array(width * height).fill(90);
  const scale = options.scale ?? 1;
  const shift = options.shift ?? 0;
  // Paper (the document) in the middle.
  const paper = { x: Math.round(width * (0.5 - 0.4 * scale)), y: Math.round(height * (0.5 - 0.3 * scale)), w: Math.round(width * 0.8 * scale), h: Math.round(height * 0.6 * scale) };
  for (let y = paper.y; y < paper.y + paper.h; y++) data.fill(225, y * width + paper.x + shift, y * width + paper.x + paper.w + shift);
  const glyph = Math.max(3, Math.round(14 * scale));
  for (let l = 0; l < (options.lines ?? 0); l++) {
    const top = paper.y + Math.round(paper.h * 0.45) + l * Math.round(glyph * 1.8);
    for (let x = paper.x + Math.round(paper.w * 0.08); x < paper.x + paper.w * 0.92; x += Math.round(glyph * 0.8)) {
      for (let y = top; y < top + glyph; y++) for (let dx = 0; dx < Math.round(glyph * 0.5); dx++) data[y * width + x + dx + shift] = 25;
    }
  }
  if (options.glare) for (let y = paper.y; y < paper.y + paper.h; y++) data.fill(255, y * width + paper.x + shift, y * width + paper.x + Math.round(paper.w * 0.5) + shift);
  let image: GrayImage = { width, height, data };
  for (let pass = 0; pass < (options.blur ?? 0); pass++) image = boxBlur(image);
  return image;
}

function boxBlur(image: GrayImage): GrayImage {
  const { width, height, data } = image;
  const out = new Uint8Array(data.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      let n = 0;
      for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) {
        const yy = y + dy;
        const xx = x + dx;
        if (yy >= 0 && yy < height && xx >= 0 && xx < width) {
          sum += data[yy * width + xx] as number;
          n++;
        }
      }
      out[y * width + x] = Math.round(sum / n);
    }
  }
  return { width, height, data: out };
}

describe('document frame quality', () => {
  it('says ok for a sharp, large, steady document', () => {
    const a = frame({ lines: 3 });
    expect(assessFrame(a, frame({ lines: 3 })).guidance).toBe('ok');
  });
  it('finds no document in an empty frame', () => {
    expect(assessFrame(frame({ lines: 0 }), null).guidance).toBe('no_document');
  });
  it('asks to move closer when the text block is small', () => {
    const small = frame({ lines: 3, scale: 0.35 });
    expect(textBlockArea(small).area).toBeLessThan(textBlockArea(frame({ lines: 3 })).area);
    expect(assessFrame(small, null).guidance).toBe('move_closer');
  });
  it('asks to hold still when consecutive frames differ', () => {
    const moved = frame({ lines: 3, shift: 40 });
    expect(frameDifference(frame({ lines: 3 }), moved)).toBeGreaterThan(6);
    expect(assessFrame(moved, frame({ lines: 3 })).guidance).toBe('hold_still');
  });
  it('measures glare and blur', () => {
    expect(glareFraction(frame({ lines: 3, glare: true }))).toBeGreaterThan(glareFraction(frame({ lines: 3 })));
    expect(sharpness(frame({ lines: 3, blur: 3 }))).toBeLessThan(sharpness(frame({ lines: 3 })) / 4);
    expect(assessFrame(frame({ lines: 3, glare: true }), null).guidance).toBe('reduce_glare');
    expect(assessFrame(frame({ lines: 3, blur: 3 }), null).guidance).toBe('too_blurry');
  });
});
