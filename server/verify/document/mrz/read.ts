/**
 * The MRZ reader: grey image in, accepted reading or a reasoned rejection out.
 *
 * Locate (locate.ts) -> crop the best candidates from the deskewed image -> scale to a good
 * character height -> OCR image variants (grey, local binarisation; upside down if needed) ->
 * clean and repair readings (clean.ts) -> keep only readings whose check digits all pass
 * (parse.ts) -> vote. Never a guess: without a fully valid reading the result is 'rejected'.
 */
import { binarize, estimateTextAngle, type Box, type GrayImage } from '../gray.ts';
import { cropGray, encodePng, resizeGray, rotateGray } from '../image.ts';
import { OcrError, type OcrEngine } from '../ocr-pool.ts';
import type { PaddleWindow } from '../paddle.ts';
import { enginesAgree, type EngineReading } from './agree.ts';
import { candidateLineSets, combineReadings, partialLineSets, fillerSuspicion, namesLookGarbled, normalizeOcrLine, recombine } from './clean.ts';
import { unlistedCodesWitnessed, type CodeField } from './codes.ts';
import { expandDate, type MrzChecks, type MrzFormat } from './fields.ts';
import { findTextLines, groupMrzCandidates, skewMask, type MrzCandidate } from './locate.ts';
import { parseCandidate, type CandidateParse } from './parse.ts';

export const MRZ_WHITELIST = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<';

export type MrzRejectReason = 'no_mrz_found' | 'check_digits_failed' | 'unreadable';

export interface MrzTimings {
  locateMs: number;
  ocrMs: number;
  totalMs: number;
  ocrCalls: number;
}

export interface MrzReading {
  status: 'accepted';
  format: MrzFormat;
  documentType: string;
  issuingState: string;
  documentNumber: string;
  surname: string;
  givenNames: string;
  nationality: string;
  /** YYYY-MM-DD */
  birthDate: string;
  sex: 'M' | 'F' | 'X';
  /** YYYY-MM-DD, or null when the document has no expiry in its MRZ (French ID card). */
  expiryDate: string | null;
  optionalData: string;
  checks: MrzChecks;
  /**
   * Code fields printed with a value that is not on the ICAO list (accepted only when the
   * engines read it strictly alike; codes.ts). The applicant confirms it, a reviewer sees it.
   */
  unlistedCodes: CodeField[];
  expired: boolean;
  mrzLines: string[];
  /** Mean engine confidence (0..100) of the readings behind the accepted lines. */
  confidence: number;
  /** Location in the deskewed image (rotated by `deskewDegrees` clockwise from upright). */
  deskewDegrees: number;
  mrzBox: Box;
  /** Estimated face photo of the data page (TD2/TD3/MRV only), same coordinates as mrzBox. */
  photoBox: Box | null;
  /** PNG (grey) crop of `photoBox`, when inside the image. */
  photo: Buffer | null;
  timings: MrzTimings;
}

export interface MrzRejection {
  status: 'rejected';
  reason: MrzRejectReason;
  /** Formats seen among readings that failed their checks (helps guidance and review). */
  formatsSeen: MrzFormat[];
  timings: MrzTimings;
}

export type MrzResult = MrzReading | MrzRejection;

export interface ReadMrzOptions {
  ocr: OcrEngine;
  now: Date;
  signal?: AbortSignal;
  /** Candidate regions to try (default 3). */
  maxRegions?: number;
  /** No new OCR variant is started once this many OCR calls were made (default 8). */
  maxOcrCalls?: number;
}

/** Target height in pixels of an MRZ line blob (cap height plus a little) for the OCR engine. */
const TARGET_LINE_HEIGHT = 36;

interface Vote {
  lines: string[];
  parse: CandidateParse;
  confidence: number;
  /** 1 when both engines agree with this reading where no check digit looks (enginesAgree). */
  support: number;
}

export async function readMrz(gray: GrayImage, options: ReadMrzOptions): Promise<MrzResult> {
  const started = performance.now();
  const timings: MrzTimings = { locateMs: 0, ocrMs: 0, totalMs: 0, ocrCalls: 0 };
  const finish = <T extends MrzResult>(result: T): T => {
    timings.totalMs = Math.round(performance.now() - started);
    timings.locateMs = Math.round(timings.locateMs);
    timings.ocrMs = Math.round(timings.ocrMs);
    return result;
  };

  const skew = skewMask(gray);
  const { angle } = estimateTextAngle(skew.mask, skew.width, skew.height);
  const deskewed = await rotateGray(gray, -angle);
  const { lines } = findTextLines(deskewed);
  const regions = groupMrzCandidates(lines, deskewed).slice(0, options.maxRegions ?? 3);
  timings.locateMs = performance.now() - started;
  if (regions.length === 0) return finish({ status: 'rejected', reason: 'no_mrz_found', formatsSeen: [], timings });

  const formatsSeen = new Set<MrzFormat>();
  let sawMrzText = false;
  const paddleState = { on: true };
  for (const region of regions) {
    options.signal?.throwIfAborted();
    const crop = await cropRegion(deskewed, region);
    let regionHasMrz = false;
    for (const upsideDown of [false, true]) {
      // MRZ text read upright (check digits passing) settles the orientation.
      if (upsideDown && regionHasMrz) break;
      const view = upsideDown ? rotateCrop180(crop, await rotateGray(crop.image, 180)) : crop;
      const votes = new Map<string, Vote>();
      /** Candidate sets of each OCR reading so far (for the agreement rule). */
      const readingSets: EngineReading[] = [];
      const pooled: { format: MrzFormat; lines: string[] }[] = [];
      let best: Vote | undefined;
      let tesseractCalls = 0;
      for (const [index, variant] of VARIANTS.entries()) {
        // Past the budget, stop asking for more readings (the applicant retakes the photo). A
        // count, not a clock, so that the same image always gets the same answer.
        if (tesseractCalls >= (options.maxOcrCalls ?? 8)) break;
        const t0 = performance.now();
        // The first steps also take the paddle engine's readings (concurrently: other cores).
        const [{ lstm, legacy, calls }, paddle] = await Promise.all([
          readVariant(view, variant, options.ocr, options.signal),
          paddleState.on && PADDLE_STEPS[index] ? readPaddle(view, PADDLE_STEPS[index], options.ocr, paddleState, options.signal) : Promise.resolve([]),
        ]);
        timings.ocrMs += performance.now() - t0;
        timings.ocrCalls += calls + paddle.length * view.lines.length;
        tesseractCalls += calls;
        const confidence = (lstm.confidence + legacy.confidence) / 2;
        const setsOf = (text: string) => (variant.startsWith('lines') ? lineByLineSets(text) : candidateLineSets(text));
        const lstmSets = setsOf(lstm.text);
        const legacySets = setsOf(legacy.text);
        readingSets.push(
          { engine: 'lstm', rows: lstm.text.split('\n').map(normalizeOcrLine), sets: lstmSets },
          { engine: 'legacy', rows: legacy.text.split('\n').map(normalizeOcrLine), sets: legacySets },
        );
        pooled.push(...lstmSets, ...legacySets, ...combineReadings(lstm.text, legacy.text));
        for (const text of paddle) {
          const sets = lineByLineSets(text);
          readingSets.push({ engine: 'paddle', rows: text.split('\n').map(normalizeOcrLine), sets });
          pooled.push(...sets, ...combineReadings(text, legacy.text));
        }
        if (pooled.length > 0) sawMrzText = true;
        for (const set of recombine(pooled)) {
          const key = set.lines.join('\n');
          const known = votes.get(key);
          if (known) {
            known.confidence = Math.max(known.confidence, confidence);
            continue;
          }
          const parse = parseCandidate(set.lines);
          if (!parse) continue;
          formatsSeen.add(parse.fields.format);
          // Text read upside down also comes out in MRZ-long lines; two passing check digits
          // do not come by chance (1 in 100).
          const { documentNumber, birthDate, expiryDate } = parse.checks;
          if ([documentNumber, birthDate, expiryDate].filter(Boolean).length >= 2) regionHasMrz = true;
          if (!parse.valid || namesLookGarbled(set.lines, parse.fields.format)) continue;
          votes.set(key, { lines: set.lines, parse, confidence, support: 0 });
        }
        // Accept only what two engines agree on where no check digit looks (names, codes,
        // nationality, sex) and, up to confusable characters, where one does; otherwise try
        // the next image variant.
        for (const vote of votes.values()) {
          const { format } = vote.parse.fields;
          const unlisted = vote.parse.unlistedCodes;
          vote.support =
            enginesAgree(readingSets, vote.lines, format) && (unlisted.length === 0 || unlistedCodesWitnessed(readingSets, vote.lines, format, unlisted)) ? 1 : 0;
        }
        best = [...votes.values()]
          .filter((v) => v.support > 0)
          .sort(
            (a, b) =>
              b.support - a.support ||
              a.parse.unlistedCodes.length - b.parse.unlistedCodes.length ||
              fillerSuspicion(a.lines) - fillerSuspicion(b.lines) ||
              b.confidence - a.confidence,
          )[0];
        if (best) break;
      }
      if (best) {
        const photoBox = upsideDown ? null : estimatePhotoBox(best.parse.fields.format, region.box, deskewed);
        const photo = photoBox ? await encodePng(cropGray(deskewed, photoBox)) : null;
        return finish(toReading(best, options.now, -angle + (upsideDown ? 180 : 0), region.box, photoBox, photo, timings));
      }
    }
    // The MRZ was found but no reading passed: another region will not do better.
    if (regionHasMrz) break;
  }
  const reason: MrzRejectReason = formatsSeen.size > 0 ? 'check_digits_failed' : sawMrzText ? 'unreadable' : 'no_mrz_found';
  return finish({ status: 'rejected', reason, formatsSeen: [...formatsSeen], timings });
}

/** Sets of a reading made line by line: a garbled row does not cost the others (partialLineSets). */
function lineByLineSets(text: string): ReturnType<typeof candidateLineSets> {
  return [...candidateLineSets(text), ...partialLineSets(text)];
}

type Variant = 'block-grey' | 'lines-grey' | 'block-binary' | 'lines-binary';

/**
 * Image variants, cheapest and most often sufficient first: the whole zone as one block, grey
 * and locally binarised, then line by line (tesseract's own line finding fails on some textured
 * pages).
 */
const VARIANTS: Variant[] = ['block-grey', 'block-binary', 'lines-grey', 'lines-binary'];

/**
 * Windows for the paddle engine's readings of each line, per step of the variant loop, in
 * multiples of the line crop's height (about 1.7 character heights; MRZ characters are about one
 * character height apart): the whole line and one tiling into overlapping windows first, then a
 * second tiling when no reading was accepted yet (the network was trained on short crops and
 * drops characters in long runs of fillers; tilings put their seams in different places, the
 * check digits and the agreement rule choose).
 */
const PADDLE_STEPS: (PaddleWindow | undefined)[][] = [[undefined, { width: 16 / 1.7, overlap: 3 / 1.7 }], [{ width: 12 / 1.7, overlap: 5 / 1.7 }]];

/**
 * The paddle engine's readings of the region, one text (lines joined by newlines) per window
 * setting. A machine without the engine (`unavailable`) reads with tesseract alone from then on.
 */
async function readPaddle(
  view: RegionCrop,
  windows: (PaddleWindow | undefined)[],
  ocr: OcrEngine,
  state: { on: boolean },
  signal: AbortSignal | undefined,
): Promise<string[]> {
  if (view.lines.length === 0) return [];
  const left = Math.min(...view.lines.map((l) => l.x));
  const right = Math.max(...view.lines.map((l) => l.x + l.width));
  // Every line spans the zone's full width (MRZ lines are equally long and left-aligned): a
  // blob cut short by a faint filler run is read at its full width all the same.
  const pngs = await Promise.all(
    view.lines.map((l) => {
      const my = l.height * 0.35;
      const mx = l.height * 0.8;
      return encodePng(cropGray(view.image, { x: left - mx, y: l.y - my, width: right - left + 2 * mx, height: l.height + 2 * my }));
    }),
  );
  const extra = signal ? { signal } : {};
  try {
    const texts: string[] = [];
    for (const window of windows) {
      const results = await Promise.all(
        pngs.map((image) =>
          ocr.recognize({ image, language: 'eng', engine: 'paddle', pageMode: 'line', whitelist: MRZ_WHITELIST, ...(window ? { window } : {}), ...extra }),
        ),
      );
      texts.push(results.map((r) => r.text.trim()).join('\n'));
    }
    return texts;
  } catch (error) {
    if (error instanceof OcrError && error.code === 'unavailable') {
      state.on = false;
      return [];
    }
    throw error;
  }
}

interface VariantReading {
  lstm: { text: string; confidence: number };
  legacy: { text: string; confidence: number };
  calls: number;
}

async function readVariant(view: RegionCrop, variant: Variant, ocr: OcrEngine, signal: AbortSignal | undefined): Promise<VariantReading> {
  const source = variant.endsWith('binary') ? binarize(view.image, Math.round(TARGET_LINE_HEIGHT * 1.5) | 1, 0.1, 8) : view.image;
  const pieces: GrayImage[] = variant.startsWith('block')
    ? [source]
    : view.lines.map((l) => {
        const my = l.height * 0.35;
        const mx = l.height;
        return cropGray(source, { x: l.x - mx, y: l.y - my, width: l.width + 2 * mx, height: l.height + 2 * my });
      });
  const pageMode = variant.startsWith('block') ? 'block' : 'line';
  const extra = signal ? { signal } : {};
  const pngs = await Promise.all(pieces.map((p) => encodePng(p)));
  const jobs = pngs.flatMap((image) =>
    (['lstm', 'legacy'] as const).map((engine) =>
      ocr.recognize({ image, language: 'eng', engine, pageMode, whitelist: MRZ_WHITELIST, ...extra }),
    ),
  );
  const results = await Promise.all(jobs);
  const join = (engineIndex: number) => {
    const mine = results.filter((_, i) => i % 2 === engineIndex);
    return {
      text: mine.map((r) => r.text.trim()).join('\n'),
      confidence: mine.reduce((sum, r) => sum + r.confidence, 0) / Math.max(1, mine.length),
    };
  };
  return { lstm: join(0), legacy: join(1), calls: results.length };
}

/** The scaled crop of a region, and its line boxes in the crop's coordinates (top to bottom). */
interface RegionCrop {
  image: GrayImage;
  lines: Box[];
}

async function cropRegion(image: GrayImage, region: MrzCandidate): Promise<RegionCrop> {
  const h = region.lineHeight;
  const margin = { x: Math.max(h, region.box.width * 0.03), y: h * 0.5 };
  const origin = { x: Math.max(0, Math.floor(region.box.x - margin.x)), y: Math.max(0, Math.floor(region.box.y - margin.y)) };
  const crop = cropGray(image, {
    x: origin.x,
    y: origin.y,
    width: region.box.width + 2 * margin.x,
    height: region.box.height + 2 * margin.y,
  });
  blankOutsideLines(crop, region, origin);
  const scale = Math.min(4, Math.max(0.25, TARGET_LINE_HEIGHT / h));
  const scaled = Math.abs(scale - 1) < 0.05 ? crop : await resizeGray(crop, crop.width * scale, crop.height * scale);
  const sx = scaled.width / crop.width;
  const sy = scaled.height / crop.height;
  const lines = [...region.lines]
    .sort((a, b) => a.y - b.y)
    .map((l) => ({ x: (l.x - origin.x) * sx, y: (l.y - origin.y) * sy, width: l.width * sx, height: l.height * sy }));
  return { image: scaled, lines };
}

function rotateCrop180(crop: RegionCrop, rotated: GrayImage): RegionCrop {
  const { width, height } = crop.image;
  const lines = crop.lines
    .map((l) => ({ x: width - l.x - l.width, y: height - l.y - l.height, width: l.width, height: l.height }))
    .reverse();
  return { image: rotated, lines };
}

/**
 * Paints everything outside the MRZ line blobs (slightly grown) with the paper tone, so that
 * neighbouring print, edges and patterns are not read as extra characters.
 */
function blankOutsideLines(crop: GrayImage, region: MrzCandidate, origin: { x: number; y: number }): void {
  const keep = new Uint8Array(crop.width * crop.height);
  const growY = region.lineHeight * 0.35;
  const growX = region.lineHeight * 1.2;
  for (const line of region.lines) {
    const x0 = Math.max(0, Math.floor(line.x - growX - origin.x));
    const x1 = Math.min(crop.width, Math.ceil(line.x + line.width + growX - origin.x));
    const y0 = Math.max(0, Math.floor(line.y - growY - origin.y));
    const y1 = Math.min(crop.height, Math.ceil(line.y + line.height + growY - origin.y));
    for (let y = y0; y < y1; y++) keep.fill(1, y * crop.width + x0, y * crop.width + x1);
  }
  // Paper tone: a high percentile of the kept pixels.
  const histogram = new Uint32Array(256);
  let kept = 0;
  for (let i = 0; i < keep.length; i++) {
    if (keep[i]) {
      histogram[crop.data[i] as number]! += 1;
      kept++;
    }
  }
  let paper = 255;
  for (let v = 255, seen = 0; v >= 0; v--) {
    seen += histogram[v] as number;
    if (seen >= kept * 0.3) {
      paper = v;
      break;
    }
  }
  for (let i = 0; i < keep.length; i++) if (!keep[i]) crop.data[i] = paper;
}

/**
 * Face photo position from ICAO 9303 data-page geometry, relative to the MRZ: TD3 (125 x 88 mm,
 * MRZ 44 x 2.54 mm wide) and TD2/MRV-B (105 x 74 mm, 36 chars) carry the portrait at the left,
 * above the MRZ. TD1 cards carry the MRZ on the back: no estimate.
 */
export function estimatePhotoBox(format: MrzFormat, mrz: Box, image: { width: number; height: number }): Box | null {
  const chars = format === 'TD3' || format === 'MRVA' ? 44 : format === 'TD2' || format === 'MRVB' ? 36 : 0;
  if (chars === 0) return null;
  const mm = mrz.width / (chars * 2.54);
  const photoWidth = (chars === 44 ? 35 : 32) * mm;
  const photoHeight = (chars === 44 ? 45 : 40) * mm;
  const bottom = mrz.y - 4 * mm;
  const box = { x: mrz.x - 2 * mm, y: bottom - photoHeight, width: photoWidth + 4 * mm, height: photoHeight };
  const x0 = Math.max(0, box.x);
  const y0 = Math.max(0, box.y);
  const x1 = Math.min(image.width, box.x + box.width);
  const y1 = Math.min(image.height, box.y + box.height);
  if (x1 - x0 < box.width * 0.6 || y1 - y0 < box.height * 0.6) return null;
  return { x: Math.round(x0), y: Math.round(y0), width: Math.round(x1 - x0), height: Math.round(y1 - y0) };
}

function toReading(
  vote: Vote,
  now: Date,
  deskewDegrees: number,
  mrzBox: Box,
  photoBox: Box | null,
  photo: Buffer | null,
  timings: MrzTimings,
): MrzReading {
  const f = vote.parse.fields;
  const birthDate = expandDate(f.birthDate, 'birth', now) ?? '';
  const expiryDate = f.expiryDate ? expandDate(f.expiryDate, 'expiry', now) : null;
  return {
    status: 'accepted',
    format: f.format,
    documentType: f.documentCode,
    issuingState: f.issuingState,
    documentNumber: f.documentNumber,
    surname: f.surname,
    givenNames: f.givenNames,
    nationality: f.nationality,
    birthDate,
    sex: f.sex,
    expiryDate,
    optionalData: f.optionalData,
    checks: vote.parse.checks,
    unlistedCodes: vote.parse.unlistedCodes,
    expired: expiryDate !== null && expiryDate < now.toISOString().slice(0, 10),
    mrzLines: vote.lines,
    confidence: Math.round(vote.confidence),
    deskewDegrees: Math.round((((deskewDegrees + 540) % 360) - 180) * 10) / 10,
    mrzBox: roundBox(mrzBox),
    photoBox,
    photo,
    timings,
  };
}

function roundBox(b: Box): Box {
  return { x: Math.round(b.x), y: Math.round(b.y), width: Math.round(b.width), height: Math.round(b.height) };
}
