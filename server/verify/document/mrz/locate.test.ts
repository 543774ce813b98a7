import { describe, expect, it } from 'vitest';
import { estimateTextAngle } from '../gray.ts';
import { findTextLines, groupMrzCandidates, skewMask } from './locate.ts';

/** Paper with `rows` lines of glyph-like dashes, rotated by `degrees` (clockwise). */
function page(rows: number[], degrees: number, width = 800, height = 560) {
  const data = new Uint8Array(width * height).fill(235);
  const r = (degrees * Math.PI) / 180;
  const cx = width / 2;
  const cy = height / 2;
  for (const row of rows) {
    for (let x = 60; x < 740; x += 15) {
      for (let dy = 0; dy < 16; dy++) {
        for (let dx = 0; dx < 9; dx++) {
          const px = x + dx - cx;
          const py = row + dy - cy;
          const rx = Math.round(px * Math.cos(r) - py * Math.sin(r) + cx);
          const ry = Math.round(px * Math.sin(r) + py * Math.cos(r) + cy);
          if (rx >= 0 && rx < width && ry >= 0 && ry < height) data[ry * width + rx] = 20;
        }
      }
    }
  }
  return { width, height, data };
}

describe('MRZ location', () => {
  it('estimates the text direction of a rotated page', () => {
    for (const degrees of [0, 7, -9, 90]) {
      const image = page([420, 450], degrees);
      const { mask, width, height } = skewMask(image);
      const { angle } = estimateTextAngle(mask, width, height);
      const error = Math.abs((((angle - degrees) % 180) + 270) % 180 - 90);
      expect(error).toBeLessThan(1.5);
    }
  });

  it('groups stacked long lines into an MRZ candidate', () => {
    const image = page([420, 450], 0);
    const { lines } = findTextLines(image);
    const [best] = groupMrzCandidates(lines, image);
    expect(best?.lines.length).toBe(2);
    expect(best?.box.y).toBeGreaterThan(400);
  });

  it('finds nothing on a blank page', () => {
    const image = page([], 0);
    expect(groupMrzCandidates(findTextLines(image).lines, image)).toHaveLength(0);
  });
});
