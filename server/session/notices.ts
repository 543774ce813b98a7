/**
 * Live, unstored notices for an applicant's screen (e.g. a verifier's "move closer"). The
 * session layer publishes; the socket edge delivers to whoever has the session open.
 */
import type { VerifierGuidance } from './verifiers.ts';

export interface GuidanceNotice {
  stepId: string;
  verifier: string;
  /** null clears the guidance (the verifier finished). */
  guidance: VerifierGuidance | null;
}

type Listener = (sessionId: string, notice: GuidanceNotice) => void;

export class SessionNotices {
  private readonly listeners = new Set<Listener>();

  publish(sessionId: string, notice: GuidanceNotice): void {
    for (const listener of this.listeners) listener(sessionId, notice);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
