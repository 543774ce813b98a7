/**
 * Pure operations on 8-bit grey images used by the document readers and the frame-quality
 * checks: integral images, local-contrast "ink" masks, binarisation, connected components and a
 * projection-profile skew search. No IO, no allocation beyond the outputs.
 */
import type { GrayImage } from '../../media/frames.ts';

export type { GrayImage };

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Summed-area table with one extra row and column of zeros ((w+1)*(h+1) entries). */
export function integralImage(image: GrayImage): Float64Array {
  const { width, height, data } = image;
  const stride = width + 1;
  const sum = new Float64Array(stride * (height + 1));
  for (let y = 0; y < height; y++) {
    let row = 0;
    for (let x = 0; x < width; x++) {
      row += data[y * width + x] as number;
      sum[(y + 1) * stride + x + 1] = (sum[y * stride + x + 1] as number) + row;
    }
  }
  return sum;
}

function boxMean(sum: Float64Array, stride: number, x0: number, y0: number, x1: number, y1: number): number {
  const area = (x1 - x0) * (y1 - y0);
  const total =
    (sum[y1 * stride + x1] as number) -
    (sum[y0 * stride + x1] as number) -
    (sum[y1 * stride + x0] as number) +
    (sum[y0 * stride + x0] as number);
  return total / area;
}

/**
 * Marks pixels clearly darker than their neighbourhood (dark print on a lighter background):
 * pixel < mean(window) * (1 - k) and pixel < mean - minContrast. Returns 1 for ink, 0 otherwise.
 */
export function inkMask(image: GrayImage, window: number, k = 0.15, minContrast = 12): Uint8Array {
  const { width, height, data } = image;
  const sum = integralImage(image);
  const stride = width + 1;
  const half = Math.max(1, window >> 1);
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const y0 = Math.max(0, y - half);
    const y1 = Math.min(height, y + half + 1);
    for (let x = 0; x < width; x++) {
      const x0 = Math.max(0, x - half);
      const x1 = Math.min(width, x + half + 1);
      const mean = boxMean(sum, stride, x0, y0, x1, y1);
      const v = data[y * width + x] as number;
      if (v < mean * (1 - k) && v < mean - minContrast) out[y * width + x] = 1;
    }
  }
  return out;
}

/** Binarises (0 ink / 255 paper) with the same local rule as `inkMask`. */
export function binarize(image: GrayImage, window: number, k = 0.12, minContrast = 10): GrayImage {
  const mask = inkMask(image, window, k, minContrast);
  const data = new Uint8Array(mask.length);
  for (let i = 0; i < mask.length; i++) data[i] = mask[i] ? 0 : 255;
  return { width: image.width, height: image.height, data };
}

/** Closes horizontal gaps of at most `gap` pixels between ink runs in each row (RLSA). */
export function smearRows(mask: Uint8Array, width: number, height: number, gap: number): Uint8Array {
  const out = mask.slice();
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let last = -1;
    for (let x = 0; x < width; x++) {
      if (mask[row + x]) {
        if (last >= 0 && x - last - 1 <= gap) out.fill(1, row + last + 1, row + x);
        last = x;
      }
    }
  }
  return out;
}

export interface Component extends Box {
  /** Number of set pixels. */
  pixels: number;
}

/**
 * 4-connected components of a 0/1 mask (iterative, no recursion). When `labels` is given it
 * receives, per pixel, 1 + the index of its component in the result (0 = background); then
 * `minPixels` must be 1 so that indices line up.
 */
export function connectedComponents(
  mask: Uint8Array,
  width: number,
  height: number,
  minPixels = 1,
  labels: Int32Array = new Int32Array(width * height),
): Component[] {
  const stack = new Int32Array(width * height);
  const components: Component[] = [];
  let next = 1;
  for (let start = 0; start < mask.length; start++) {
    if (!mask[start] || labels[start]) continue;
    let top = 0;
    stack[top++] = start;
    labels[start] = next;
    let minX = width;
    let minY = height;
    let maxX = -1;
    let maxY = -1;
    let pixels = 0;
    while (top > 0) {
      const p = stack[--top] as number;
      const x = p % width;
      const y = (p - x) / width;
      pixels++;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
      if (x > 0 && mask[p - 1] && !labels[p - 1]) {
        labels[p - 1] = next;
        stack[top++] = p - 1;
      }
      if (x < width - 1 && mask[p + 1] && !labels[p + 1]) {
        labels[p + 1] = next;
        stack[top++] = p + 1;
      }
      if (y > 0 && mask[p - width] && !labels[p - width]) {
        labels[p - width] = next;
        stack[top++] = p - width;
      }
      if (y < height - 1 && mask[p + width] && !labels[p + width]) {
        labels[p + width] = next;
        stack[top++] = p + width;
      }
    }
    next++;
    if (pixels >= minPixels) {
      components.push({ x: minX, y: minY, width: maxX - minX + 1, height: maxY - minY + 1, pixels });
    }
  }
  return components;
}

/**
 * Dominant text-line direction in degrees, in [-90, 90): the angle φ (clockwise positive, image
 * y axis pointing down) whose normal projection of the ink pixels has the most concentrated
 * profile (largest sum of squared bin counts). Rotating the image by -φ makes the lines
 * horizontal (either upright or upside down). Coarse 1° search over the half circle, then a
 * 0.1° refinement.
 */
export function estimateTextAngle(mask: Uint8Array, width: number, height: number, maxSamples = 60_000): { angle: number; strength: number } {
  let count = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i]) count++;
  if (count < 50) return { angle: 0, strength: 0 };
  const step = Math.max(1, Math.ceil(count / maxSamples));
  const xs = new Float32Array(Math.ceil(count / step) + 1);
  const ys = new Float32Array(xs.length);
  let n = 0;
  let seen = 0;
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) continue;
    if (seen++ % step !== 0) continue;
    xs[n] = (i % width) - width / 2;
    ys[n] = Math.floor(i / width) - height / 2;
    n++;
  }
  const diagonal = Math.ceil(Math.hypot(width, height)) + 2;
  const bins = new Float64Array(diagonal);
  const score = (deg: number): number => {
    const r = (deg * Math.PI) / 180;
    const s = Math.sin(r);
    const c = Math.cos(r);
    bins.fill(0);
    const offset = diagonal / 2;
    for (let i = 0; i < n; i++) {
      const p = Math.floor(-(xs[i] as number) * s + (ys[i] as number) * c + offset);
      bins[p] = (bins[p] as number) + 1;
    }
    let sq = 0;
    for (let i = 0; i < diagonal; i++) sq += (bins[i] as number) * (bins[i] as number);
    return sq / (n * n);
  };
  let best = 0;
  let bestScore = -1;
  for (let deg = -90; deg < 90; deg += 1) {
    const v = score(deg);
    if (v > bestScore) {
      bestScore = v;
      best = deg;
    }
  }
  let refined = best;
  for (let deg = best - 1; deg <= best + 1.0001; deg += 0.1) {
    const v = score(deg);
    if (v > bestScore) {
      bestScore = v;
      refined = deg;
    }
  }
  let angle = Math.round(refined * 10) / 10;
  if (angle >= 90) angle -= 180;
  if (angle < -90) angle += 180;
  return { angle, strength: bestScore * diagonal };
}
