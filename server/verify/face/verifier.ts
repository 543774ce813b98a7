/**
 * The `liveness` verifier: randomized challenges on the applicant's live camera (the plan is
 * drawn here with crypto randomness, never known to the client in advance), continuous
 * anti-spoofing, and a face match of the best live frames against the document's face photo
 * when the session has one. It reports what the applicant should do as guidance codes and
 * returns the decision with its challenges, flags, reasons and signals for the reviewer.
 */
import { randomInt } from 'node:crypto';
import sharp from 'sharp';
import type { Logger } from '../../log.ts';
import { i420ToRgb, type VideoFrame } from '../../media/index.ts';
import type { Verifier, VerifierContext } from '../../session/index.ts';
import type { FaceEngine } from './engine/engine.ts';
import {
  decideLiveness,
  ObservationBuilder,
  parseLivenessConfig,
  planChallenges,
  type FrameObservation,
  type LivenessResult,
} from './liveness/index.ts';
import { FACE_MATCH_PROVIDER, matchFaces, meanDescriptor } from './match.ts';
import { usableDescriptor } from './quality.ts';
import type { FaceAnalysis } from './types.ts';

/** Frames analysed per second: enough to see a blink (~150-300 ms). */
const ANALYSE_FPS = 8;
/** A descriptor (and anti-spoof scores) about once a second: identity continuity and face match. */
const DESCRIPTOR_EVERY_MS = 900;
/** Live frames averaged for the match against the document photo. */
const MATCH_FRAMES = 3;

export interface LivenessVerifierOptions {
  engine: FaceEngine;
  logger: Logger;
  /** Cosine similarity at or above which the live face matches the document photo. */
  matchThreshold: number;
  /** Watches that the same face stays in front of the camera after a pass (until signing). */
  continuity?: { start(sessionId: string, reference: Float32Array): void };
}

interface BestFrame {
  frame: VideoFrame;
  descriptor: Float32Array;
  frontalness: number;
}

export function createLivenessVerifier(options: LivenessVerifierOptions): Verifier {
  return { name: 'liveness', run: (params, ctx) => run(params, ctx, options) };
}

async function run(
  params: Record<string, unknown>,
  ctx: VerifierContext,
  options: LivenessVerifierOptions,
): Promise<{ outcome: 'pass' | 'fail'; data?: Record<string, unknown> }> {
  const config = parseLivenessConfig(params.config ?? {});
  const seed = randomInt(0, 2 ** 31);
  const plan = planChallenges(seed, config.plan);
  const decision = await watch(ctx, options, config, plan);
  const summary = { plan, challenges: decision.result.challenges, flags: decision.result.flags, reasons: decision.result.reasons, signals: decision.result.signals };
  if (!decision.result.passed) return { outcome: 'fail', data: { reason: decision.result.reasons[0] ?? 'liveness_failed', ...summary } };

  // Evidence: the best live frame; then the face match against the document photo, if any.
  const best = decision.best.sort((a, b) => b.frontalness - a.frontalness);
  if (best.length > 0) options.continuity?.start(ctx.sessionId, meanDescriptor(best.map((b) => b.descriptor)));
  const key = best[0];
  const liveFrame = key ? await ctx.storeArtifact('liveness-frame', 'image/jpeg', await jpegOf(key.frame)) : null;
  const documentFace = await ctx.latestArtifact('document-face');
  if (!documentFace) {
    return { outcome: 'pass', data: { ...summary, liveFrameArtifactId: liveFrame?.id ?? null, faceMatch: null, faceMatchNote: 'no_document_face' } };
  }
  if (best.length === 0) {
    // A document photo to match but no live frame fit to compare (turned away, too small): the
    // match cannot be made, so it cannot pass; the script's route (human review) takes over.
    return { outcome: 'fail', data: { reason: 'no_usable_live_face', ...summary, liveFrameArtifactId: liveFrame?.id ?? null } };
  }
  const documentAnalysis = await analyseStill(options.engine, documentFace.bytes, ctx.signal);
  const documentDescriptor = documentAnalysis.faces.length === 1 ? documentAnalysis.faces[0]?.embedding : undefined;
  if (!documentDescriptor) {
    return { outcome: 'fail', data: { reason: 'document_face_unreadable', ...summary, liveFrameArtifactId: liveFrame?.id ?? null } };
  }
  const match = matchFaces(meanDescriptor(best.slice(0, MATCH_FRAMES).map((b) => b.descriptor)), documentDescriptor, options.matchThreshold);
  const faceMatch = {
    similarity: round(match.similarity),
    threshold: match.threshold,
    matched: match.matched,
    provider: FACE_MATCH_PROVIDER,
    documentFaceArtifactId: documentFace.id,
  };
  if (!match.matched) return { outcome: 'fail', data: { reason: 'face_mismatch', ...summary, faceMatch, liveFrameArtifactId: liveFrame?.id ?? null } };
  return { outcome: 'pass', data: { ...summary, faceMatch, liveFrameArtifactId: liveFrame?.id ?? null } };
}

/** Feeds sampled frames through the engine and the decision until it passes or fails. */
function watch(
  ctx: VerifierContext,
  options: LivenessVerifierOptions,
  config: ReturnType<typeof parseLivenessConfig>,
  plan: ReturnType<typeof planChallenges>,
): Promise<{ result: LivenessResult; best: BestFrame[] }> {
  return new Promise((resolve, reject) => {
    const builder = new ObservationBuilder();
    const observations: FrameObservation[] = [];
    const best: BestFrame[] = [];
    const started = Date.now();
    let busy = false;
    let done = false;
    let lastDescriptorAt = -Infinity;
    let lastCode = '';
    const finish = (result: LivenessResult) => {
      if (done) return;
      done = true;
      stop();
      clearInterval(deadline);
      resolve({ result, best });
    };
    // The decision's own wall-clock bound: fail with reasons rather than a bare timeout.
    const deadline = setInterval(() => {
      if (Date.now() - started > config.maxTotalMs) finish(decideLiveness(observations, plan, config, { final: true }));
    }, 500);
    const stop = ctx.frames(ANALYSE_FPS, (frame) => {
      if (done || busy) return;
      busy = true;
      const wantDescriptor = frame.timestampMs - lastDescriptorAt >= DESCRIPTOR_EVERY_MS;
      const image = { width: frame.width, height: frame.height, data: frame.data, format: 'i420' as const };
      options.engine
        .analyze(image, { wantEmbedding: wantDescriptor, wantSpoofSignals: wantDescriptor, signal: ctx.signal })
        .then((analysis) => {
          if (done) return;
          if (wantDescriptor) lastDescriptorAt = frame.timestampMs;
          observations.push(builder.add(frame.timestampMs, image, analysis));
          keepBest(best, frame, analysis);
          const result = decideLiveness(observations, plan, config);
          const code = result.feedback ?? result.current?.kind ?? '';
          if (code !== lastCode) {
            lastCode = code;
            const passed = result.challenges.filter((c) => c.passed).length;
            ctx.guide({ code, progress: passed / plan.length });
          }
          if (result.status !== 'in_progress') finish(result);
        })
        .catch((error: unknown) => {
          if (!done && !ctx.signal.aborted) options.logger.warn({ err: error, sessionId: ctx.sessionId }, 'face analysis failed');
        })
        .finally(() => {
          busy = false;
        });
    });
    ctx.signal.addEventListener(
      'abort',
      () => {
        if (done) return;
        done = true;
        stop();
        clearInterval(deadline);
        reject(ctx.signal.reason);
      },
      { once: true },
    );
  });
}

/** Keeps the most frontal single-face frames whose descriptor passes the quality gate (quality.ts). */
function keepBest(best: BestFrame[], frame: VideoFrame, analysis: FaceAnalysis): void {
  const face = analysis.faces.length === 1 ? analysis.faces[0] : undefined;
  const descriptor = usableDescriptor(face);
  if (!face || !descriptor) return;
  const frontalness = -(Math.abs(face.rotation.yaw) + Math.abs(face.rotation.pitch));
  best.push({ frame: { ...frame, data: new Uint8Array(frame.data) }, descriptor, frontalness });
  best.sort((a, b) => b.frontalness - a.frontalness);
  best.length = Math.min(best.length, MATCH_FRAMES);
}

async function analyseStill(engine: FaceEngine, bytes: Uint8Array, signal: AbortSignal): Promise<FaceAnalysis> {
  const { data, info } = await sharp(bytes).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  const rgb = info.channels === 3 ? new Uint8Array(data) : toRgb(new Uint8Array(data), info.channels);
  return engine.analyze({ width: info.width, height: info.height, data: rgb, format: 'rgb' }, { wantEmbedding: true, wantSpoofSignals: false, signal });
}

function toRgb(data: Uint8Array, channels: number): Uint8Array {
  const pixels = data.length / channels;
  const out = new Uint8Array(pixels * 3);
  for (let i = 0; i < pixels; i++) {
    const v = data[i * channels] ?? 0;
    out[i * 3] = v;
    out[i * 3 + 1] = channels >= 3 ? (data[i * channels + 1] ?? v) : v;
    out[i * 3 + 2] = channels >= 3 ? (data[i * channels + 2] ?? v) : v;
  }
  return out;
}

async function jpegOf(frame: VideoFrame): Promise<Uint8Array> {
  const rgb = i420ToRgb(frame);
  return new Uint8Array(await sharp(Buffer.from(rgb.data), { raw: { width: rgb.width, height: rgb.height, channels: 3 } }).jpeg({ quality: 88 }).toBuffer());
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
