/**
 * The voice layer of every session: follows the session service (lines said, prompts awaited,
 * sessions ended), keeps one SessionVoice per running session, and is the `voice` socket
 * channel's server end (messages out through `subscribe`, client messages in through
 * `clientMessage`, validated here).
 */
import type { DialogueState } from '../dialogue/index.ts';
import type { Locale } from '../http/protocol.ts';
import type { Logger } from '../log.ts';
import type { LiveMedia, SessionService } from '../session/index.ts';
import { ZVoiceClientMessage, type VoiceServerMessage } from './protocol.ts';
import { SessionVoice } from './session-voice.ts';
import type { SpeechToText } from './stt/types.ts';
import type { TextToSpeech } from './tts/types.ts';
import { scriptLines, sentencesToWarm } from './warm.ts';

type Listener = (sessionId: string, message: VoiceServerMessage) => void;

export interface VoiceAgentDeps {
  service: SessionService;
  liveMedia: LiveMedia;
  tts: TextToSpeech | null;
  stt: SpeechToText | null;
  /** Why voice input is off ('disabled' when configured so), or null. */
  sttProblem: string | null;
  repromptMs: number;
  maxReprompts: number;
  logger: Logger;
}

export class VoiceAgent {
  private readonly sessions = new Map<string, { voice: SessionVoice; lines: Map<string, string> }>();
  private readonly listeners = new Set<Listener>();
  private readonly offs: (() => void)[] = [];
  private warmTimer: NodeJS.Timeout | null = null;
  private readonly draining = new Map<string, Promise<void>>();
  private closed = false;

  constructor(private readonly d: VoiceAgentDeps) {
    this.offs.push(
      d.service.onCommand((sessionId, command) => {
        if (command.type !== 'Say') return;
        const entry = this.entry(sessionId);
        entry.lines.set(command.stepId, command.text);
        entry.voice.say({ lineId: command.lineId, stepId: command.stepId, text: command.text, locale: this.locale(sessionId) });
      }),
      d.service.onChanged((sessionId) => this.follow(sessionId)),
      d.service.onEnded((sessionId) => this.drop(sessionId)),
    );
  }

  /** Resolves when a session that ended has finished saying its last lines (the media may close). */
  drained(sessionId: string): Promise<void> {
    return this.draining.get(sessionId) ?? Promise.resolve();
  }

  /** Messages for the socket edge to deliver to the session's client. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** What a client that just connected needs: whether voice works, and what is awaited. */
  connected(sessionId: string): VoiceServerMessage[] {
    this.follow(sessionId);
    const entry = this.entry(sessionId);
    return [entry.voice.status(), entry.voice.listenMessage()];
  }

  /** A `voice` message from the client; returns an error text when it is invalid. */
  clientMessage(sessionId: string, raw: unknown): string | null {
    const parsed = ZVoiceClientMessage.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return `voice${issue && issue.path.length ? `.${issue.path.join('.')}` : ''}: ${issue?.message ?? 'invalid'}`;
    }
    const voice = this.entry(sessionId).voice;
    if (parsed.data.type === 'played') voice.played(parsed.data.runId, parsed.data.afterSayMs);
    else voice.setTextOnly(parsed.data.enabled);
    return null;
  }

  /**
   * Synthesizes the scripts' fixed lines in the background (after `delayMs`), one sentence at a
   * time, so replies come from the cache. Stops at `close()`.
   */
  warm(scripts: unknown[], delayMs = 2000): void {
    const tts = this.d.tts;
    if (!tts) return;
    const queue = sentencesToWarm(scripts.flatMap((s) => scriptLines(s)));
    const next = (): void => {
      const item = queue.shift();
      if (!item || this.closed) return;
      void tts.speak(item.text, { locale: item.locale }).catch(() => undefined).then(() => {
        this.warmTimer = setTimeout(next, 5);
      });
    };
    this.warmTimer = setTimeout(next, delayMs);
    this.warmTimer.unref?.();
  }

  close(): void {
    this.closed = true;
    if (this.warmTimer) clearTimeout(this.warmTimer);
    for (const off of this.offs.splice(0)) off();
    for (const id of [...this.sessions.keys()]) this.drop(id);
  }

  private follow(sessionId: string): void {
    let state: DialogueState;
    try {
      state = this.d.service.get(sessionId).state as DialogueState;
    } catch {
      return;
    }
    if (state.status !== 'active' && !this.sessions.has(sessionId)) return;
    this.entry(sessionId).voice.setAwaiting(state.awaiting, state.locale);
  }

  private locale(sessionId: string): Locale {
    try {
      return this.d.service.get(sessionId).locale as Locale;
    } catch {
      return 'en';
    }
  }

  private entry(sessionId: string): { voice: SessionVoice; lines: Map<string, string> } {
    let entry = this.sessions.get(sessionId);
    if (entry) return entry;
    const lines = new Map<string, string>();
    const voice = new SessionVoice({
      sessionId,
      tts: this.d.tts,
      stt: this.d.stt,
      sttProblem: this.d.sttProblem,
      media: () => this.d.liveMedia.get(sessionId),
      audio: (listener) => this.d.liveMedia.audio(sessionId, listener),
      publish: (message) => {
        for (const listener of this.listeners) listener(sessionId, message);
      },
      record: (type, payload) => this.d.service.recordFacts(sessionId, [{ type, payload }]),
      answer: async (stepId, text) => {
        try {
          const result = await this.d.service.answer(sessionId, { stepId, text });
          return { accepted: result.rejected === null };
        } catch (error) {
          this.d.logger.warn({ err: error, sessionId, stepId }, 'spoken answer not accepted');
          return { accepted: false };
        }
      },
      lastLine: (stepId) => lines.get(stepId) ?? null,
      repromptMs: this.d.repromptMs,
      maxReprompts: this.d.maxReprompts,
      logger: this.d.logger,
    });
    entry = { voice, lines };
    this.sessions.set(sessionId, entry);
    return entry;
  }

  private drop(sessionId: string): void {
    const entry = this.sessions.get(sessionId);
    if (!entry) return;
    // Let the goodbye finish playing; only listening stops now.
    entry.voice.setAwaiting(null, this.locale(sessionId));
    this.sessions.delete(sessionId);
    const drained = (entry.voice.speaker?.drained() ?? Promise.resolve()).then(() => {
      this.draining.delete(sessionId);
      entry.voice.close();
    });
    this.draining.set(sessionId, drained);
  }
}
