/** Pure helpers that read a SessionView snapshot for the screen. */
import type { SessionStatus, SessionView, TranscriptLine } from '../../server/http/protocol.ts';

/** Statuses that show the finished screen instead of the conversation. */
export const FINISHED_STATUSES: readonly SessionStatus[] = ['completed', 'declined', 'review', 'interrupted'];

export function isFinished(status: SessionStatus): boolean {
  return FINISHED_STATUSES.includes(status);
}

/**
 * The assistant's latest line (shown large as the caption) and every other line (the
 * transcript), in order. Lines the applicant said after the caption stay in the transcript.
 */
export function splitTranscript(transcript: readonly TranscriptLine[]): {
  current: TranscriptLine | null;
  earlier: TranscriptLine[];
} {
  for (let i = transcript.length - 1; i >= 0; i--) {
    const line = transcript[i];
    if (line?.from === 'assistant') {
      return { current: line, earlier: [...transcript.slice(0, i), ...transcript.slice(i + 1)] };
    }
  }
  return { current: null, earlier: [...transcript] };
}

/**
 * "Step N of M" numbers. `progress.index` is already 1-based: the server's `progressOf`
 * (server/dialogue/runner.ts) counts the steps before the current one plus one. The number
 * shown is clamped to 1..total.
 */
export function stepNumbers(progress: SessionView['progress']): { current: number; total: number } | null {
  if (!progress || progress.total <= 0) return null;
  const current = Math.min(Math.max(progress.index, 1), progress.total);
  return { current, total: progress.total };
}

/** The text to send as an answer: trimmed, and null when there is nothing to send. */
export function answerText(raw: string, maxLength: number): string | null {
  const text = raw.trim();
  if (text.length === 0) return null;
  return text.slice(0, Math.max(0, maxLength));
}
