/**
 * One session's voice: speaks lines in order (sentence by sentence, so the first plays while the
 * rest are synthesized), sends the audio over the session's media, and tells the client what is
 * being said on the audio's timeline. Consecutive lines that play back to back share a "run";
 * a pause starts a new one. `stop()` cuts the run short (barge-in).
 */
import { randomUUID } from 'node:crypto';
import type { Locale } from '../http/protocol.ts';
import type { MediaSession } from '../media/index.ts';
import type { Logger } from '../log.ts';
import type { VoiceServerMessage } from './protocol.ts';
import type { TextToSpeech } from './tts/types.ts';
import { splitSentences } from './tts/visemes.ts';

/** Audio is handed to the media session at most this far ahead of playback (cheap barge-in). */
const LOOKAHEAD_MS = 8_000;
/** Gap after which the next line starts a new run. */
const RUN_GAP_MS = 150;

export interface SpeakerDeps {
  tts: TextToSpeech;
  media(): MediaSession | null;
  publish(message: VoiceServerMessage): void;
  logger: Logger;
  sessionId: string;
  now?: () => number;
}

export interface Line {
  lineId: string;
  stepId: string;
  text: string;
  locale: Locale;
}

/** When a line's first audio went out (for latency facts), or null if none did. */
export interface Spoken {
  lineId: string;
  runId: string;
  firstAudioSentAtMs: number;
  synthesisMs: number;
}

export class SessionSpeaker {
  private chain: Promise<void> = Promise.resolve();
  private abort = new AbortController();
  private runId: string | null = null;
  private runStartMs = 0;
  private playEndsAtMs = 0;
  private pendingLines = 0;
  private readonly now: () => number;

  constructor(private readonly d: SpeakerDeps) {
    this.now = d.now ?? Date.now;
  }

  /** True while audio is queued or playing, or lines wait to be synthesized. */
  get speaking(): boolean {
    return this.pendingLines > 0 || this.now() < this.playEndsAtMs;
  }

  /** Milliseconds until what was sent has played (0 when quiet). */
  remainingMs(): number {
    return Math.max(0, this.playEndsAtMs - this.now());
  }

  /** Queues a line; resolves once its audio has been handed to the media session (or skipped). */
  say(line: Line, onFirstAudio?: (spoken: Spoken) => void): Promise<Spoken | null> {
    const signal = this.abort.signal;
    this.pendingLines++;
    const done = this.chain.then(() => this.speakLine(line, signal, onFirstAudio)).finally(() => {
      this.pendingLines--;
    });
    this.chain = done.then(
      () => undefined,
      () => undefined,
    );
    return done.catch((error: unknown) => {
      if (!signal.aborted) this.d.logger.warn({ err: error, sessionId: this.d.sessionId, lineId: line.lineId }, 'speech synthesis failed; captions only');
      return null;
    });
  }

  /** Resolves once every queued line has been sent and has played (at most `capMs` from now). */
  async drained(capMs = 20_000): Promise<void> {
    const deadline = this.now() + capMs;
    await Promise.race([this.chain, new Promise((resolve) => setTimeout(resolve, capMs).unref?.())]);
    const left = Math.min(this.remainingMs(), deadline - this.now());
    if (left > 0) await new Promise((resolve) => setTimeout(resolve, left + 200));
  }

  /** Stops talking now: queued audio is dropped, lines not yet spoken are skipped. */
  stop(reason: 'barge-in' | 'replaced'): string | null {
    const runId = this.speaking ? this.runId : null;
    this.abort.abort();
    this.abort = new AbortController();
    try {
      this.d.media()?.clearAudio();
    } catch {
      // a closed media session has nothing queued
    }
    this.playEndsAtMs = 0;
    if (runId) this.d.publish({ type: 'stop', runId, reason });
    this.runId = null;
    return runId;
  }

  private async speakLine(line: Line, signal: AbortSignal, onFirstAudio?: (spoken: Spoken) => void): Promise<Spoken | null> {
    let spoken: Spoken | null = null;
    let cursor = 0;
    for (const sentence of splitSentences(line.text)) {
      if (signal.aborted) return spoken;
      const found = line.text.indexOf(sentence, cursor);
      const lineOffset = found < 0 ? cursor : found;
      cursor = lineOffset + sentence.length;
      const started = this.now();
      const clip = await this.d.tts.speak(sentence, { locale: line.locale, signal });
      const synthesisMs = this.now() - started;
      // Keep at most LOOKAHEAD_MS queued at the media session.
      while (!signal.aborted && this.playEndsAtMs - this.now() > LOOKAHEAD_MS) {
        await new Promise((resolve) => setTimeout(resolve, Math.min(1000, this.playEndsAtMs - this.now() - LOOKAHEAD_MS + 10)));
      }
      if (signal.aborted) return spoken;
      const media = this.d.media();
      if (!media || clip.samples.length === 0) continue;
      const now = this.now();
      if (!this.runId || now > this.playEndsAtMs + RUN_GAP_MS) {
        this.runId = randomUUID();
        this.runStartMs = now;
        this.playEndsAtMs = now;
      }
      const startsAt = Math.max(now, this.playEndsAtMs);
      try {
        media.sendAudio({ samples: clip.samples, sampleRate: clip.sampleRate, channels: 1, timestampMs: startsAt });
      } catch (error) {
        this.d.logger.warn({ err: error, sessionId: this.d.sessionId }, 'assistant audio not sent');
        continue;
      }
      this.playEndsAtMs = startsAt + clip.durationMs;
      this.d.publish({
        type: 'say',
        runId: this.runId,
        lineId: line.lineId,
        stepId: line.stepId,
        segment: { text: sentence, lineText: line.text, lineOffset, offsetMs: startsAt - this.runStartMs, durationMs: clip.durationMs, words: clip.words, visemes: clip.visemes },
      });
      if (!spoken) {
        spoken = { lineId: line.lineId, runId: this.runId, firstAudioSentAtMs: now, synthesisMs };
        onFirstAudio?.(spoken);
      }
    }
    return spoken;
  }
}
