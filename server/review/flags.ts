/**
 * What a reviewer filters the queue by, read from single stored events: risk flags and the
 * latest review decision. Pure and dependency-free, because the SQLite store applies it to every
 * event it appends, in the same transaction (the queue's index never lags the chain).
 * A flag never disappears once raised: a resumed or retried session keeps what happened.
 */

export const REVIEW_FLAGS = [
  /** An intent answer carried coercion signals (someone instructing, pressure, third party, prompting). */
  'coercion',
  /** An answer tried to instruct the system. */
  'injection',
  /** The identity document was not read or not accepted. */
  'document_failed',
  /** The applicant changed fields read from the document before confirming. */
  'document_corrected',
  /** The document was read, but prints an issuing state or nationality code that is not on the ICAO list. */
  'document_code_unlisted',
  /** Liveness challenges failed (photo, replay, frozen frames, another face...). */
  'liveness_failed',
  /** The live face did not match the document photo (or it could not be read). */
  'face_mismatch',
  /** The face changed between liveness and signing. */
  'face_continuity',
  /** A check could not run (not configured, error, timeout): never a pass. */
  'verifier_unavailable',
  'media_failed',
  'recording_failed',
  /** A recording segment was cut short (crash or restart): playable up to the cut. */
  'recording_incomplete',
  /** Another device took the session over. */
  'takeover',
  /** The server stopped while the session ran (it may have been resumed since). */
  'interrupted',
  /** The dialogue itself routed the session to a person. */
  'routed_to_review',
] as const;
export type ReviewFlag = (typeof REVIEW_FLAGS)[number];

export const REVIEW_DECISIONS = ['approve', 'reject', 'request_redo'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

/** The event a reviewer's decision is stored as, on the session's own chain. */
export const REVIEW_DECIDED = 'ReviewDecided';
/** Stored when a restart finds the session running; `SessionResumed` when the applicant returns. */
export const SESSION_INTERRUPTED = 'SessionInterrupted';
export const SESSION_RESUMED = 'SessionResumed';

type Payload = Record<string, unknown>;

const asPayload = (payload: unknown): Payload => (typeof payload === 'object' && payload !== null ? (payload as Payload) : {});

/** The flags one event raises (usually none). */
export function flagsOfEvent(type: string, payload: unknown): ReviewFlag[] {
  const p = asPayload(payload);
  switch (type) {
    case 'AnswerReceived': {
      const flags: ReviewFlag[] = [];
      const classification = asPayload(p.classification);
      if (Array.isArray(classification.coercion_signals) && classification.coercion_signals.length > 0) flags.push('coercion');
      if (classification.injection === true) flags.push('injection');
      if (p.choice === 'confirm' && Object.keys(asPayload(p.fields)).length > 0) flags.push('document_corrected');
      return flags;
    }
    case 'VerifierFinished': {
      if (p.outcome === 'pass') {
        const unlisted = asPayload(p.data).unlistedCodes;
        return p.verifier === 'document' && Array.isArray(unlisted) && unlisted.length > 0 ? ['document_code_unlisted'] : [];
      }
      if (p.outcome === 'unavailable' || p.outcome === 'timeout') return ['verifier_unavailable'];
      const reason = asPayload(p.data).reason;
      if (p.verifier === 'document') return ['document_failed'];
      if (p.verifier === 'liveness') return reason === 'face_mismatch' || reason === 'document_face_unreadable' ? ['face_mismatch'] : ['liveness_failed'];
      return [];
    }
    case 'FaceContinuityBroken':
      return ['face_continuity'];
    case 'MediaFailed':
      return ['media_failed'];
    case 'RecordingFailed':
      return ['recording_failed'];
    case 'RecordingSegmentStored':
      return p.complete === false ? ['recording_incomplete'] : [];
    case 'SessionTakenOver':
      return ['takeover'];
    case SESSION_INTERRUPTED:
      return ['interrupted'];
    case 'SessionEnded':
      return p.outcome === 'review' ? ['routed_to_review'] : [];
    default:
      return [];
  }
}

/** A decision event's decision, else null. */
export function decisionOfEvent(type: string, payload: unknown): ReviewDecision | null {
  if (type !== REVIEW_DECIDED) return null;
  const decision = asPayload(payload).decision;
  return (REVIEW_DECISIONS as readonly unknown[]).includes(decision) ? (decision as ReviewDecision) : null;
}
