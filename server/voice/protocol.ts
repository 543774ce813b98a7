/**
 * The `voice` socket channel between the server and the applicant's client. The server says what
 * the assistant is saying (text, word cues and visemes on the audio's timeline), when it stopped
 * (barge-in), whether it is listening, and whether voice answers work at all; the client reports
 * when the assistant's audio actually started playing (`afterSayMs`: measured on the client's
 * own clock from the run's first `say` message, so clocks need not agree) and the text-only mode.
 * The client imports these types only; the zod schema validates what arrives at the server.
 */
import { z } from 'zod';
import type { Viseme } from './tts/types.ts';

export type { Viseme };

export interface VoiceSegment {
  /** The sentence being said, and the whole line it belongs to (`lineOffset`: where it starts). */
  text: string;
  lineText: string;
  lineOffset: number;
  /** Position of this segment on its run's timeline (ms from the run's first sample). */
  offsetMs: number;
  durationMs: number;
  words: { text: string; from: number; to: number; startMs: number; endMs: number }[];
  visemes: { viseme: Viseme; atMs: number }[];
}

/** Why voice answers are off (the client shows a hint to type or tap instead). */
export type VoiceInputReason = 'no-recognizer' | 'disabled' | 'text-only' | 'step-needs-typing';

export type VoiceServerMessage =
  /** Sent on connect and when it changes: can the assistant speak, can it hear answers. */
  | { type: 'status'; speaking: boolean; listening: boolean; recognizer: string | null; reason?: VoiceInputReason }
  /**
   * One synthesized segment of a line, sent as its audio starts going out. Segments of one run
   * play back to back; `runId` changes when the assistant starts talking after a pause.
   */
  | { type: 'say'; runId: string; lineId: string; stepId: string; segment: VoiceSegment }
  /** The run was cut short (the applicant started speaking) or ended. */
  | { type: 'stop'; runId: string; reason: 'barge-in' | 'replaced' }
  /** The server listens for a spoken answer to `stepId` (or stopped: `stepId: null`). */
  | { type: 'listen'; stepId: string | null; hint?: VoiceInputReason; heard?: 'speech' | 'silence' };

export const ZVoiceClientMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('played'), runId: z.string().min(1).max(64), afterSayMs: z.number().min(0).max(600_000) }).strict(),
  z.object({ type: z.literal('text-only'), enabled: z.boolean() }).strict(),
]);
export type VoiceClientMessage = z.infer<typeof ZVoiceClientMessage>;
