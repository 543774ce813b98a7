/**
 * Face continuity: after the liveness step passes, the person in front of the camera must stay
 * the one who passed it until they sign. About every few seconds a frame is embedded and
 * compared with the liveness face; two misses in a row mark continuity broken (a fact in the
 * session's chain), and signing is refused while it is. The face descriptors live only in memory
 * for the length of the session: no biometric template is stored.
 */
import type { Logger } from '../../log.ts';
import type { Unsubscribe, VideoFrame } from '../../media/index.ts';
import type { LiveMedia } from '../../session/live-media.ts';
import type { FaceEngine } from './engine/engine.ts';
import { cosineSimilarity } from './match.ts';
import { usableDescriptor } from './quality.ts';

/** Seconds between checks while a session is watched. */
const CHECK_EVERY_S = 3;
/** Consecutive clear misses (one face, a different one) before continuity is broken. */
const MISSES_TO_BREAK = 2;

export interface ContinuityState {
  checks: number;
  misses: number;
  broken: boolean;
  lastSimilarity: number | null;
  minSimilarity: number | null;
}

export const INITIAL_CONTINUITY: ContinuityState = { checks: 0, misses: 0, broken: false, lastSimilarity: null, minSimilarity: null };

/**
 * One check's effect (pure). `similarity` is null when the frame had no single clear face: that
 * is not evidence either way, so it neither breaks nor restores continuity.
 */
export function updateContinuity(state: ContinuityState, similarity: number | null, threshold: number): ContinuityState {
  if (similarity === null) return state;
  const misses = similarity < threshold ? state.misses + 1 : 0;
  return {
    checks: state.checks + 1,
    misses,
    broken: state.broken || misses >= MISSES_TO_BREAK,
    lastSimilarity: similarity,
    minSimilarity: state.minSimilarity === null ? similarity : Math.min(state.minSimilarity, similarity),
  };
}

interface Watched {
  reference: Float32Array;
  state: ContinuityState;
  stop: Unsubscribe;
  busy: boolean;
}

export interface FaceContinuityOptions {
  engine: FaceEngine;
  liveMedia: LiveMedia;
  threshold: number;
  logger: Logger;
  /** Stores a fact in the session's chain (e.g. FaceContinuityBroken). */
  record: (sessionId: string, type: string, payload: Record<string, unknown>) => Promise<void>;
}

export class FaceContinuity {
  private readonly watched = new Map<string, Watched>();

  constructor(private readonly o: FaceContinuityOptions) {}

  /** Starts watching a session from the face that passed its liveness step. */
  start(sessionId: string, reference: Float32Array): void {
    this.stop(sessionId);
    const entry: Watched = { reference, state: INITIAL_CONTINUITY, stop: () => undefined, busy: false };
    entry.stop = this.o.liveMedia.frames(sessionId, 1 / CHECK_EVERY_S, (frame) => void this.check(sessionId, entry, frame));
    this.watched.set(sessionId, entry);
  }

  stop(sessionId: string): void {
    this.watched.get(sessionId)?.stop();
    this.watched.delete(sessionId);
  }

  /** The session's continuity so far, or null when it is not watched (no liveness passed). */
  status(sessionId: string): ContinuityState | null {
    return this.watched.get(sessionId)?.state ?? null;
  }

  /** Checks the next frame now (at signing): the similarity, or null when no clear face came. */
  async checkNow(sessionId: string, timeoutMs = 4000): Promise<ContinuityState | null> {
    const entry = this.watched.get(sessionId);
    if (!entry) return null;
    const frame = await new Promise<VideoFrame | null>((resolve) => {
      const timer = setTimeout(() => {
        stop();
        resolve(null);
      }, timeoutMs);
      const stop = this.o.liveMedia.frames(sessionId, 5, (f) => {
        clearTimeout(timer);
        stop();
        resolve({ ...f, data: new Uint8Array(f.data) });
      });
    });
    if (frame) await this.check(sessionId, entry, frame, true);
    return entry.state;
  }

  private async check(sessionId: string, entry: Watched, frame: VideoFrame, force = false): Promise<void> {
    if (entry.busy && !force) return;
    entry.busy = true;
    try {
      const analysis = await this.o.engine.analyze(
        { width: frame.width, height: frame.height, data: frame.data, format: 'i420' },
        { wantEmbedding: true, wantSpoofSignals: false },
      );
      // No single face fit to compare (quality.ts): no evidence either way.
      const descriptor = analysis.faces.length === 1 ? usableDescriptor(analysis.faces[0]) : null;
      const similarity = descriptor ? cosineSimilarity(entry.reference, descriptor) : null;
      const wasBroken = entry.state.broken;
      entry.state = updateContinuity(entry.state, similarity, this.o.threshold);
      if (entry.state.broken && !wasBroken) {
        this.o.logger.warn({ sessionId }, 'face continuity broken');
        await this.o.record(sessionId, 'FaceContinuityBroken', { similarity: entry.state.lastSimilarity, checks: entry.state.checks });
      }
    } catch (error) {
      this.o.logger.warn({ err: error, sessionId }, 'face continuity check failed');
    } finally {
      entry.busy = false;
    }
  }
}
