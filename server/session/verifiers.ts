/**
 * Verifiers (document OCR, liveness, face match, ...) register here by name; the interpreter
 * runs the one a step asks for and feeds its result back as a VerifierFinished event. A
 * verifier that is not registered, throws or times out never passes: it reports
 * 'unavailable' or 'timeout' and the script routes to a retry or human review.
 */
import type { DialogueCommand, DialogueEvent } from '../dialogue/index.ts';
import type { Logger } from '../log.ts';

type RunVerifier = Extract<DialogueCommand, { type: 'RunVerifier' }>;
type VerifierFinished = Extract<DialogueEvent, { type: 'VerifierFinished' }>;

export interface Verifier {
  readonly name: string;
  run(
    sessionId: string,
    params: Record<string, unknown>,
    options: { signal: AbortSignal },
  ): Promise<{ outcome: 'pass' | 'fail'; data?: Record<string, unknown> }>;
}

export class VerifierRegistry {
  private readonly verifiers = new Map<string, Verifier>();

  constructor(
    private readonly logger: Logger,
    private readonly timeoutMs = 60_000,
  ) {}

  register(verifier: Verifier): void {
    if (this.verifiers.has(verifier.name)) throw new Error(`verifier "${verifier.name}" is registered twice`);
    this.verifiers.set(verifier.name, verifier);
  }

  async run(sessionId: string, command: RunVerifier): Promise<VerifierFinished> {
    const base = { type: 'VerifierFinished' as const, stepId: command.stepId, verifier: command.verifier };
    const verifier = this.verifiers.get(command.verifier);
    if (!verifier) return { ...base, outcome: 'unavailable', data: { reason: 'not configured' } };
    const signal = AbortSignal.timeout(this.timeoutMs);
    try {
      const result = await Promise.race([
        verifier.run(sessionId, command.params, { signal }),
        new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true })),
      ]);
      return { ...base, outcome: result.outcome, ...(result.data ? { data: result.data } : {}) };
    } catch (error) {
      const timedOut = signal.aborted;
      this.logger.warn({ sessionId, verifier: command.verifier, timedOut, err: error }, 'verifier did not finish');
      return { ...base, outcome: timedOut ? 'timeout' : 'unavailable', data: { reason: timedOut ? 'timeout' : 'error' } };
    }
  }
}
