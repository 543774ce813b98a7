/**
 * Image helpers for the face evaluations and tests: decode a photo (EXIF-rotated) to packed RGB,
 * percentiles, and the identities of a faces folder. Images are read, never written or logged.
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { FaceImage } from '../../server/verify/face/index.ts';

/** Decodes an image file to RGB, scaled down (never up) to fit `maxSide`. */
export async function loadRgb(file: string, maxSide = 1280): Promise<FaceImage & { format: 'rgb' }> {
  const { data, info } = await sharp(file)
    .rotate()
    .resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), format: 'rgb' };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] as number;
}

export function round(value: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

const IMAGE_EXT = /\.(jpe?g|png|webp)$/i;

/**
 * Identity -> image paths (relative to `dir`): the `identities` map of GROUND_TRUTH.json when it
 * has one, else the folders `dir/identities/<name>/`.
 */
export function readIdentities(dir: string, groundTruth: unknown): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const declared = (groundTruth as { identities?: unknown } | null)?.identities;
  if (declared && typeof declared === 'object' && !Array.isArray(declared)) {
    for (const [name, files] of Object.entries(declared as Record<string, unknown>)) {
      if (Array.isArray(files)) out.set(name, files.filter((f): f is string => typeof f === 'string'));
    }
    return out;
  }
  const root = path.join(dir, 'identities');
  if (!fs.existsSync(root)) return out;
  for (const name of fs.readdirSync(root).sort()) {
    const folder = path.join(root, name);
    if (!fs.statSync(folder).isDirectory()) continue;
    const files = fs.readdirSync(folder).filter((f) => IMAGE_EXT.test(f)).sort();
    out.set(name, files.map((f) => path.join('identities', name, f)));
  }
  return out;
}

/** Packed RGB to planar I420 (BT.601 limited range, as a camera/WebRTC frame would carry it). */
export function rgbToI420(width: number, height: number, rgb: Uint8Array): Uint8Array {
  const cw = (width + 1) >> 1;
  const ch = (height + 1) >> 1;
  const out = new Uint8Array(width * height + 2 * cw * ch);
  const uOffset = width * height;
  const vOffset = uOffset + cw * ch;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3;
      const r = rgb[o] as number;
      const g = rgb[o + 1] as number;
      const b = rgb[o + 2] as number;
      out[y * width + x] = ((66 * r + 129 * g + 25 * b + 128) >> 8) + 16;
      if (y % 2 === 0 && x % 2 === 0) {
        const c = (y >> 1) * cw + (x >> 1);
        out[uOffset + c] = ((-38 * r - 74 * g + 112 * b + 128) >> 8) + 128;
        out[vOffset + c] = ((112 * r - 94 * g - 18 * b + 128) >> 8) + 128;
      }
    }
  }
  return out;
}

/** Mirror an RGB image horizontally (the applicant turned the other way, as far as yaw goes). */
export function mirrorRgb(width: number, height: number, rgb: Uint8Array): Uint8Array {
  const out = new Uint8Array(rgb.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const from = (y * width + x) * 3;
      const to = (y * width + (width - 1 - x)) * 3;
      out[to] = rgb[from] as number;
      out[to + 1] = rgb[from + 1] as number;
      out[to + 2] = rgb[from + 2] as number;
    }
  }
  return out;
}
