/**
 * The `document` verifier: watches the applicant's camera at a low rate, tells them how to hold
 * the document ("move closer", "hold still"), reads the best frame once one is good enough, and
 * reads any full-resolution photo they upload, through the same pipeline. It passes only with
 * an accepted reading (MRZ check digits valid / Chinese ID number valid) of an unexpired
 * document, and stores the image and the document's face photo as evidence.
 */
import sharp from 'sharp';
import type { Logger } from '../../log.ts';
import { i420ToGray, type GrayImage } from '../../media/index.ts';
import type { Verifier, VerifierContext } from '../../session/index.ts';
import { DocumentImageError } from './image.ts';
import { readDocument, type DocumentKind, type DocumentResult } from './index.ts';
import type { OcrEngine } from './ocr-pool.ts';
import { assessFrame } from './quality.ts';

/** Frames looked at per second while waiting for a good one. */
const SAMPLE_FPS = 3;
/** Consecutive good frames before one is read (a steady hand, not a passing blur). */
const GOOD_FRAMES_NEEDED = 2;

export interface DocumentVerifierOptions {
  ocr: OcrEngine;
  logger: Logger;
  now?: () => Date;
}

type Accepted = Exclude<DocumentResult, { kind: 'none' }>;

export function createDocumentVerifier(options: DocumentVerifierOptions): Verifier {
  const now = options.now ?? (() => new Date());
  return {
    name: 'document',
    run: (params, ctx) => watch(params, ctx, options, now),
  };
}

function acceptedKinds(params: Record<string, unknown>): DocumentKind[] {
  const list = Array.isArray(params.accepted) ? params.accepted : ['mrz'];
  const kinds = list.filter((k): k is DocumentKind => k === 'mrz' || k === 'cn-id');
  return kinds.length > 0 ? kinds : ['mrz'];
}

function watch(
  params: Record<string, unknown>,
  ctx: VerifierContext,
  options: DocumentVerifierOptions,
  now: () => Date,
): Promise<{ outcome: 'pass' | 'fail'; data?: Record<string, unknown> }> {
  const accepted = acceptedKinds(params);
  return new Promise((resolve, reject) => {
    let busy = false;
    let done = false;
    let previous: GrayImage | null = null;
    let good = 0;
    let lastCode = '';
    const guide = (code: string) => {
      if (code === lastCode) return;
      lastCode = code;
      ctx.guide({ code });
    };
    const finish = (result: { outcome: 'pass' | 'fail'; data?: Record<string, unknown> }) => {
      done = true;
      stopFrames();
      stopUploads();
      resolve(result);
    };
    /** Reads one image; resolves the run on a decisive result, else lets watching go on. */
    const attempt = async (input: GrayImage | Uint8Array, source: 'video' | 'upload', mime: string) => {
      busy = true;
      guide('reading');
      try {
        const raw = input instanceof Uint8Array ? input : { width: input.width, height: input.height, channels: 1 as const, data: input.data };
        const result = await readDocument(raw, { ocr: options.ocr, accepted, now: now(), signal: ctx.signal });
        if (done) return;
        if (result.kind === 'none') {
          guide(source === 'upload' ? 'photo_rejected' : 'unreadable');
          return;
        }
        if (expiredOf(result)) return finish({ outcome: 'fail', data: { reason: 'expired', documentKind: result.kind } });
        finish(await passed(result, input, mime, source, ctx));
      } catch (error) {
        if (done || ctx.signal.aborted) return;
        if (error instanceof DocumentImageError) {
          guide('photo_rejected');
          return;
        }
        options.logger.warn({ err: error, sessionId: ctx.sessionId }, 'document read failed');
        guide('unreadable');
      } finally {
        busy = false;
      }
    };
    const stopFrames = ctx.frames(SAMPLE_FPS, (frame) => {
      if (done || busy) return;
      const gray = i420ToGray(frame);
      const quality = assessFrame(gray, previous);
      previous = { width: gray.width, height: gray.height, data: new Uint8Array(gray.data) };
      guide(quality.guidance);
      good = quality.guidance === 'ok' ? good + 1 : 0;
      if (good >= GOOD_FRAMES_NEEDED) {
        good = 0;
        void attempt(previous, 'video', 'image/jpeg');
      }
    });
    const stopUploads = ctx.uploads((still) => {
      if (done) return;
      void attempt(still.bytes, 'upload', still.mime);
    });
    ctx.signal.addEventListener(
      'abort',
      () => {
        if (done) return;
        done = true;
        stopFrames();
        stopUploads();
        reject(ctx.signal.reason);
      },
      { once: true },
    );
  });
}

function expiredOf(result: Accepted): boolean {
  return result.kind === 'mrz' ? result.expired : false;
}

/** The fields the applicant confirms, in display order, and the evidence stored with them. */
async function passed(
  result: Accepted,
  input: GrayImage | Uint8Array,
  mime: string,
  source: 'video' | 'upload',
  ctx: VerifierContext,
): Promise<{ outcome: 'pass'; data: Record<string, unknown> }> {
  const image = input instanceof Uint8Array
    ? { bytes: input, mime }
    : { bytes: new Uint8Array(await sharp(Buffer.from(input.data), { raw: { width: input.width, height: input.height, channels: 1 } }).jpeg({ quality: 90 }).toBuffer()), mime: 'image/jpeg' };
  const imageArtifact = await ctx.storeArtifact('document-image', image.mime, image.bytes);
  let faceArtifact: { id: string; sha256: string } | null = null;
  if (result.kind === 'mrz' && result.photo) faceArtifact = await ctx.storeArtifact('document-face', 'image/png', new Uint8Array(result.photo));
  const fields: Record<string, string> =
    result.kind === 'mrz'
      ? compact({
          documentType: result.documentType,
          issuingState: result.issuingState,
          documentNumber: result.documentNumber,
          surname: result.surname,
          givenNames: result.givenNames,
          nationality: result.nationality,
          birthDate: result.birthDate,
          sex: result.sex,
          expiryDate: result.expiryDate,
        })
      : compact({
          name: result.name,
          idNumber: result.idNumber,
          birthDate: result.birthDate,
          sex: result.sex,
          ethnicity: result.ethnicity,
          address: result.address,
        });
  return {
    outcome: 'pass',
    data: {
      documentKind: result.kind,
      fields,
      checks: result.checks,
      ...(result.kind === 'mrz'
        ? { format: result.format, mrzLines: result.mrzLines, confidence: result.confidence, unlistedCodes: result.unlistedCodes }
        : {}),
      source,
      imageArtifactId: imageArtifact.id,
      faceArtifactId: faceArtifact?.id ?? null,
    },
  };
}

function compact(fields: Record<string, string | null | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== ''));
}
