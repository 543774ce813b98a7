/**
 * Verifiers (document OCR, liveness, face match, ...) register here by name; the interpreter
 * runs the one a step asks for and feeds its result back as a VerifierFinished event. A
 * verifier that is not registered, throws or times out never passes: it reports
 * 'unavailable' or 'timeout' and the script routes to a retry or human review.
 *
 * A verifier sees the session only through its VerifierContext: sampled camera frames (across
 * reconnects), stills the applicant uploads, a guidance channel to the applicant's screen and
 * evidence storage. It returns plain data; it never moves the dialogue itself.
 */
import type { DialogueCommand, DialogueEvent, Locale } from '../dialogue/index.ts';
import type { Logger } from '../log.ts';
import type { Unsubscribe, VideoFrame } from '../media/index.ts';
import type { LiveMedia } from './live-media.ts';
import type { UploadHub, UploadedStill } from './uploads.ts';

type RunVerifier = Extract<DialogueCommand, { type: 'RunVerifier' }>;
type VerifierFinished = Extract<DialogueEvent, { type: 'VerifierFinished' }>;

/** A hint for the applicant ("move closer"): a fixed code the client words in its language. */
export interface VerifierGuidance {
  code: string;
  /** 0..1 when the verifier can tell how far along it is. */
  progress?: number;
}

export interface VerifierContext {
  readonly sessionId: string;
  readonly stepId: string;
  readonly locale: Locale;
  readonly signal: AbortSignal;
  /** Camera frames at about `fps` until unsubscribed (follows reconnects). */
  frames(fps: number, listener: (frame: VideoFrame) => void): Unsubscribe;
  /** Stills the applicant uploads while this verifier runs. */
  uploads(listener: (still: UploadedStill) => void): Unsubscribe;
  /** Shows live guidance to the applicant (not stored). */
  guide(guidance: VerifierGuidance): void;
  /** Stores evidence (image, crop, key frame) in the session's chain; returns its id and hash. */
  storeArtifact(kind: string, mime: string, bytes: Uint8Array): Promise<{ id: string; sha256: string }>;
  /** The session's latest evidence of a kind (e.g. the document's face photo), hash-checked. */
  latestArtifact(kind: string): Promise<{ id: string; mime: string; bytes: Uint8Array } | null>;
}

export interface Verifier {
  readonly name: string;
  run(params: Record<string, unknown>, context: VerifierContext): Promise<{ outcome: 'pass' | 'fail'; data?: Record<string, unknown> }>;
}

export interface VerifierEnvironment {
  liveMedia: LiveMedia;
  uploads: UploadHub;
  guidance: (sessionId: string, stepId: string, verifier: string, guidance: VerifierGuidance | null) => void;
}

export class VerifierRegistry {
  private readonly verifiers = new Map<string, Verifier>();
  private readonly running = new Map<string, AbortController>();

  constructor(
    private readonly logger: Logger,
    private readonly env: VerifierEnvironment,
    private readonly defaultTimeoutMs = 120_000,
  ) {}

  register(verifier: Verifier): void {
    if (this.verifiers.has(verifier.name)) throw new Error(`verifier "${verifier.name}" is registered twice`);
    this.verifiers.set(verifier.name, verifier);
  }

  has(name: string): boolean {
    return this.verifiers.has(name);
  }

  /** Stops a session's running verifier (the session ended or the step was left). */
  cancel(sessionId: string): void {
    this.running.get(sessionId)?.abort(new Error('cancelled'));
    this.running.delete(sessionId);
  }

  async run(
    sessionId: string,
    command: RunVerifier,
    session: { locale: Locale; storeArtifact: VerifierContext['storeArtifact']; latestArtifact: VerifierContext['latestArtifact'] },
  ): Promise<VerifierFinished> {
    const base = { type: 'VerifierFinished' as const, stepId: command.stepId, verifier: command.verifier };
    const verifier = this.verifiers.get(command.verifier);
    if (!verifier) return { ...base, outcome: 'unavailable', data: { reason: 'not_configured', ...echo(command.params) } };
    this.cancel(sessionId); // one verifier at a time per session
    const controller = new AbortController();
    this.running.set(sessionId, controller);
    const timeoutMs = typeof command.params.timeoutMs === 'number' ? command.params.timeoutMs : this.defaultTimeoutMs;
    const timer = setTimeout(() => controller.abort(new Error('timeout')), timeoutMs);
    const cleanups: Unsubscribe[] = [];
    const context: VerifierContext = {
      sessionId,
      stepId: command.stepId,
      locale: session.locale,
      signal: controller.signal,
      frames: (fps, listener) => track(cleanups, this.env.liveMedia.frames(sessionId, fps, listener)),
      uploads: (listener) => track(cleanups, this.env.uploads.listen(sessionId, listener)),
      guide: (guidance) => {
        if (!controller.signal.aborted) this.env.guidance(sessionId, command.stepId, command.verifier, guidance);
      },
      storeArtifact: session.storeArtifact,
      latestArtifact: session.latestArtifact,
    };
    try {
      const result = await Promise.race([
        verifier.run(command.params, context),
        new Promise<never>((_, reject) =>
          controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true }),
        ),
      ]);
      return { ...base, outcome: result.outcome, data: { ...echo(command.params), ...(result.data ?? {}) } };
    } catch (error) {
      const timedOut = controller.signal.aborted && (controller.signal.reason as Error | undefined)?.message === 'timeout';
      this.logger.warn({ sessionId, verifier: command.verifier, timedOut, err: error }, 'verifier did not finish');
      return { ...base, outcome: timedOut ? 'timeout' : 'unavailable', data: { reason: timedOut ? 'timeout' : 'error', ...echo(command.params) } };
    } finally {
      clearTimeout(timer);
      for (const cleanup of cleanups) cleanup();
      if (this.running.get(sessionId) === controller) this.running.delete(sessionId);
      controller.abort(new Error('finished'));
      this.env.guidance(sessionId, command.stepId, command.verifier, null);
    }
  }
}

/** The run id a step put in its params comes back with the result, so stale results are recognisable. */
function echo(params: Record<string, unknown>): Record<string, unknown> {
  return params.runId === undefined ? {} : { runId: params.runId };
}

function track(cleanups: Unsubscribe[], unsubscribe: Unsubscribe): Unsubscribe {
  cleanups.push(unsubscribe);
  return unsubscribe;
}
