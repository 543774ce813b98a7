/**
 * The IO edge of the document readers: turns an uploaded still (JPEG/PNG/WebP bytes) or a raw
 * video frame into a grey image, with limits. Anything that is not a decodable image of a
 * reasonable size becomes a typed `DocumentImageError` whose `reason` can be shown to the
 * applicant ("that file is not a photo", "the photo was cut off", ...).
 */
import sharp, { type Metadata, type Sharp } from 'sharp';
import type { GrayImage } from './gray.ts';

/** Raw pixels, e.g. from a video frame (see server/media/frames.ts converters). */
export interface RawImage {
  width: number;
  height: number;
  /** 1 = grey, 3 = RGB, 4 = RGBA; rows packed. */
  channels: 1 | 3 | 4;
  data: Uint8Array;
}

export type DocumentInput = Buffer | Uint8Array | RawImage;

export type DocumentImageErrorReason = 'not_an_image' | 'unsupported_format' | 'truncated' | 'too_large' | 'too_small';

export class DocumentImageError extends Error {
  override readonly name = 'DocumentImageError';
  /** Another capture may succeed (all image problems are the applicant's to fix). */
  readonly retryable = true;
  constructor(
    readonly reason: DocumentImageErrorReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface DecodeLimits {
  /** Reject inputs with more pixels than this (default 40 megapixels). */
  maxInputPixels?: number;
  /** Long side of the decoded working image; larger inputs are downscaled (default 2400). */
  maxSide?: number;
  /** Reject images whose short side is below this (default 120). */
  minSide?: number;
}

export const ACCEPTED_FORMATS = ['jpeg', 'png', 'webp'] as const;

function isRaw(input: DocumentInput): input is RawImage {
  return !(input instanceof Uint8Array);
}

/** Sharp pipeline for the input, EXIF-rotated, with the pixel limit applied. */
async function openImage(input: DocumentInput, limits: Required<DecodeLimits>): Promise<Sharp> {
  if (isRaw(input)) {
    const { width, height, channels, data } = input;
    if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0 || data.length < width * height * channels) {
      throw new DocumentImageError('not_an_image', 'raw frame has an invalid size');
    }
    if (width * height > limits.maxInputPixels) throw new DocumentImageError('too_large', 'image has too many pixels');
    if (Math.min(width, height) < limits.minSide) throw new DocumentImageError('too_small', 'image is too small to read');
    return sharp(data, { raw: { width, height, channels } });
  }
  const bytes = Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  let metadata: Metadata;
  try {
    metadata = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (error) {
    throw new DocumentImageError('not_an_image', 'the data is not an image', { cause: error });
  }
  if (!ACCEPTED_FORMATS.includes(metadata.format as (typeof ACCEPTED_FORMATS)[number])) {
    throw new DocumentImageError('unsupported_format', 'only JPEG, PNG and WebP images are accepted');
  }
  const width = metadata.width ?? 0;
  const height = metadata.height ?? 0;
  if (width * height > limits.maxInputPixels) throw new DocumentImageError('too_large', 'image has too many pixels');
  if (Math.min(width, height) < limits.minSide) throw new DocumentImageError('too_small', 'image is too small to read');
  return sharp(bytes, { limitInputPixels: limits.maxInputPixels, failOn: 'truncated' }).rotate();
}

/** Decodes to an upright grey image no larger than `maxSide`. */
export async function decodeGray(input: DocumentInput, options: DecodeLimits = {}): Promise<GrayImage> {
  const limits: Required<DecodeLimits> = {
    maxInputPixels: options.maxInputPixels ?? 40_000_000,
    maxSide: options.maxSide ?? 2400,
    minSide: options.minSide ?? 120,
  };
  const image = await openImage(input, limits);
  try {
    const { data, info } = await image
      .resize({ width: limits.maxSide, height: limits.maxSide, fit: 'inside', withoutEnlargement: true })
      .grayscale()
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 1) throw new Error('unexpected channel count');
    return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/premature|truncat|end of (file|stream)|unexpected end|Input buffer/i.test(message)) {
      throw new DocumentImageError('truncated', 'the image is incomplete (truncated)', { cause: error });
    }
    if (/pixel limit/i.test(message)) throw new DocumentImageError('too_large', 'image has too many pixels', { cause: error });
    throw new DocumentImageError('not_an_image', 'the image could not be decoded', { cause: error });
  }
}

/** Rotates a grey image by `degrees` clockwise about its centre, growing the canvas (white fill). */
export async function rotateGray(image: GrayImage, degrees: number): Promise<GrayImage> {
  if (Math.abs(degrees) < 0.05) return image;
  const { data, info } = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 1 } })
    .rotate(degrees, { background: { r: 255, g: 255, b: 255, alpha: 1 } })
    .grayscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, info.width * info.height) };
}

/** Resizes a grey image to the given width (height keeps the aspect ratio). */
export async function resizeGray(image: GrayImage, width: number, height?: number): Promise<GrayImage> {
  const { data, info } = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 1 } })
    .resize({ width: Math.max(1, Math.round(width)), ...(height ? { height: Math.max(1, Math.round(height)), fit: 'fill' as const } : {}), kernel: 'cubic' })
    .grayscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, info.width * info.height) };
}

/** Copies a rectangle (clamped to the image). */
export function cropGray(image: GrayImage, box: { x: number; y: number; width: number; height: number }): GrayImage {
  const x0 = Math.max(0, Math.floor(box.x));
  const y0 = Math.max(0, Math.floor(box.y));
  const x1 = Math.min(image.width, Math.ceil(box.x + box.width));
  const y1 = Math.min(image.height, Math.ceil(box.y + box.height));
  const width = Math.max(1, x1 - x0);
  const height = Math.max(1, y1 - y0);
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height && y0 + y < image.height; y++) {
    out.set(image.data.subarray((y0 + y) * image.width + x0, (y0 + y) * image.width + x0 + width), y * width);
  }
  return { width, height, data: out };
}

/** Encodes a grey image as PNG (lossless, for the OCR engine and for stored crops). */
export async function encodePng(image: GrayImage): Promise<Buffer> {
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: 1 } })
    .png({ compressionLevel: 1 })
    .toBuffer();
}
