/**
 * Pure pixel utilities for verifiers: planar I420 (as delivered in `VideoFrame`) to RGB, RGBA or
 * grey, and a box downscale for grey images. Integer math only; no allocation beyond the output.
 */
import type { VideoFrame } from './types.ts';

/** An 8-bit single-channel image, rows packed without padding. */
export interface GrayImage {
  width: number;
  height: number;
  /** width*height bytes, one luma value (0..255) per pixel. */
  data: Uint8Array;
}

export interface RgbImage {
  width: number;
  height: number;
  /** width*height*3 bytes, R G B per pixel. */
  data: Uint8Array;
}

export interface RgbaImage {
  width: number;
  height: number;
  /** width*height*4 bytes, R G B A per pixel (A = 255). */
  data: Uint8Array;
}

type I420Frame = Pick<VideoFrame, 'width' | 'height' | 'data'>;

interface PlaneLayout {
  chromaWidth: number;
  uOffset: number;
  vOffset: number;
}

/** Plane offsets of an I420 buffer; odd sizes round chroma up, as libwebrtc does. */
function planeLayout(frame: I420Frame): PlaneLayout {
  const { width, height, data } = frame;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new RangeError('I420 frame has an invalid size');
  }
  const chromaWidth = (width + 1) >> 1;
  const chromaHeight = (height + 1) >> 1;
  const lumaSize = width * height;
  const chromaSize = chromaWidth * chromaHeight;
  if (data.length < lumaSize + 2 * chromaSize) {
    throw new RangeError('I420 frame data is shorter than width*height*3/2');
  }
  return { chromaWidth, uOffset: lumaSize, vOffset: lumaSize + chromaSize };
}

function clampByte(value: number): number {
  return value < 0 ? 0 : value > 255 ? 255 : value;
}

/**
 * Writes BT.601 limited-range RGB for every pixel into `out` (`stride` bytes per pixel; a 4th
 * byte, when present, is set to 255).
 */
function convertI420(frame: I420Frame, out: Uint8Array, stride: 3 | 4): void {
  const { width, height, data } = frame;
  const { chromaWidth, uOffset, vOffset } = planeLayout(frame);
  let o = 0;
  for (let y = 0; y < height; y++) {
    const yRow = y * width;
    const cRow = (y >> 1) * chromaWidth;
    for (let x = 0; x < width; x++) {
      const c = 298 * ((data[yRow + x] as number) - 16) + 128;
      const ci = cRow + (x >> 1);
      const d = (data[uOffset + ci] as number) - 128;
      const e = (data[vOffset + ci] as number) - 128;
      out[o] = clampByte((c + 409 * e) >> 8);
      out[o + 1] = clampByte((c - 100 * d - 208 * e) >> 8);
      out[o + 2] = clampByte((c + 516 * d) >> 8);
      if (stride === 4) out[o + 3] = 255;
      o += stride;
    }
  }
}

/** I420 to packed RGB24 (BT.601, limited range: Y 16..235 maps to 0..255). */
export function i420ToRgb(frame: I420Frame): RgbImage {
  const out = new Uint8Array(frame.width * frame.height * 3);
  convertI420(frame, out, 3);
  return { width: frame.width, height: frame.height, data: out };
}

/** I420 to packed RGBA (alpha 255), e.g. for canvas-like consumers and tfjs `fromPixels`. */
export function i420ToRgba(frame: I420Frame): RgbaImage {
  const out = new Uint8Array(frame.width * frame.height * 4);
  convertI420(frame, out, 4);
  return { width: frame.width, height: frame.height, data: out };
}

/**
 * The luma plane as a grey image. This is a view that shares memory with `frame.data` (no copy):
 * copy it (`data.slice()`) before modifying it.
 */
export function i420ToGray(frame: I420Frame): GrayImage {
  planeLayout(frame);
  return { width: frame.width, height: frame.height, data: frame.data.subarray(0, frame.width * frame.height) };
}

/**
 * Box-filter downscale by an integer factor (each output pixel is the rounded mean of a
 * factor x factor block). Edge pixels that do not fill a whole block are dropped.
 */
export function downscaleGray(gray: GrayImage, factor: number): GrayImage {
  if (!Number.isInteger(factor) || factor < 1) throw new RangeError('downscale factor must be an integer >= 1');
  const { width, height, data } = gray;
  if (data.length < width * height) throw new RangeError('grey image data is shorter than width*height');
  if (factor === 1) return { width, height, data: data.slice(0, width * height) };
  const outWidth = Math.floor(width / factor);
  const outHeight = Math.floor(height / factor);
  const out = new Uint8Array(outWidth * outHeight);
  const area = factor * factor;
  const half = area >> 1;
  for (let oy = 0; oy < outHeight; oy++) {
    for (let ox = 0; ox < outWidth; ox++) {
      let sum = 0;
      const x0 = ox * factor;
      for (let dy = 0; dy < factor; dy++) {
        const row = (oy * factor + dy) * width + x0;
        for (let dx = 0; dx < factor; dx++) sum += data[row + dx] as number;
      }
      out[oy * outWidth + ox] = ((sum + half) / area) | 0;
    }
  }
  return { width: outWidth, height: outHeight, data: out };
}
