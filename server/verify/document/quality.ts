/**
 * Frame quality for document capture (pure, on grey frames): is a document in view, is it big
 * enough, sharp, free of glare and held still? Turns the measures into one guidance code for the
 * applicant. Measures are normalised so that thresholds do not depend on the camera resolution:
 * everything is computed on a copy downscaled to ~640 px wide.
 */
import { downscaleGray } from '../../media/frames.ts';
import { connectedComponents, inkMask, smearRows, type Box, type GrayImage } from './gray.ts';

export type FrameGuidance = 'no_document' | 'move_closer' | 'hold_still' | 'reduce_glare' | 'too_blurry' | 'ok';

export interface FrameQuality {
  /**
   * Variance of the Laplacian over the variance of the intensity in the text area (higher =
   * sharper; dividing by the contrast makes it independent of lighting).
   */
  sharpness: number;
  /** Share of near-saturated pixels (>= 250) in the document area around the text. */
  glare: number;
  /** Area of the text block (line blobs) relative to the frame, 0..1. */
  textArea: number;
  /** Text block bounding box in frame coordinates, or null. */
  textBox: Box | null;
  /** Mean absolute difference to the previous frame (0..255), or null without one. */
  motion: number | null;
  guidance: FrameGuidance;
}

export interface QualityThresholds {
  minTextArea: number;
  /** Below this the text block is present but too small: move closer. */
  closeTextArea: number;
  minSharpness: number;
  maxGlare: number;
  maxMotion: number;
}

export const DEFAULT_THRESHOLDS: QualityThresholds = {
  minTextArea: 0.01,
  closeTextArea: 0.06,
  minSharpness: 0.1,
  maxGlare: 0.08,
  maxMotion: 6,
};

const ANALYSIS_WIDTH = 640;

function analysisCopy(gray: GrayImage): { image: GrayImage; factor: number } {
  const factor = Math.max(1, Math.floor(gray.width / ANALYSIS_WIDTH));
  return { image: factor > 1 ? downscaleGray(gray, factor) : gray, factor };
}

/**
 * Variance of the 4-neighbour Laplacian over the image (or a box of it), divided by the variance
 * of the intensity there: blur lowers the first much more than the second.
 */
export function sharpness(gray: GrayImage, box?: Box): number {
  const { image, factor } = analysisCopy(gray);
  const { width, height, data } = image;
  const x0 = Math.max(1, box ? Math.floor(box.x / factor) : 1);
  const y0 = Math.max(1, box ? Math.floor(box.y / factor) : 1);
  const x1 = Math.min(width - 1, box ? Math.ceil((box.x + box.width) / factor) : width - 1);
  const y1 = Math.min(height - 1, box ? Math.ceil((box.y + box.height) / factor) : height - 1);
  let sum = 0;
  let sumSq = 0;
  let intensity = 0;
  let intensitySq = 0;
  let n = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = y * width + x;
      const p = data[i] as number;
      const v = 4 * p - (data[i - 1] as number) - (data[i + 1] as number) - (data[i - width] as number) - (data[i + width] as number);
      sum += v;
      sumSq += v * v;
      intensity += p;
      intensitySq += p * p;
      n++;
    }
  }
  if (n === 0) return 0;
  const laplacianVariance = sumSq / n - (sum / n) ** 2;
  const intensityVariance = intensitySq / n - (intensity / n) ** 2;
  return intensityVariance < 1 ? 0 : laplacianVariance / intensityVariance;
}

/** Share of pixels at or above `level` inside `box` (default: whole frame). */
export function glareFraction(gray: GrayImage, box?: Box, level = 250): number {
  const x0 = Math.max(0, Math.floor(box?.x ?? 0));
  const y0 = Math.max(0, Math.floor(box?.y ?? 0));
  const x1 = Math.min(gray.width, Math.ceil(box ? box.x + box.width : gray.width));
  const y1 = Math.min(gray.height, Math.ceil(box ? box.y + box.height : gray.height));
  let bright = 0;
  let n = 0;
  for (let y = y0; y < y1; y += 2) {
    for (let x = x0; x < x1; x += 2) {
      if ((gray.data[y * gray.width + x] as number) >= level) bright++;
      n++;
    }
  }
  return n === 0 ? 0 : bright / n;
}

/** Mean absolute difference between two frames of the same size, on 320-px copies. */
export function frameDifference(a: GrayImage, b: GrayImage): number {
  if (a.width !== b.width || a.height !== b.height) return 255;
  const ca = analysisCopy(a).image;
  const cb = analysisCopy(b).image;
  let sum = 0;
  for (let i = 0; i < ca.data.length; i++) sum += Math.abs((ca.data[i] as number) - (cb.data[i] as number));
  return ca.data.length === 0 ? 0 : sum / ca.data.length;
}

/**
 * The block of text lines (long thin ink blobs, as MRZ and printed fields are), in frame
 * coordinates, with its area relative to the frame.
 */
export function textBlockArea(gray: GrayImage): { area: number; box: Box | null } {
  const { image, factor } = analysisCopy(gray);
  const { width, height } = image;
  const mask = inkMask(image, Math.max(9, Math.round(width / 25) | 1), 0.2, 25);
  const smeared = smearRows(mask, width, height, Math.max(2, Math.round(width * 0.02)));
  const lines = connectedComponents(smeared, width, height, 6).filter(
    (c) => c.width >= 4 * c.height && c.width >= width * 0.08 && c.height >= 2 && c.pixels / (c.width * c.height) > 0.35,
  );
  if (lines.length < 2) return { area: 0, box: null };
  const x0 = Math.min(...lines.map((l) => l.x));
  const y0 = Math.min(...lines.map((l) => l.y));
  const x1 = Math.max(...lines.map((l) => l.x + l.width));
  const y1 = Math.max(...lines.map((l) => l.y + l.height));
  const box = { x: x0 * factor, y: y0 * factor, width: (x1 - x0) * factor, height: (y1 - y0) * factor };
  return { area: (box.width * box.height) / (gray.width * gray.height), box };
}

/**
 * The document around a text block: glare usually hides text, so it must be looked for beside
 * the text that is still visible (twice the block's width, five times its height).
 */
function documentArea(box: Box, frame: { width: number; height: number }): Box {
  const x0 = Math.max(0, box.x - box.width / 2);
  const y0 = Math.max(0, box.y - box.height * 2);
  const x1 = Math.min(frame.width, box.x + box.width * 1.5);
  const y1 = Math.min(frame.height, box.y + box.height * 3);
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/** Measures one frame (and its motion against the previous one) and picks the guidance. */
export function assessFrame(gray: GrayImage, previous: GrayImage | null, thresholds: QualityThresholds = DEFAULT_THRESHOLDS): FrameQuality {
  const { area, box } = textBlockArea(gray);
  const motion = previous ? frameDifference(gray, previous) : null;
  const sharp = sharpness(gray, box ?? undefined);
  const glare = glareFraction(gray, box ? documentArea(box, gray) : undefined);
  // Glare before size: a reflection hides text, which also makes the text block look small.
  let guidance: FrameGuidance = 'ok';
  if (!box || area < thresholds.minTextArea) guidance = 'no_document';
  else if (motion !== null && motion > thresholds.maxMotion) guidance = 'hold_still';
  else if (glare > thresholds.maxGlare) guidance = 'reduce_glare';
  else if (area < thresholds.closeTextArea) guidance = 'move_closer';
  else if (sharp < thresholds.minSharpness) guidance = 'too_blurry';
  return { sharpness: sharp, glare, textArea: area, textBox: box, motion, guidance };
}
