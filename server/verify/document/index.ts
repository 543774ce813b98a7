/**
 * Identity documents, read offline: one entry point (`readDocument`) for an uploaded still and a
 * captured video frame alike. MRZ documents (ICAO 9303 TD1/TD2/TD3, visas MRV-A/B, and the
 * pre-2021 French identity card) and Chinese resident identity cards.
 */
import { readChineseIdCard, type CnIdReading, type CnIdRejection } from './cn-id/read.ts';
import { decodeGray, type DecodeLimits, type DocumentInput } from './image.ts';
import { readMrz, type MrzReading, type MrzRejection } from './mrz/read.ts';
import type { OcrEngine } from './ocr-pool.ts';

export { OcrPool, OcrError, languageDataPath } from './ocr-pool.ts';
export { createDocumentVerifier, type DocumentVerifierOptions } from './verifier.ts';
export type { OcrEngine, OcrEngineMode, OcrLanguage, OcrPageMode, OcrPoolOptions, OcrRequest, OcrResult, OcrErrorCode } from './ocr-pool.ts';
export { DocumentImageError, decodeGray } from './image.ts';
export type { DocumentInput, RawImage, DecodeLimits, DocumentImageErrorReason } from './image.ts';
export { readMrz, estimatePhotoBox, MRZ_WHITELIST } from './mrz/read.ts';
export type { MrzReading, MrzRejection, MrzResult, MrzRejectReason, MrzTimings } from './mrz/read.ts';
export { parseMrzLines, computeCheckDigit, expandDate } from './mrz/fields.ts';
export type { MrzFormat, MrzChecks, MrzParse, MrzRawFields } from './mrz/fields.ts';
export { parseCandidate as parseMrz } from './mrz/parse.ts';
export { validateChineseIdNumber, chineseIdCheckCharacter } from './cn-id/number.ts';
export type { CnIdNumberResult, CnIdNumberProblem } from './cn-id/number.ts';
export { readChineseIdCard, parseChineseIdText } from './cn-id/read.ts';
export type { CnIdReading, CnIdRejection, CnIdResult, CnIdFields } from './cn-id/read.ts';
export { assessFrame, sharpness, glareFraction, frameDifference, textBlockArea } from './quality.ts';
export type { FrameQuality, FrameGuidance, QualityThresholds } from './quality.ts';

export type DocumentKind = 'mrz' | 'cn-id';

export interface ReadDocumentOptions {
  ocr: OcrEngine;
  /** Kinds to look for, in order of preference. */
  accepted: DocumentKind[];
  /** Reference time for expiry and birth-date checks. */
  now: Date;
  signal?: AbortSignal;
  limits?: DecodeLimits;
}

export type DocumentRejectReason =
  | 'no_mrz_found'
  | 'check_digits_failed'
  | 'unreadable'
  | 'no_id_number'
  | 'id_number_invalid';

export type DocumentResult =
  | ({ kind: 'mrz' } & MrzReading)
  | ({ kind: 'cn-id' } & CnIdReading)
  | {
      kind: 'none';
      status: 'rejected';
      /** The reason from the reader that got furthest (shown to the applicant, recorded). */
      reason: DocumentRejectReason;
      attempts: ({ kind: 'mrz' } & MrzRejection | { kind: 'cn-id' } & CnIdRejection)[];
      timings: { totalMs: number };
    };

const REASON_RANK: Record<DocumentRejectReason, number> = {
  no_mrz_found: 0,
  no_id_number: 0,
  unreadable: 1,
  check_digits_failed: 2,
  id_number_invalid: 2,
};

/**
 * Reads an identity document from an image. Throws `DocumentImageError` for input that is not a
 * usable image (typed reason) and `OcrError` when the engine fails or times out (retryable);
 * otherwise returns an accepted reading or a rejection with a reason.
 */
export async function readDocument(input: DocumentInput, options: ReadDocumentOptions): Promise<DocumentResult> {
  const started = performance.now();
  if (options.accepted.length === 0) throw new RangeError('readDocument needs at least one accepted kind');
  const gray = await decodeGray(input, options.limits);
  const attempts: ({ kind: 'mrz' } & MrzRejection | { kind: 'cn-id' } & CnIdRejection)[] = [];
  for (const kind of options.accepted) {
    options.signal?.throwIfAborted();
    if (kind === 'mrz') {
      const result = await readMrz(gray, { ocr: options.ocr, now: options.now, ...(options.signal ? { signal: options.signal } : {}) });
      if (result.status === 'accepted') return { kind, ...result };
      attempts.push({ kind, ...result });
    } else {
      const result = await readChineseIdCard(gray, { ocr: options.ocr, now: options.now, ...(options.signal ? { signal: options.signal } : {}) });
      if (result.status === 'accepted') return { kind, ...result };
      attempts.push({ kind, ...result });
    }
  }
  const reason = attempts
    .map((a) => a.reason as DocumentRejectReason)
    .sort((a, b) => REASON_RANK[b] - REASON_RANK[a])[0] as DocumentRejectReason;
  return { kind: 'none', status: 'rejected', reason, attempts, timings: { totalMs: Math.round(performance.now() - started) } };
}

