/**
 * Finding the machine-readable zone in a grey image (pure, no OCR).
 *
 * 1. Local-contrast ink mask on a downscaled copy.
 * 2. Text direction by projection-profile search over the half circle (`estimateTextAngle`):
 *    handles any small skew and 90° rotations; a 180° ambiguity is left to the OCR step.
 * 3. On the deskewed mask, characters are joined into line blobs by closing short horizontal
 *    gaps (RLSA, gap relative to the image width); MRZ lines are long, thin, dense blobs.
 * 4. Two or three such lines stacked at a regular pitch with the same left edge and length form
 *    an MRZ candidate. Candidates are ranked; the OCR step tries them in order and the check
 *    digits decide.
 */
import { connectedComponents, inkMask, smearRows, type Box, type Component, type GrayImage } from '../gray.ts';

export interface LineBlob extends Box {
  /** Share of the blob's box covered by ink after smearing (0..1). */
  fill: number;
}

export interface MrzCandidate {
  /** Union of the lines, in the coordinates of the analysed (deskewed) image. */
  box: Box;
  lines: LineBlob[];
  /** Median line height in pixels. */
  lineHeight: number;
  score: number;
}

const WORK_SIDE = 1000;
/** Print must be this much darker than its surroundings (relative, absolute): MRZ print is dark. */
const INK_K = Number(process.env.INK_K ?? 0.25);
const INK_CONTRAST = Number(process.env.INK_C ?? 40);

/** Line blobs of the (already deskewed) image, in its own coordinates. */
export function findTextLines(image: GrayImage): { lines: LineBlob[]; scale: number } {
  const scale = Math.min(1, WORK_SIDE / Math.max(image.width, image.height));
  const small = scale < 1 ? boxDownscale(image, scale) : image;
  const { width, height } = small;
  const window = Math.max(15, Math.round(Math.max(width, height) / 35) | 1);
  const mask = inkMask(small, window, INK_K, INK_CONTRAST);
  // Gaps between characters scale with the print, not the picture: a close-up's filler runs
  // ('<' is narrow) would otherwise break into pieces.
  const gap = Math.max(3, Math.round(0.02 * Math.max(width, height)), Math.round(0.8 * characterHeight(mask, width, height)));
  const smeared = smearRows(mask, width, height, gap);
  const components = connectedComponents(smeared, width, height, 20);
  const lines: LineBlob[] = [];
  for (const c of components) {
    if (c.width < 0.12 * Math.max(width, height) || c.height < 3) continue;
    if (c.width < 8 * c.height) continue;
    const fill = c.pixels / (c.width * c.height);
    if (fill < 0.35) continue;
    lines.push({ ...scaleBox(c, 1 / scale), fill });
  }
  return { lines, scale };
}

/**
 * Typical height of the larger characters on the page (upper quartile of character-shaped ink
 * blobs), 0 when there are too few to tell.
 */
function characterHeight(mask: Uint8Array, width: number, height: number): number {
  const maxSide = Math.max(width, height);
  const heights = connectedComponents(mask, width, height, 4)
    .filter((c) => c.height >= 5 && c.height <= maxSide / 8 && c.width <= 1.5 * c.height)
    .map((c) => c.height)
    .sort((a, b) => a - b);
  if (heights.length < 20) return 0;
  return heights[Math.floor(heights.length * 0.75)] as number;
}

function scaleBox(box: Box | Component, factor: number): Box {
  return { x: box.x * factor, y: box.y * factor, width: box.width * factor, height: box.height * factor };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function union(boxes: Box[]): Box {
  const x0 = Math.min(...boxes.map((b) => b.x));
  const y0 = Math.min(...boxes.map((b) => b.y));
  const x1 = Math.max(...boxes.map((b) => b.x + b.width));
  const y1 = Math.max(...boxes.map((b) => b.y + b.height));
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/** Two lines that could be consecutive MRZ lines. */
function stackable(a: LineBlob, b: LineBlob): boolean {
  const h = Math.max(a.height, b.height);
  const w = Math.max(a.width, b.width);
  if (Math.min(a.height, b.height) < 0.5 * h) return false;
  // Same left edge and similar length (fillers make all MRZ lines full length; allow for a
  // short read on one side).
  const leftClose = Math.abs(a.x - b.x) <= 0.08 * w + h;
  const rightClose = Math.abs(a.x + a.width - (b.x + b.width)) <= 0.08 * w + h;
  if (!leftClose && !rightClose) return false;
  if (Math.min(a.width, b.width) < 0.7 * w) return false;
  const pitch = b.y + b.height / 2 - (a.y + a.height / 2);
  const lineHeight = (a.height + b.height) / 2;
  return pitch >= 1.05 * lineHeight && pitch <= 3.2 * lineHeight;
}

/** Ranks MRZ candidates among the line blobs: groups of 2-3 stacked lines, then single lines. */
export function groupMrzCandidates(lines: LineBlob[], image: { width: number; height: number }): MrzCandidate[] {
  const sorted = [...lines].sort((a, b) => a.y + a.height / 2 - (b.y + b.height / 2));
  const candidates: MrzCandidate[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const first = sorted[i] as LineBlob;
    const chain = [first];
    for (let j = i + 1; j < sorted.length && chain.length < 3; j++) {
      const next = sorted[j] as LineBlob;
      if (stackable(chain[chain.length - 1] as LineBlob, next)) chain.push(next);
    }
    for (let n = chain.length; n >= 1; n--) {
      const group = chain.slice(0, n);
      const lineHeight = median(group.map((l) => l.height));
      const box = union(group);
      const aspect = box.width / lineHeight;
      // MRZ lines have 30-44 characters of pitch ~0.6-0.8 x height: aspect ~15-45.
      const aspectFit = aspect >= 12 && aspect <= 60 ? 1 : 0.5;
      const fill = group.reduce((s, l) => s + l.fill, 0) / group.length;
      const lowness = (box.y + box.height) / image.height;
      const score = (n >= 2 ? n : 0.5) * aspectFit * (0.5 + fill) * (box.width / Math.max(image.width, image.height) + 0.3) * (0.8 + 0.4 * lowness);
      candidates.push({ box, lines: group, lineHeight, score });
    }
  }
  candidates.sort((a, b) => b.score - a.score);
  // Drop candidates that are contained in a better one with the same lines.
  const out: MrzCandidate[] = [];
  for (const c of candidates) {
    if (out.some((o) => contains(o.box, c.box) && o.lines.length >= c.lines.length)) continue;
    out.push(c);
  }
  return out;
}

function contains(outer: Box, inner: Box): boolean {
  return (
    inner.x >= outer.x - 1 &&
    inner.y >= outer.y - 1 &&
    inner.x + inner.width <= outer.x + outer.width + 1 &&
    inner.y + inner.height <= outer.y + outer.height + 1
  );
}

/** Area-averaging downscale by a real factor (< 1). */
export function boxDownscale(image: GrayImage, scale: number): GrayImage {
  const width = Math.max(1, Math.round(image.width * scale));
  const height = Math.max(1, Math.round(image.height * scale));
  const out = new Uint8Array(width * height);
  const fx = image.width / width;
  const fy = image.height / height;
  for (let y = 0; y < height; y++) {
    const sy0 = Math.floor(y * fy);
    const sy1 = Math.max(sy0 + 1, Math.min(image.height, Math.floor((y + 1) * fy)));
    for (let x = 0; x < width; x++) {
      const sx0 = Math.floor(x * fx);
      const sx1 = Math.max(sx0 + 1, Math.min(image.width, Math.floor((x + 1) * fx)));
      let sum = 0;
      for (let sy = sy0; sy < sy1; sy++) {
        const row = sy * image.width;
        for (let sx = sx0; sx < sx1; sx++) sum += image.data[row + sx] as number;
      }
      out[y * width + x] = Math.round(sum / ((sy1 - sy0) * (sx1 - sx0)));
    }
  }
  return { width, height, data: out };
}

/**
 * Ink mask of a downscaled copy for the skew search, keeping only character-sized blobs (so
 * long edges, wood grain, photo borders or black bars do not vote for a direction).
 */
export function skewMask(image: GrayImage): { mask: Uint8Array; width: number; height: number } {
  const scale = Math.min(1, 700 / Math.max(image.width, image.height));
  const small = scale < 1 ? boxDownscale(image, scale) : image;
  const { width, height } = small;
  const window = Math.max(15, Math.round(Math.max(width, height) / 35) | 1);
  const mask = inkMask(small, window, INK_K, INK_CONTRAST);
  const labels = new Int32Array(width * height);
  const components = connectedComponents(mask, width, height, 1, labels);
  const maxSize = Math.max(8, Math.max(width, height) / 15);
  const keep = new Uint8Array(components.length + 1);
  components.forEach((c, i) => {
    keep[i + 1] = c.pixels >= 3 && c.width <= maxSize && c.height <= maxSize ? 1 : 0;
  });
  for (let i = 0; i < mask.length; i++) if (mask[i] && !keep[labels[i] as number]) mask[i] = 0;
  return { mask, width, height };
}
