/**
 * Stills the applicant uploads (a full-resolution photo of their document from the same camera)
 * go to whichever verifier of that session is listening; with none listening they are refused.
 */
import type { Unsubscribe } from '../media/index.ts';

export interface UploadedStill {
  bytes: Uint8Array;
  mime: string;
  receivedAtMs: number;
}

export class UploadHub {
  private readonly listeners = new Map<string, Set<(still: UploadedStill) => void>>();

  listen(sessionId: string, listener: (still: UploadedStill) => void): Unsubscribe {
    const set = this.listeners.get(sessionId) ?? new Set();
    set.add(listener);
    this.listeners.set(sessionId, set);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(sessionId);
    };
  }

  expecting(sessionId: string): boolean {
    return (this.listeners.get(sessionId)?.size ?? 0) > 0;
  }

  /** Hands the still to the listening verifier; false when nothing is expecting one. */
  deliver(sessionId: string, still: UploadedStill): boolean {
    const set = this.listeners.get(sessionId);
    if (!set || set.size === 0) return false;
    for (const listener of [...set]) listener(still);
    return true;
  }
}
