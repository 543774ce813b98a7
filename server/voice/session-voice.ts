/**
 * Turn-taking for one session: speaks the assistant's lines, listens for a spoken answer while a
 * question waits (also while the assistant is still talking: barge-in stops it), recognizes the
 * turn and hands the words to the session like a typed answer, asks again after a silence (a
 * bounded number of times) and times every turn from the end of the applicant's speech to the
 * first assistant audio played in the browser.
 */
import type { InputSpec, Locale } from '../http/protocol.ts';
import type { Logger } from '../log.ts';
import type { AudioChunk, MediaSession } from '../media/index.ts';
import type { VoiceInputReason, VoiceServerMessage } from './protocol.ts';
import { SessionSpeaker, type Line } from './speaker.ts';
import { toSixteenKhz, TurnDetector, type Utterance } from './stt/endpoint.ts';
import { grammarFor } from './stt/grammar.ts';
import { canRecognize, STT_SAMPLE_RATE, type Grammar, type SpeechToText, type Transcript } from './stt/types.ts';
import type { TextToSpeech } from './tts/types.ts';

/** Voiced time that counts as the applicant talking over the assistant (not a cough or echo). */
const BARGE_IN_VOICED_MS = 300;
/** A grammar-bound recognizer hears only short answers: longer voiced turns are noise (a TV, a tone). */
const GRAMMAR_MAX_VOICED_MS = 4_000;
/** How long to wait for the browser to report that the reply started playing. */
const PLAYED_TIMEOUT_MS = 8_000;

export interface SessionVoiceDeps {
  sessionId: string;
  tts: TextToSpeech | null;
  stt: SpeechToText | null;
  /** Why there is no recognizer (null when there is one). */
  sttProblem: string | null;
  media(): MediaSession | null;
  /** Subscribes to the applicant's microphone across reconnects. */
  audio(listener: (chunk: AudioChunk) => void): () => void;
  publish(message: VoiceServerMessage): void;
  /** Stores facts in the session's chain (timings, transcripts, re-prompts). */
  record(type: string, payload: Record<string, unknown>): Promise<void>;
  /** The applicant's answer, exactly as a typed one; resolves once the session decided. */
  answer(stepId: string, text: string): Promise<{ accepted: boolean }>;
  /** The last line the assistant said at a step (re-prompts repeat it). */
  lastLine(stepId: string): string | null;
  repromptMs: number;
  maxReprompts: number;
  logger: Logger;
}

interface Awaiting {
  stepId: string;
  input: InputSpec;
  locale: Locale;
  grammar: Grammar | null;
  reprompts: number;
}

interface TurnTiming {
  stepId: string;
  speechEndMs: number;
  transcribedAtMs: number;
  decidedAtMs: number | null;
  firstAudioSentAtMs: number | null;
  runId: string | null;
  recognizer: string;
}

export class SessionVoice {
  readonly speaker: SessionSpeaker | null;
  private awaiting: Awaiting | null = null;
  private textOnly = false;
  private detector = new TurnDetector({ sampleRate: STT_SAMPLE_RATE });
  private unsubscribeAudio: (() => void) | null = null;
  private repromptTimer: NodeJS.Timeout | null = null;
  private early: { utterance: Utterance; result: Promise<Transcript | null> } | null = null;
  private recognizing = false;
  /** A turn whose answer was sent; the next line spoken completes its timing. */
  private turnAwaitingAudio: TurnTiming | null = null;
  private readonly turnsAwaitingPlay = new Map<string, { timing: TurnTiming; timer: NodeJS.Timeout }>();
  private closed = false;

  constructor(private readonly d: SessionVoiceDeps) {
    this.speaker = d.tts
      ? new SessionSpeaker({
          tts: d.tts,
          media: d.media,
          publish: d.publish,
          logger: d.logger,
          sessionId: d.sessionId,
        })
      : null;
  }

  /** What the client should show now (sent on every connect). */
  status(): VoiceServerMessage {
    const reason = this.inputProblem();
    return {
      type: 'status',
      speaking: this.speaker !== null && !this.textOnly,
      listening: this.awaiting !== null && reason === null,
      recognizer: this.d.stt?.name ?? null,
      ...(reason ? { reason } : {}),
    };
  }

  listenMessage(): VoiceServerMessage {
    const reason = this.inputProblem();
    return { type: 'listen', stepId: this.awaiting && reason === null ? this.awaiting.stepId : null, ...(reason ? { hint: reason } : {}) };
  }

  /** The assistant says a line (after its state is stored). */
  say(line: Line): void {
    if (!this.speaker || this.textOnly || this.closed) return;
    const turn = this.turnAwaitingAudio;
    this.turnAwaitingAudio = null;
    if (turn) turn.decidedAtMs ??= Date.now();
    this.clearReprompt();
    const onFirstAudio = (spoken: { runId: string; firstAudioSentAtMs: number }) => {
      if (!turn) return;
      turn.firstAudioSentAtMs = spoken.firstAudioSentAtMs;
      turn.runId = spoken.runId;
      this.expectPlayed(turn);
    };
    void this.speaker.say(line, onFirstAudio).then(() => this.armReprompt());
  }

  /** The prompt the session waits for now (null: none). Called after every change. */
  setAwaiting(prompt: { stepId: string; input: InputSpec } | null, locale: Locale): void {
    const same = prompt && this.awaiting && this.awaiting.stepId === prompt.stepId && this.awaiting.input.type === prompt.input.type && this.awaiting.locale === locale;
    if (same) return;
    this.clearReprompt();
    this.early = null;
    this.detector.reset();
    this.awaiting = prompt ? { stepId: prompt.stepId, input: prompt.input, locale, grammar: grammarFor(prompt.input, locale), reprompts: 0 } : null;
    const listening = this.awaiting !== null && this.inputProblem() === null;
    if (listening && !this.unsubscribeAudio) this.unsubscribeAudio = this.d.audio((chunk) => this.onAudio(chunk));
    if (!listening && this.unsubscribeAudio) {
      this.unsubscribeAudio();
      this.unsubscribeAudio = null;
    }
    this.d.publish(this.listenMessage());
    this.armReprompt();
  }

  /** The client's text-only wish (sent on every connect); always answered with the status. */
  setTextOnly(enabled: boolean): void {
    if (this.textOnly === enabled) {
      this.d.publish(this.status());
      return;
    }
    this.textOnly = enabled;
    if (enabled) this.speaker?.stop('replaced');
    const prompt = this.awaiting;
    this.awaiting = null;
    if (this.unsubscribeAudio) {
      this.unsubscribeAudio();
      this.unsubscribeAudio = null;
    }
    this.setAwaiting(prompt ? { stepId: prompt.stepId, input: prompt.input } : null, prompt?.locale ?? 'en');
    this.d.publish(this.status());
  }

  /** The browser reports the run's first audible audio, `afterSayMs` after it got the run's first segment. */
  played(runId: string, afterSayMs: number): void {
    const entry = this.turnsAwaitingPlay.get(runId);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.turnsAwaitingPlay.delete(runId);
    const playedAtMs = (entry.timing.firstAudioSentAtMs ?? Date.now()) + Math.max(0, afterSayMs);
    this.recordTurn(entry.timing, playedAtMs);
  }

  close(): void {
    this.closed = true;
    this.clearReprompt();
    this.speaker?.stop('replaced');
    this.unsubscribeAudio?.();
    this.unsubscribeAudio = null;
    for (const { timer } of this.turnsAwaitingPlay.values()) clearTimeout(timer);
    this.turnsAwaitingPlay.clear();
  }

  private inputProblem(): VoiceInputReason | null {
    if (this.textOnly) return 'text-only';
    if (!this.d.stt) return this.d.sttProblem === 'disabled' ? 'disabled' : 'no-recognizer';
    if (this.awaiting && !canRecognize(this.d.stt, this.awaiting.locale, this.awaiting.grammar)) {
      return this.awaiting.grammar ? 'no-recognizer' : 'step-needs-typing';
    }
    return null;
  }

  private onAudio(chunk: AudioChunk): void {
    const awaiting = this.awaiting;
    if (!awaiting || this.closed) return;
    const mono = chunk.channels === 1 ? chunk.samples : downmix(chunk.samples, chunk.channels);
    for (const event of this.detector.push(toSixteenKhz(mono, chunk.sampleRate), chunk.timestampMs)) {
      switch (event.type) {
        case 'start':
          this.clearReprompt();
          this.d.publish({ type: 'listen', stepId: awaiting.stepId, heard: 'speech' });
          break;
        case 'pause':
          // Recognize early; kept only if the turn really ends here.
          if (!this.recognizing) this.early = { utterance: event.utterance, result: this.recognize(event.utterance, awaiting).catch(() => null) };
          break;
        case 'resume':
          this.early = null;
          break;
        case 'end':
          void this.finishTurn(event.utterance, awaiting);
          break;
        case 'noise':
          this.early = null;
          this.armReprompt();
          break;
      }
    }
    // Checked on every chunk, not only on detector events: the voiced time grows in between.
    if (this.detector.inTurn && this.detector.currentVoicedMs >= BARGE_IN_VOICED_MS && this.speaker?.speaking) {
      const runId = this.speaker.stop('barge-in');
      if (runId) void this.d.record('AssistantInterrupted', { stepId: awaiting.stepId, runId }).catch(() => undefined);
    }
  }

  private recognize(utterance: Utterance, awaiting: Awaiting): Promise<Transcript> {
    const stt = this.d.stt;
    if (!stt) return Promise.reject(new Error('no recognizer'));
    return stt.transcribe(utterance.samples, { locale: awaiting.locale, grammar: awaiting.grammar });
  }

  private async finishTurn(utterance: Utterance, awaiting: Awaiting): Promise<void> {
    if (this.recognizing) return;
    if (this.d.stt && !this.d.stt.capabilities.freeSpeech && utterance.voicedMs > GRAMMAR_MAX_VOICED_MS) {
      this.early = null;
      this.armReprompt();
      return;
    }
    this.recognizing = true;
    try {
      const early = this.early && this.early.utterance.speechEndMs === utterance.speechEndMs ? this.early.result : null;
      this.early = null;
      let transcript: Transcript | null;
      try {
        transcript = (await early) ?? (await this.recognize(utterance, awaiting));
      } catch (error) {
        this.d.logger.warn({ err: error, sessionId: this.d.sessionId, recognizer: this.d.stt?.name }, 'speech recognition failed');
        transcript = null;
      }
      const transcribedAtMs = Date.now();
      if (this.awaiting !== awaiting || this.closed) return; // the question moved on meanwhile
      if (!transcript || transcript.text === '') {
        // Something was said but nothing the question expects was recognized (kept for review).
        await this.d.record('SpeechNotRecognized', { stepId: awaiting.stepId, recognizer: this.d.stt?.name ?? 'unknown', voicedMs: utterance.voicedMs, failed: transcript === null });
        this.d.publish({ type: 'listen', stepId: awaiting.stepId, heard: 'silence' });
        this.armReprompt();
        return;
      }
      const recognizer = this.d.stt?.name ?? 'unknown';
      await this.d.record('SpeechTranscribed', {
        stepId: awaiting.stepId,
        text: transcript.text,
        words: transcript.words,
        recognizer,
        grammar: awaiting.grammar?.name ?? null,
        speechStartedAt: new Date(utterance.speechStartMs).toISOString(),
        speechEndedAt: new Date(utterance.speechEndMs).toISOString(),
        recognitionMs: transcribedAtMs - utterance.speechEndMs,
      });
      const timing: TurnTiming = { stepId: awaiting.stepId, speechEndMs: utterance.speechEndMs, transcribedAtMs, decidedAtMs: null, firstAudioSentAtMs: null, runId: null, recognizer };
      this.turnAwaitingAudio = timing;
      const result = await this.d.answer(awaiting.stepId, transcript.text);
      timing.decidedAtMs ??= Date.now();
      if (!result.accepted && this.turnAwaitingAudio === timing) this.turnAwaitingAudio = null;
    } finally {
      this.recognizing = false;
    }
  }

  private expectPlayed(timing: TurnTiming): void {
    if (!timing.runId) return;
    const timer = setTimeout(() => {
      this.turnsAwaitingPlay.delete(timing.runId as string);
      this.recordTurn(timing, null);
    }, PLAYED_TIMEOUT_MS);
    timer.unref?.();
    this.turnsAwaitingPlay.set(timing.runId, { timing, timer });
  }

  private recordTurn(t: TurnTiming, playedAtMs: number | null): void {
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    const delta = (a: number | null, b: number | null) => (a === null || b === null ? null : Math.round(b - a));
    void this.d
      .record('VoiceTurnTimed', {
        stepId: t.stepId,
        recognizer: t.recognizer,
        speechEndedAt: iso(t.speechEndMs),
        transcribedAt: iso(t.transcribedAtMs),
        decidedAt: iso(t.decidedAtMs),
        firstAudioSentAt: iso(t.firstAudioSentAtMs),
        firstAudioPlayedAt: iso(playedAtMs),
        recognitionMs: delta(t.speechEndMs, t.transcribedAtMs),
        decisionMs: delta(t.transcribedAtMs, t.decidedAtMs),
        synthesisMs: delta(t.decidedAtMs, t.firstAudioSentAtMs),
        playoutMs: delta(t.firstAudioSentAtMs, playedAtMs),
        totalMs: delta(t.speechEndMs, playedAtMs),
      })
      .catch((error: unknown) => this.d.logger.warn({ err: error, sessionId: this.d.sessionId }, 'voice turn timing not stored'));
  }

  private armReprompt(): void {
    this.clearReprompt();
    const awaiting = this.awaiting;
    if (!awaiting || !this.speaker || this.textOnly || this.closed || this.inputProblem() !== null || awaiting.reprompts >= this.d.maxReprompts) return;
    const wait = this.d.repromptMs + (this.speaker?.remainingMs() ?? 0);
    this.repromptTimer = setTimeout(() => {
      this.repromptTimer = null;
      if (this.awaiting !== awaiting || this.detector.inTurn || this.recognizing || this.speaker?.speaking) {
        this.armReprompt();
        return;
      }
      const text = this.d.lastLine(awaiting.stepId);
      if (!text) return;
      awaiting.reprompts++;
      void this.d.record('VoiceReprompted', { stepId: awaiting.stepId, count: awaiting.reprompts }).catch(() => undefined);
      this.say({ lineId: `reprompt-${awaiting.stepId}-${awaiting.reprompts}`, stepId: awaiting.stepId, text, locale: awaiting.locale });
    }, wait);
    this.repromptTimer.unref?.();
  }

  private clearReprompt(): void {
    if (this.repromptTimer) clearTimeout(this.repromptTimer);
    this.repromptTimer = null;
  }
}

function downmix(samples: Int16Array, channels: number): Int16Array {
  const out = new Int16Array(Math.floor(samples.length / channels));
  for (let i = 0; i < out.length; i++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += samples[i * channels + c] as number;
    out[i] = Math.round(sum / channels);
  }
  return out;
}
