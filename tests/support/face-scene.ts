/**
 * Renders camera-like frames from still photos for the liveness evaluation and tests: a
 * procedural background (no files), a "printed photo" (a face crop) placed, rotated, scaled and
 * tilted on it, and per-frame sensor noise. Output is packed RGB, 640x480 by default.
 */
import sharp, { type OverlayOptions } from 'sharp';
import type { FaceBox } from '../../server/verify/face/index.ts';
import { createRng } from '../../server/verify/face/liveness/plan.ts';
import { gaussian } from '../../server/verify/face/liveness/test-support.ts';

export const FRAME_WIDTH = 640;
export const FRAME_HEIGHT = 480;

export interface RgbFrame {
  width: number;
  height: number;
  data: Uint8Array;
  format: 'rgb';
}

/** A room-like background: vertical gradient, a "window" and a "shelf", deterministic. */
export function makeBackground(width = FRAME_WIDTH, height = FRAME_HEIGHT): Uint8Array {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3;
      let r = 150 + (60 * y) / height;
      let g = 140 + (50 * y) / height;
      let b = 125 + (30 * x) / width;
      if (x > width * 0.68 && x < width * 0.92 && y > height * 0.08 && y < height * 0.45) [r, g, b] = [205, 215, 225];
      if (y > height * 0.62 && y < height * 0.66) [r, g, b] = [95, 70, 50];
      data[o] = r;
      data[o + 1] = g;
      data[o + 2] = b;
    }
  }
  return data;
}

/** Crops a face with margin from a photo (box from the engine) as a PNG "print" of `printWidth` px. */
export async function cutPrint(file: string, box: FaceBox, imageSize: { width: number; height: number }, printWidth: number): Promise<Buffer> {
  const margin = 0.45;
  const left = Math.max(0, Math.round(box.x - box.width * margin));
  const top = Math.max(0, Math.round(box.y - box.height * margin * 1.2));
  const right = Math.min(imageSize.width, Math.round(box.x + box.width * (1 + margin)));
  const bottom = Math.min(imageSize.height, Math.round(box.y + box.height * (1 + margin)));
  // One resize per sharp pipeline: first the analysed size, then the crop at print size.
  const normalised = await sharp(file).rotate().resize({ width: imageSize.width, height: imageSize.height, fit: 'fill' }).png().toBuffer();
  return sharp(normalised)
    .extract({ left, top, width: right - left, height: bottom - top })
    .resize({ width: printWidth })
    .png()
    .toBuffer();
}

export interface Placement {
  /** Centre of the print in the frame (pixels). */
  cx: number;
  cy: number;
  /** Scale of the print (1 = as cut). */
  scale: number;
  /** In-plane rotation, degrees. */
  rotation: number;
  /** Tilt about the vertical / horizontal axis, degrees (weak perspective: cos foreshortening). */
  tiltY: number;
  tiltX: number;
}

export const CENTRED: Placement = { cx: FRAME_WIDTH / 2, cy: FRAME_HEIGHT / 2, scale: 1, rotation: 0, tiltY: 0, tiltX: 0 };

async function transformPrint(print: Buffer, p: Placement): Promise<{ input: Buffer; width: number; height: number }> {
  const meta = await sharp(print).metadata();
  const width = Math.max(8, Math.round((meta.width ?? 100) * p.scale * Math.cos((p.tiltY * Math.PI) / 180)));
  const height = Math.max(8, Math.round((meta.height ?? 100) * p.scale * Math.cos((p.tiltX * Math.PI) / 180)));
  const { data, info } = await sharp(print)
    .resize({ width, height, fit: 'fill' })
    .ensureAlpha()
    .rotate(p.rotation, { background: { r: 0, g: 0, b: 0, alpha: 0 } })
    .png()
    .toBuffer({ resolveWithObject: true });
  return { input: data, width: info.width, height: info.height };
}

/** Composites prints onto the background (cropped to the frame), then adds Gaussian noise (sd in grey levels). */
export async function renderFrame(
  background: Uint8Array,
  prints: { print: Buffer; placement: Placement }[],
  noise: { sd: number; seed: number },
): Promise<RgbFrame> {
  const layers: OverlayOptions[] = [];
  for (const { print, placement } of prints) {
    const t = await transformPrint(print, placement);
    let left = Math.round(placement.cx - t.width / 2);
    let top = Math.round(placement.cy - t.height / 2);
    let input = t.input;
    // sharp refuses overlays that stick out of the base image: crop them first.
    const x0 = Math.max(0, -left);
    const y0 = Math.max(0, -top);
    const w = Math.min(t.width - x0, FRAME_WIDTH - Math.max(0, left));
    const h = Math.min(t.height - y0, FRAME_HEIGHT - Math.max(0, top));
    if (w <= 0 || h <= 0) continue;
    if (x0 > 0 || y0 > 0 || w < t.width || h < t.height) {
      input = await sharp(t.input).extract({ left: x0, top: y0, width: w, height: h }).png().toBuffer();
      left = Math.max(0, left);
      top = Math.max(0, top);
    }
    layers.push({ input, left, top });
  }
  const raw = await sharp(background, { raw: { width: FRAME_WIDTH, height: FRAME_HEIGHT, channels: 3 } })
    .composite(layers)
    .removeAlpha()
    .raw()
    .toBuffer();
  const data = new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
  if (noise.sd > 0) {
    const random = createRng(noise.seed);
    for (let i = 0; i < data.length; i++) {
      const v = (data[i] as number) + gaussian(random) * noise.sd;
      data[i] = v < 0 ? 0 : v > 255 ? 255 : v;
    }
  }
  return { width: FRAME_WIDTH, height: FRAME_HEIGHT, data, format: 'rgb' };
}
