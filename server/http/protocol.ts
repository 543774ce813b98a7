/**
 * The wire contract between the applicant client and the server (HTTP bodies and socket.io
 * messages). Zod schemas validate everything that arrives at the server; the client imports
 * the inferred types only (`import type`), so no server code reaches the browser bundle.
 */
import { z } from 'zod';
import type { VoiceServerMessage } from '../voice/protocol.ts';

export const LOCALES = ['en', 'zh-CN'] as const;
export const ZLocale = z.enum(LOCALES);
export type Locale = z.infer<typeof ZLocale>;

/** Upper bound for any single socket message from a client, in bytes (checked before parsing). */
export const MAX_SOCKET_MESSAGE_BYTES = 64 * 1024;

// ---- HTTP -------------------------------------------------------------------------------

export const ZCreateSessionBody = z
  .object({
    locale: ZLocale.optional(),
    scriptId: z.string().min(1).max(100).regex(/^[a-z0-9][a-z0-9-]*$/).optional(),
    /** The lender's own reference for this applicant (opaque to Attest, never shown). */
    externalRef: z.string().min(1).max(200).optional(),
    /**
     * What the applicant applies for: the contract states it. Checked against the limits of the
     * script's contract product; absent = the product's demo default (self-service demo).
     */
    loan: z
      .object({
        /** In whole units of the product's currency. */
        amount: z.int({ error: 'expected a whole number of currency units' }).positive({ error: 'expected a positive amount' }),
        termMonths: z.int({ error: 'expected a whole number of months' }).positive({ error: 'expected a positive number of months' }),
      })
      .strict()
      .optional(),
  })
  .strict();
export type CreateSessionBody = z.infer<typeof ZCreateSessionBody>;

export interface CreateSessionResponse {
  sessionId: string;
  reference: string;
  token: string;
  link: string;
  expiresAt: string;
}

export type SessionStatus =
  | 'created'
  | 'active'
  | 'completed'
  | 'declined'
  | 'review'
  | 'interrupted'
  | 'expired';

export const TERMINAL_STATUSES: readonly SessionStatus[] = ['completed', 'declined', 'review', 'expired'];

// ---- What the applicant's screen shows --------------------------------------------------

/** One field read from a document, shown to the applicant to confirm or correct. */
export interface ConfirmField {
  name: string;
  label: string;
  value: string;
}

export type InputSpec =
  | { type: 'none' }
  | { type: 'yesno'; yesLabel: string; noLabel: string }
  | { type: 'text'; placeholder?: string; maxLength: number; hint?: string }
  /** Hold a document to the camera (auto-capture), or upload a still photo of it. */
  | { type: 'document'; accepted: string[]; uploadLabel: string }
  /** Face the camera inside the oval and follow the live challenges (guidance codes). */
  | { type: 'liveness' }
  /** Check fields read from the document: confirm them, correct them, or capture again. */
  | { type: 'confirm'; fields: ConfirmField[]; confirmLabel: string; retakeLabel: string }
  /**
   * Read the contract (GET /api/sessions/:token/contract), draw a signature (POST .../signature)
   * and type or say `statement`; answered with `{choice: 'sign', text, fields: {signatureArtifactId}}`.
   */
  | { type: 'contract'; product: string; statement: string; signLabel: string };

export interface TranscriptLine {
  id: string;
  from: 'assistant' | 'applicant';
  text: string;
  stepId: string;
  at: string;
}

export interface SessionView {
  sessionId: string;
  reference: string;
  status: SessionStatus;
  locale: Locale;
  locales: Locale[];
  scriptTitle: string;
  progress: { index: number; total: number; stepId: string; kind: string } | null;
  transcript: TranscriptLine[];
  prompt: { stepId: string; input: InputSpec } | null;
  media: { state: string; framesReceived: number; audioDetected: boolean };
  endedAt: string | null;
  /** Set once the session's contract is signed and sealed: the applicant may download it. */
  contract?: { recordId: string };
}

// ---- socket.io ----------------------------------------------------------------------------

/** socket.io handshake `auth` payload. */
export const ZSocketAuth = z
  .object({
    token: z.string().min(20).max(200),
    /** Random per browser tab; a reconnect from the same tab replaces its old socket silently. */
    clientId: z.string().min(8).max(100),
    /** Take the session over from another tab or device that has it open. */
    takeover: z.boolean().optional(),
  })
  .strict();
export type SocketAuth = z.infer<typeof ZSocketAuth>;

export const ZBeginMessage = z.object({ locale: ZLocale.optional() }).strict();
export type BeginMessage = z.infer<typeof ZBeginMessage>;

export const ZAnswerMessage = z
  .object({
    stepId: z.string().min(1).max(100),
    text: z.string().max(2000).optional(),
    choice: z.string().min(1).max(50).optional(),
    /** Corrected field values at a confirm step (field name -> value). */
    fields: z
      .record(z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]{0,39}$/), z.string().max(200))
      .refine((f) => Object.keys(f).length <= 20, { message: 'at most 20 fields' })
      .optional(),
  })
  .strict()
  .refine((m) => m.text !== undefined || m.choice !== undefined, {
    message: 'an answer needs text or a choice',
  });
export type AnswerMessage = z.infer<typeof ZAnswerMessage>;

/** Error codes a client may receive; each maps to a message a person can act on. */
export type ClientErrorCode =
  | 'session_not_found'
  | 'session_expired'
  | 'session_in_use'
  | 'session_ended'
  | 'bad_message'
  | 'message_too_large'
  | 'wrong_step'
  | 'media_failed'
  | 'internal';

export interface ClientError {
  code: ClientErrorCode;
  message: string;
  retryable: boolean;
}

/** Live guidance from a running verifier ("move closer"); `guidance: null` clears it. */
export interface GuidanceMessage {
  stepId: string;
  verifier: string;
  guidance: { code: string; progress?: number } | null;
}

export interface ServerToClientEvents {
  'session:view': (view: SessionView) => void;
  'verifier:guidance': (message: GuidanceMessage) => void;
  'session:taken-over': () => void;
  'media:config': (config: unknown) => void;
  'media:signal': (message: unknown) => void;
  'app:error': (error: ClientError) => void;
  /** Speech, captions with timings, listening state (server/voice/protocol.ts). */
  voice: (message: VoiceServerMessage) => void;
}

export interface ClientToServerEvents {
  'session:begin': (message: unknown, ack?: (result: { ok: boolean; error?: ClientError }) => void) => void;
  'dialogue:answer': (message: unknown, ack?: (result: { ok: boolean; error?: ClientError }) => void) => void;
  'media:signal': (message: unknown) => void;
  /** `{type: 'played', runId, afterSayMs}` | `{type: 'text-only', enabled}` (validated in server/voice). */
  voice: (message: unknown) => void;
}
