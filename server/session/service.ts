/**
 * The session interpreter: feeds events to the pure dialogue reducer, stores the new state and
 * its audit events in one transaction, then carries out the commands' side effects (timers,
 * verifiers, notifying the applicant's screen). One session's events are handled in order.
 */
import {
  initialState,
  reduce,
  type DialogueCommand,
  type DialogueEvent,
  type DialogueState,
} from '../dialogue/index.ts';
import { ContractInputError } from '../contract/errors.ts';
import type { SessionLoan } from '../contract/loan.ts';
import { resolveSessionLoan } from '../contract/session.ts';
import type { IntentClassifier } from '../intent/index.ts';
import type { AnswerPhraser } from '../intent/llm/phrase.ts';
import { getProduct } from '../intent/index.ts';
import type { Logger } from '../log.ts';
import type { NewEvent, SessionRecord, StoredEvent, Store } from '../store/index.ts';
import { AppError } from '../http/errors.ts';
import { TERMINAL_STATUSES, type CreateSessionBody, type CreateSessionResponse, type Locale, type SessionStatus } from '../http/protocol.ts';
import type { ScriptCatalog } from './catalog.ts';
import { hashToken, newApplicantToken, newReference, newSessionId } from './ids.ts';
import { AnswerEvidence } from './answers.ts';
import { KeyedQueue } from './queue.ts';
import { commandToRecord, inputToRecord, statusOf } from './records.ts';
import { SessionTimers } from './timers.ts';
import { SESSION_INTERRUPTED, SESSION_RESUMED } from '../review/flags.ts';
import type { VerifierRegistry } from './verifiers.ts';

export interface SessionServiceOptions {
  store: Store;
  catalog: ScriptCatalog;
  verifiers: VerifierRegistry;
  /** Classifies typed answers at steps whose kind asks for it (intent, disclosure). */
  classifier: IntentClassifier;
  /** Words approved (non-binding) answers for the question asked, when an LLM is configured. */
  phraser?: AnswerPhraser | null;
  logger: Logger;
  publicUrl: string;
  defaultScriptId: string;
  sessionTtlMs: number;
  now?: () => Date;
}

export interface DispatchResult {
  record: SessionRecord;
  /** Set when the reducer refused the input (wrong step, not awaiting, ended). */
  rejected: { code: 'wrong_step' | 'not_awaiting' | 'session_ended'; message: string } | null;
}

type Listener = (sessionId: string) => void;


export class SessionService {
  private readonly queue = new KeyedQueue();
  private readonly timers: SessionTimers;
  private readonly changeListeners = new Set<Listener>();
  private readonly endListeners = new Set<Listener>();
  private readonly commandListeners = new Set<(sessionId: string, command: DialogueCommand) => void>();
  private readonly now: () => Date;
  private readonly answers: AnswerEvidence;

  constructor(private readonly o: SessionServiceOptions) {
    this.now = o.now ?? (() => new Date());
    this.answers = new AnswerEvidence(o);
    this.timers = new SessionTimers((sessionId, stepId, timerId) => {
      void this.dispatch(sessionId, { type: 'TimedOut', stepId, timerId }).catch((error: unknown) =>
        this.o.logger.error({ err: error, sessionId }, 'timeout dispatch failed'),
      );
    });
  }

  create(body: CreateSessionBody): CreateSessionResponse {
    const scriptId = body.scriptId ?? this.o.defaultScriptId;
    const loaded = this.o.catalog.latest(scriptId);
    if (!loaded) throw new AppError('script_not_found', `No script with id "${scriptId}" is loaded.`);
    const locale: Locale = body.locale ?? loaded.script.locales[0] ?? 'en';
    if (!loaded.script.locales.includes(locale)) {
      throw new AppError('locale_not_supported', `Script "${scriptId}" does not support locale "${locale}".`);
    }
    let loan: SessionLoan | null;
    try {
      loan = resolveSessionLoan(loaded.script, body.loan, getProduct);
    } catch (error) {
      if (error instanceof ContractInputError) throw new AppError('bad_request', error.message);
      throw error;
    }
    const token = newApplicantToken();
    const now = this.now();
    const expiresAt = new Date(now.getTime() + this.o.sessionTtlMs).toISOString();
    const id = newSessionId();
    const reference = newReference();
    this.o.store.sessions.create(
      {
        id,
        reference,
        tokenHash: hashToken(token),
        status: 'created',
        locale,
        scriptId,
        scriptHash: loaded.hash,
        externalRef: body.externalRef ?? null,
        state: initialState(loaded.script, locale),
        createdAt: now.toISOString(),
        expiresAt,
      },
      { type: 'SessionCreated', at: now.toISOString(), payload: { scriptId, scriptHash: loaded.hash, locale, expiresAt, ...(loan ? { loan } : {}) } },
    );
    this.o.logger.info({ sessionId: id, scriptId }, 'session created');
    return { sessionId: id, reference, token, link: `${this.o.publicUrl}/s/${token}`, expiresAt };
  }

  /** The session a token opens; expired sessions are marked so (with an event) and refused. */
  async resolveToken(token: string): Promise<SessionRecord> {
    let record = this.o.store.sessions.findByTokenHash(hashToken(token));
    if (!record) throw new AppError('session_not_found');
    if (record.status === 'expired') throw new AppError('session_expired');
    if (record.status === 'interrupted' && Date.parse(record.expiresAt) > this.now().getTime()) record = await this.resume(record.id);
    const terminal = TERMINAL_STATUSES.includes(record.status as SessionStatus);
    if (!terminal && Date.parse(record.expiresAt) <= this.now().getTime()) {
      await this.queue.run(record.id, () => {
        const fresh = this.mustFind(record.id);
        const at = this.now().toISOString();
        this.o.store.sessions.update(fresh.id, fresh.version, { status: 'expired', endedAt: at }, [
          { type: 'SessionExpired', at, payload: {} },
        ]);
        this.timers.clearSession(fresh.id);
      });
      this.notifyChanged(record.id);
      throw new AppError('session_expired');
    }
    return record;
  }

  get(sessionId: string): SessionRecord {
    return this.mustFind(sessionId);
  }

  /** Feeds one event to the reducer and applies the result; sequential per session. */
  dispatch(sessionId: string, event: DialogueEvent): Promise<DispatchResult> {
    return this.queue.run(sessionId, () => this.apply(sessionId, event));
  }

  /**
   * An applicant's answer. At steps whose kind classifies answers, the text is classified first
   * (possibly by an LLM, bounded by its own timeout, falling back to the offline rules) and the
   * reading travels on the event, so it is stored with the answer and replay needs no model.
   */
  async answer(
    sessionId: string,
    answer: { stepId: string; text?: string; choice?: string; fields?: Record<string, string> },
  ): Promise<DispatchResult> {
    const classification = answer.text === undefined ? null : await this.answers.classify(this.mustFind(sessionId), answer.stepId, answer.text);
    return this.dispatch(sessionId, {
      type: 'AnswerReceived',
      stepId: answer.stepId,
      ...(answer.text !== undefined ? { text: answer.text } : {}),
      ...(answer.choice !== undefined ? { choice: answer.choice } : {}),
      ...(answer.fields !== undefined ? { fields: answer.fields } : {}),
      ...(classification ? { classification } : {}),
    });
  }

  /** Appends facts that change no dialogue state (media milestones), in order with dispatches. */
  recordFacts(sessionId: string, events: Omit<NewEvent, 'at'>[]): Promise<void> {
    return this.queue.run(sessionId, () => {
      const record = this.mustFind(sessionId);
      const at = this.now().toISOString();
      this.o.store.sessions.update(record.id, record.version, {}, events.map((e) => ({ ...e, at })));
    });
  }

  /** Stores evidence for a session, in order with its other writes (it extends the chain). */
  storeArtifact(sessionId: string, kind: string, mime: string, bytes: Uint8Array): Promise<{ id: string; sha256: string }> {
    return this.queue.run(sessionId, async () => {
      const record = await this.o.store.artifacts.put(sessionId, kind, mime, bytes);
      return { id: record.id, sha256: record.sha256 };
    });
  }

  onChanged(listener: Listener): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Every command, after its state is stored (the recorder listens for Start/StopRecording). */
  onCommand(listener: (sessionId: string, command: DialogueCommand) => void): () => void {
    this.commandListeners.add(listener);
    return () => this.commandListeners.delete(listener);
  }

  onEnded(listener: Listener): () => void {
    this.endListeners.add(listener);
    return () => this.endListeners.delete(listener);
  }

  /**
   * At startup, before anyone connects: sessions the previous process left running are marked
   * `interrupted` with a SessionInterrupted event (the review queue shows them, and the flag
   * stays). The applicant may still resume until the link expires (see `resolveToken`):
   * resuming stores SessionResumed and sets the session active again. Returns their ids.
   */
  markInterrupted(reason = 'server-restart'): string[] {
    const ids: string[] = [];
    for (const record of this.o.store.sessions.listByStatus(['active'])) {
      const at = this.now().toISOString();
      const last = this.o.store.events.list(record.id).at(-1);
      this.o.store.sessions.update(record.id, record.version, { status: 'interrupted' }, [
        { type: SESSION_INTERRUPTED, at, payload: { reason, lastEventAt: last?.at ?? null, stepId: (record.state as DialogueState).awaiting?.stepId ?? null } },
      ]);
      ids.push(record.id);
    }
    if (ids.length > 0) this.o.logger.warn({ count: ids.length }, 'sessions interrupted by a restart; applicants may resume them');
    return ids;
  }

  /** After a restart: re-arm the step timers and re-run the verifiers of sessions that are running. */
  restore(): void {
    for (const record of this.o.store.sessions.listByStatus(['active'])) this.continueRunning(record);
  }

  /** The applicant came back to an interrupted session: it continues where it stopped. */
  private async resume(sessionId: string): Promise<SessionRecord> {
    const resumed = await this.queue.run(sessionId, () => {
      const fresh = this.mustFind(sessionId);
      if (fresh.status !== 'interrupted') return fresh;
      const at = this.now().toISOString();
      const updated = this.o.store.sessions.update(fresh.id, fresh.version, { status: statusOf(fresh.state as DialogueState) }, [
        { type: SESSION_RESUMED, at, payload: {} },
      ]);
      this.continueRunning(updated);
      return updated;
    });
    this.notifyChanged(sessionId);
    return resumed;
  }

  /** A running session after a restart: its step timer again, and a verifier that never reported. */
  private continueRunning(record: SessionRecord): void {
    const state = record.state as DialogueState;
    const events = this.o.store.events.list(record.id);
    this.resumeVerifier(record, events);
    if (!state.timer) return;
    const started = events
      .filter((e) => e.type === 'TimerStarted' && (e.payload as { timerId?: string }).timerId === state.timer?.id)
      .at(-1);
    const startedAt = started ? Date.parse(started.at) : this.now().getTime();
    const remaining = Math.max(0, startedAt + state.timer.ms - this.now().getTime());
    this.timers.arm(record.id, state.timer.stepId, state.timer.id, remaining);
  }

  async shutdown(): Promise<void> {
    this.timers.clearAll();
    await this.queue.drain();
  }

  private async apply(sessionId: string, event: DialogueEvent): Promise<DispatchResult> {
    const record = this.mustFind(sessionId);
    if (record.status === 'expired' || record.status === 'interrupted') {
      return { record, rejected: { code: 'session_ended', message: 'This session has ended.' } };
    }
    const loaded = this.o.catalog.pinned(record.scriptHash);
    const state = record.state as DialogueState;
    const at = this.now().toISOString();
    let transition: ReturnType<typeof reduce>;
    try {
      transition = reduce(loaded.script, state, event);
    } catch (error) {
      // A faulty step kind must not wedge the session: hand it to a person.
      this.o.logger.error({ err: error, sessionId, eventType: event.type }, 'dialogue reducer failed');
      transition = {
        state: { ...state, status: 'review', awaiting: null, timer: null, endReason: 'dialogue error' },
        commands: [{ type: 'EndSession', outcome: 'review', reason: 'dialogue error' }],
      };
    }
    const { state: next, commands } = transition;
    const reject = commands.find((c) => c.type === 'RejectInput');
    if (reject && reject.type === 'RejectInput' && commands.every((c) => c.type === 'RejectInput')) {
      // Nothing changed: keep the refused input out of the chain (it may hold personal data),
      // record only that something was refused.
      const updated = this.o.store.sessions.update(record.id, record.version, {}, [commandToRecord(reject, at)!]);
      return { record: updated, rejected: { code: reject.code, message: reject.message } };
    }
    const phrased = await this.answers.phrase(commands, next.locale);
    const events: NewEvent[] = [inputToRecord(event, at, this.answers.evidence(sessionId, state, event))];
    for (const command of commands) {
      const stored = commandToRecord(command, at);
      if (!stored) continue;
      const reworded = command.type === 'Say' ? phrased.get(command.lineId) : undefined;
      // The approved text stays in the record beside the words the applicant heard.
      events.push(reworded === undefined ? stored : { ...stored, payload: { ...(stored.payload as object), text: reworded, approved: (command as { text: string }).text, rephrasedBy: 'llm' } });
    }
    const status = statusOf(next);
    const ended = TERMINAL_STATUSES.includes(status) && !TERMINAL_STATUSES.includes(record.status as SessionStatus);
    const updated = this.o.store.sessions.update(record.id, record.version, {
      state: next,
      status,
      locale: next.locale,
      ...(ended ? { endedAt: at } : {}),
    }, events);
    // Listeners (the voice) get the words the applicant is shown, reworded or not.
    this.carryOut(sessionId, commands.map((c) => (c.type === 'Say' && phrased.has(c.lineId) ? { ...c, text: phrased.get(c.lineId) as string } : c)));
    this.notifyChanged(sessionId);
    if (ended) {
      this.timers.clearSession(sessionId);
      this.o.verifiers.cancel(sessionId);
      this.o.logger.info({ sessionId, status }, 'session ended');
      for (const l of this.endListeners) l(sessionId);
    }
    return { record: updated, rejected: reject?.type === 'RejectInput' ? { code: reject.code, message: reject.message } : null };
  }

  /** Side effects, after the state is stored. Anything they produce comes back as an event. */
  private carryOut(sessionId: string, commands: DialogueCommand[]): void {
    for (const command of commands) {
      for (const listener of this.commandListeners) {
        try {
          listener(sessionId, command);
        } catch (error) {
          this.o.logger.error({ err: error, sessionId, command: command.type }, 'command listener failed');
        }
      }
      switch (command.type) {
        case 'StartTimer':
          this.timers.arm(sessionId, command.stepId, command.timerId, command.ms);
          break;
        case 'CancelTimer':
          this.timers.cancel(sessionId, command.timerId);
          break;
        case 'RunVerifier':
          this.runVerifier(sessionId, command);
          break;
        default:
          // Say / AwaitInput reach the applicant through the view; recording requests go to
          // the recorder (a command listener); consents are stored as events.
          break;
      }
    }
  }

  private runVerifier(sessionId: string, command: Extract<DialogueCommand, { type: 'RunVerifier' }>): void {
    void this.o.verifiers
      .run(sessionId, command, {
        locale: this.mustFind(sessionId).locale as Locale,
        storeArtifact: (kind, mime, bytes) => this.storeArtifact(sessionId, kind, mime, bytes),
        latestArtifact: async (kind) => {
          const latest = this.o.store.artifacts.list(sessionId).filter((a) => a.kind === kind).at(-1);
          const read = latest ? await this.o.store.artifacts.read(latest.id) : null;
          return read ? { id: read.record.id, mime: read.record.mime, bytes: read.bytes } : null;
        },
      })
      .then((finished) => this.dispatch(sessionId, finished))
      .catch((error: unknown) => this.o.logger.error({ err: error, sessionId }, 'verifier dispatch failed'));
  }

  /**
   * A verifier that was running when the server stopped has no result in the chain: run it again
   * with the params it was asked with (its run id included, so the step accepts the result). A
   * request stored without params (older versions) gets an 'unavailable' result instead, so the
   * script routes to its retry or human review rather than waiting forever.
   */
  private resumeVerifier(record: SessionRecord, events: StoredEvent[]): void {
    const requested = events.findLastIndex((e) => e.type === 'VerifierRequested');
    if (requested < 0 || events.slice(requested + 1).some((e) => e.type === 'VerifierFinished')) return;
    const payload = events[requested]!.payload as { stepId: string; verifier: string; params?: Record<string, unknown> };
    if (payload.stepId !== (record.state as DialogueState).stepId) return;
    this.o.logger.info({ sessionId: record.id, verifier: payload.verifier }, 'verifier resumed after restart');
    if (payload.params) {
      this.runVerifier(record.id, { type: 'RunVerifier', stepId: payload.stepId, verifier: payload.verifier, params: payload.params });
      return;
    }
    void this.dispatch(record.id, {
      type: 'VerifierFinished',
      stepId: payload.stepId,
      verifier: payload.verifier,
      outcome: 'unavailable',
      data: { reason: 'restart' },
    }).catch((error: unknown) => this.o.logger.error({ err: error, sessionId: record.id }, 'verifier dispatch failed'));
  }

  private notifyChanged(sessionId: string): void {
    for (const l of this.changeListeners) {
      try {
        l(sessionId);
      } catch (error) {
        this.o.logger.error({ err: error, sessionId }, 'change listener failed');
      }
    }
  }

  private mustFind(sessionId: string): SessionRecord {
    const record = this.o.store.sessions.findById(sessionId);
    if (!record) throw new AppError('session_not_found');
    return record;
  }
}
