/**
 * The simulator: runs a draft on the real dialogue reducer in text mode. The studio sends the
 * whole list of the editor's actions from the start (typed answers, each verifier's outcome,
 * a timeout); they are replayed as the events a session would receive, so the result is
 * exactly what the reducer does, with no second implementation of the dialogue. Answers are
 * classified by the reducer's own offline rules (no LLM).
 */
import { z } from 'zod';
import { initialState, parseScript, reduce, ScriptError } from '../dialogue/index.ts';
import type { DialogueCommand, DialogueEvent, DialogueState, InputSpec, Locale, Script } from '../dialogue/index.ts';
import { ZLocale } from '../http/protocol.ts';

export const MAX_SIMULATION_ACTIONS = 300;

export const ZSimulationAction = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('answer'),
    text: z.string().max(2000).optional(),
    choice: z.string().max(50).optional(),
    fields: z.record(z.string().max(50), z.string().max(500)).optional(),
  }),
  z.strictObject({ type: z.literal('verifier'), outcome: z.enum(['pass', 'fail', 'timeout']) }),
  z.strictObject({ type: z.literal('timeout') }),
]);
export type SimulationAction = z.infer<typeof ZSimulationAction>;

export const ZSimulationRequest = z.strictObject({
  locale: ZLocale.optional(),
  actions: z.array(ZSimulationAction).max(MAX_SIMULATION_ACTIONS, { error: `at most ${MAX_SIMULATION_ACTIONS} actions` }),
});

export interface SimulationEntry {
  /** say: the assistant; applicant: what was answered; the rest: what the session did. */
  kind: 'say' | 'applicant' | 'verifier' | 'result' | 'timeout' | 'consent' | 'recording' | 'rejected' | 'end';
  stepId: string;
  text: string;
}

export interface SimulationResult {
  locale: Locale;
  transcript: SimulationEntry[];
  /** Step ids in the order the session went through them. */
  path: string[];
  status: DialogueState['status'];
  endReason: string | null;
  awaiting: { stepId: string; input: InputSpec } | null;
  /** A verifier is running: choose its outcome. */
  pendingVerifier: { stepId: string; verifier: string } | null;
  /** A timer is armed: the editor may let it fire. */
  timerArmed: boolean;
}

/** What a verifier "read" when the editor chooses pass (made-up sample data, never a person's). */
const PASS_DATA: Record<string, Record<string, unknown>> = {
  document: {
    documentKind: 'passport',
    fields: { surname: 'SAMPLE', givenNames: 'ALEX', birthDate: '1990-01-01', documentNumber: 'X0000000', documentType: 'P', nationality: 'UTO' },
  },
  'contract-seal': { recordId: 'simulated-record' },
};

const FAIL_REASON: Record<string, string> = { document: 'unreadable', liveness: 'liveness_failed', 'contract-seal': 'simulated failure' };

class Simulation {
  state: DialogueState;
  readonly transcript: SimulationEntry[] = [];
  readonly path: string[] = [];
  pending: { stepId: string; verifier: string; runId: unknown } | null = null;

  constructor(
    private readonly script: Script,
    locale: Locale,
  ) {
    this.state = initialState(script, locale);
    this.apply({ type: 'SessionStarted', locale });
  }

  visit(stepId: string | null): void {
    if (stepId !== null && this.path.at(-1) !== stepId) this.path.push(stepId);
  }

  apply(event: DialogueEvent): void {
    const before = this.state.stepId;
    const { state, commands } = reduce(this.script, this.state, event);
    this.state = state;
    this.visit(before);
    for (const command of commands) this.record(command);
    this.visit(state.stepId);
    if (this.pending !== null && this.pending.stepId !== state.stepId) this.pending = null;
  }

  record(command: DialogueCommand): void {
    switch (command.type) {
      case 'Say':
        this.visit(command.stepId);
        this.transcript.push({ kind: 'say', stepId: command.stepId, text: command.text });
        break;
      case 'RecordConsent':
        this.transcript.push({ kind: 'consent', stepId: command.stepId, text: `${command.purpose}: ${command.granted ? 'granted' : 'refused'}` });
        break;
      case 'StartRecording':
        this.transcript.push({ kind: 'recording', stepId: command.stepId, text: 'recording starts' });
        break;
      case 'StopRecording':
        this.transcript.push({ kind: 'recording', stepId: command.stepId, text: 'recording stops' });
        break;
      case 'RunVerifier':
        this.visit(command.stepId);
        this.pending = { stepId: command.stepId, verifier: command.verifier, runId: command.params.runId };
        this.transcript.push({ kind: 'verifier', stepId: command.stepId, text: `${command.verifier} check runs` });
        break;
      case 'RejectInput':
        this.transcript.push({ kind: 'rejected', stepId: command.stepId, text: command.message });
        break;
      case 'EndSession':
        this.transcript.push({ kind: 'end', stepId: this.state.stepId ?? '', text: `${command.outcome}: ${command.reason}` });
        break;
      default:
        break;
    }
  }

  act(action: SimulationAction): void {
    if (action.type === 'answer') {
      const awaiting = this.state.awaiting;
      if (awaiting === null) {
        this.transcript.push({ kind: 'rejected', stepId: this.state.stepId ?? '', text: 'no answer is expected now' });
        return;
      }
      const shown = action.text ?? action.choice ?? '';
      this.transcript.push({ kind: 'applicant', stepId: awaiting.stepId, text: shown });
      this.apply({
        type: 'AnswerReceived',
        stepId: awaiting.stepId,
        ...(action.text === undefined ? {} : { text: action.text }),
        ...(action.choice === undefined ? {} : { choice: action.choice }),
        ...(action.fields === undefined ? {} : { fields: action.fields }),
      });
      return;
    }
    if (action.type === 'verifier') {
      const pending = this.pending;
      if (pending === null) {
        this.transcript.push({ kind: 'rejected', stepId: this.state.stepId ?? '', text: 'no check is running' });
        return;
      }
      this.pending = null;
      const data: Record<string, unknown> = { runId: pending.runId };
      if (action.outcome === 'pass') Object.assign(data, PASS_DATA[pending.verifier] ?? {});
      if (action.outcome === 'fail') data.reason = FAIL_REASON[pending.verifier] ?? 'failed';
      this.transcript.push({ kind: 'result', stepId: pending.stepId, text: `${pending.verifier}: ${action.outcome}` });
      this.apply({ type: 'VerifierFinished', stepId: pending.stepId, verifier: pending.verifier, outcome: action.outcome, data });
      return;
    }
    const timer = this.state.timer;
    if (timer === null) {
      this.transcript.push({ kind: 'rejected', stepId: this.state.stepId ?? '', text: 'no timer is running' });
      return;
    }
    this.transcript.push({ kind: 'timeout', stepId: timer.stepId, text: `no answer for ${Math.round(timer.ms / 1000)} s` });
    this.apply({ type: 'TimedOut', stepId: timer.stepId, timerId: timer.id });
  }
}

/** Runs `actions` on the script in `source`; a ScriptError when the source does not load. */
export function simulate(source: string, request: z.infer<typeof ZSimulationRequest>): SimulationResult {
  const { script } = parseScript(source, 'draft.yaml');
  const locale = request.locale !== undefined && script.locales.includes(request.locale) ? request.locale : (script.locales[0] ?? 'en');
  const run = new Simulation(script, locale);
  for (const action of request.actions) {
    if (run.state.status !== 'active') break;
    run.act(action);
  }
  return {
    locale,
    transcript: run.transcript,
    path: run.path,
    status: run.state.status,
    endReason: run.state.endReason,
    awaiting: run.state.awaiting,
    pendingVerifier: run.pending === null ? null : { stepId: run.pending.stepId, verifier: run.pending.verifier },
    timerArmed: run.state.timer !== null,
  };
}

export { ScriptError };
