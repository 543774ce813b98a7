/**
 * The dialogue runner: a pure reducer over (script, state, event). It routes each event to the
 * current step's kind, applies what the kind decides, enters following steps in the same call,
 * and turns everything into commands for the interpreter. It never switches on kind names.
 *
 * Ids come from `state.seq` (line-N, timer-N); there is no clock, randomness or IO here.
 */
import './kinds/builtin.ts';
import { getStepKind } from './kinds/registry.ts';
import type { KindContext, KindResult, RejectCode, StepEvent, StepKind } from './kinds/registry.ts';
import type {
  BaseStep,
  DialogueCommand,
  DialogueEvent,
  DialogueState,
  Locale,
  LocalizedText,
  Outcome,
  Script,
  Transition,
} from './types.ts';

/** Steps one event may enter before the runner stops the session as a runaway script. */
export const MAX_STEPS_PER_EVENT = 100;

export function stepById(script: Script, stepId: string): BaseStep | undefined {
  return script.steps.find((step) => step.id === stepId);
}

function chooseLocale(script: Script, wanted: Locale | undefined, fallback: Locale): Locale {
  if (wanted !== undefined && script.locales.includes(wanted)) return wanted;
  return script.locales.includes(fallback) ? fallback : (script.locales[0] ?? fallback);
}

/** A fresh session; `locale` falls back to the script's first locale when it does not have it. */
export function initialState(script: Script, locale: Locale): DialogueState {
  return {
    status: 'pending',
    locale: chooseLocale(script, locale, script.locales[0] ?? locale),
    stepId: null,
    attempts: {},
    answers: {},
    consents: {},
    awaiting: null,
    timer: null,
    seq: 0,
    endReason: null,
    recording: false,
    kindState: {},
  };
}

/**
 * Where the session is, for the progress bar: the current step's 1-based position among the
 * steps that do not end the session (an ending step counts as the last of the steps before it).
 */
export function progressOf(
  script: Script,
  state: DialogueState,
): { index: number; total: number; stepId: string; kind: string } | null {
  if (state.stepId === null) return null;
  const position = script.steps.findIndex((step) => step.id === state.stepId);
  const step = script.steps[position];
  if (step === undefined) return null;
  const counted = (candidate: BaseStep) => getStepKind(candidate.kind)?.flow !== 'end';
  const total = script.steps.filter(counted).length;
  const before = script.steps.slice(0, position).filter(counted).length;
  return { index: counted(step) ? before + 1 : Math.max(before, 1), total, stepId: step.id, kind: step.kind };
}

// ---- reduce -------------------------------------------------------------------------------

/** The working copy one `reduce` call builds up. */
interface Run {
  script: Script;
  state: DialogueState;
  commands: DialogueCommand[];
  entered: number;
}

function unchanged(state: DialogueState, commands: DialogueCommand[] = []): Transition {
  return { state, commands };
}

function reject(state: DialogueState, stepId: string, code: RejectCode, message: string): Transition {
  return unchanged(state, [{ type: 'RejectInput', stepId, code, message }]);
}

export function reduce(script: Script, state: DialogueState, event: DialogueEvent): Transition {
  if (state.status === 'pending') {
    if (event.type === 'SessionStarted') return start(script, state, event.locale);
    if (event.type === 'MediaFailed') return unchanged(state);
    return reject(state, event.stepId, 'not_awaiting', 'the session has not started');
  }
  if (state.status !== 'active') {
    if (event.type === 'SessionStarted' || event.type === 'MediaFailed') return unchanged(state);
    return reject(state, event.stepId, 'session_ended', 'the session has ended');
  }
  switch (event.type) {
    case 'SessionStarted':
      return unchanged(state);
    case 'MediaFailed': {
      const run = begin(script, state);
      finish(run, 'review', `media failed: ${event.reason}`);
      return { state: run.state, commands: run.commands };
    }
    case 'AnswerReceived': {
      const awaiting = state.awaiting;
      if (awaiting === null) return reject(state, event.stepId, 'not_awaiting', 'no answer is expected now');
      if (event.stepId !== awaiting.stepId) {
        return reject(state, event.stepId, 'wrong_step', 'this answer is for another step');
      }
      if (awaiting.input.type === 'none') {
        return reject(state, event.stepId, 'not_awaiting', 'this step does not take an answer');
      }
      return dispatch(script, state, event);
    }
    case 'TimedOut': {
      if (event.stepId !== state.stepId) return reject(state, event.stepId, 'wrong_step', 'timer of another step');
      if (state.timer === null || state.timer.id !== event.timerId) {
        return reject(state, event.stepId, 'not_awaiting', 'this timer is no longer armed');
      }
      return dispatch(script, state, event);
    }
    case 'VerifierFinished': {
      if (event.stepId !== state.stepId) {
        return reject(state, event.stepId, 'wrong_step', 'verifier result for another step');
      }
      return dispatch(script, state, event);
    }
  }
}

function begin(script: Script, state: DialogueState): Run {
  return { script, state: structuredClone(state), commands: [], entered: 0 };
}

function start(script: Script, state: DialogueState, locale: Locale): Transition {
  const run = begin(script, state);
  run.state.status = 'active';
  run.state.locale = chooseLocale(script, locale, state.locale);
  const first = script.steps[0];
  if (first === undefined) finish(run, 'review', 'script error: the script has no steps');
  else enterFrom(run, first.id);
  return { state: run.state, commands: run.commands };
}

/** Hands an event to the current step's kind and follows where it leads. */
function dispatch(script: Script, state: DialogueState, event: StepEvent): Transition {
  const run = begin(script, state);
  if (event.type === 'TimedOut') run.state.timer = null; // it fired
  const current = currentStep(run);
  if (current === null) return { state: run.state, commands: run.commands };
  const result = current.kind.onEvent(contextFor(run, current.step), event);
  if ('reject' in result) return reject(state, event.stepId, result.reject, result.message);
  const next = apply(run, current.step, result);
  if (next !== null) enterFrom(run, next);
  return { state: run.state, commands: run.commands };
}

function currentStep(run: Run): { step: BaseStep; kind: StepKind } | null {
  const stepId = run.state.stepId;
  const step = stepId === null ? undefined : stepById(run.script, stepId);
  const kind = step === undefined ? undefined : getStepKind(step.kind);
  if (step === undefined || kind === undefined) {
    finish(run, 'review', `script error: step ${stepId ?? '(none)'} cannot run`);
    return null;
  }
  return { step, kind };
}

/** Enters `stepId` and keeps entering while kinds finish straight away. */
function enterFrom(run: Run, stepId: string): void {
  let target: string | null = stepId;
  while (target !== null) {
    if (run.entered >= MAX_STEPS_PER_EVENT) {
      finish(run, 'review', `script error: more than ${MAX_STEPS_PER_EVENT} steps without waiting (at ${target})`);
      return;
    }
    const step = stepById(run.script, target);
    const kind = step === undefined ? undefined : getStepKind(step.kind);
    if (step === undefined || kind === undefined) {
      finish(run, 'review', `script error: cannot enter step ${target}`);
      return;
    }
    run.entered += 1;
    const { state } = run;
    state.stepId = step.id;
    state.awaiting = null;
    state.attempts[step.id] = 0;
    state.kindState = { ...state.kindState };
    delete state.kindState[step.id];
    const result = kind.enter(contextFor(run, step));
    if ('reject' in result) {
      finish(run, 'review', `script error: step ${step.id} rejected its own entry`);
      return;
    }
    target = apply(run, step, result);
  }
}

function contextFor(run: Run, step: BaseStep): KindContext {
  const { state, script } = run;
  return {
    script,
    step,
    locale: state.locale,
    state,
    attempts: state.attempts[step.id] ?? 0,
    kindState: state.kindState?.[step.id],
    text: (value: LocalizedText) => pickText(script, value, state.locale),
  };
}

function pickText(script: Script, value: LocalizedText, locale: Locale): string {
  const fallback = script.locales.map((candidate) => value[candidate]).find((text) => text !== undefined);
  return value[locale] ?? fallback ?? Object.values(value).find((text) => text !== undefined) ?? '';
}

function nextId(run: Run, prefix: string): string {
  run.state.seq += 1;
  return `${prefix}-${run.state.seq}`;
}

function cancelTimer(run: Run): void {
  if (run.state.timer === null) return;
  run.commands.push({ type: 'CancelTimer', timerId: run.state.timer.id });
  run.state.timer = null;
}

/** Applies a kind's result; returns the step to enter next, or null (waiting or ended). */
function apply(run: Run, step: BaseStep, result: Exclude<KindResult, { reject: RejectCode }>): string | null {
  const { state } = run;
  if (result.attempts !== undefined) state.attempts[step.id] = result.attempts;
  if (result.answer !== undefined) state.answers[step.id] = result.answer;
  if (result.consent !== undefined) state.consents[step.id] = result.consent;
  if (result.kindState !== undefined) state.kindState = { ...state.kindState, [step.id]: result.kindState };

  for (const command of result.commands ?? []) {
    if (command.type === 'Say') {
      run.commands.push({
        type: 'Say',
        stepId: step.id,
        lineId: nextId(run, 'line'),
        text: command.text,
        ...(command.rephrase ? { rephrase: command.rephrase } : {}),
      });
      continue;
    }
    if (command.type === 'StartRecording') {
      if (state.recording === true) continue;
      state.recording = true;
    }
    if (command.type === 'StopRecording') {
      if (state.recording !== true) continue;
      state.recording = false;
    }
    run.commands.push({ ...command, stepId: step.id } as DialogueCommand);
  }

  if ('wait' in result) {
    cancelTimer(run);
    state.awaiting = { stepId: step.id, input: result.wait };
    run.commands.push({ type: 'AwaitInput', stepId: step.id, input: result.wait });
    if (result.timeoutMs !== undefined) {
      const timer = { id: nextId(run, 'timer'), stepId: step.id, ms: result.timeoutMs };
      state.timer = timer;
      run.commands.push({ type: 'StartTimer', stepId: step.id, timerId: timer.id, ms: timer.ms });
    }
    return null;
  }
  if ('keepWaiting' in result) return null;
  if ('end' in result) {
    finish(run, result.end, result.reason);
    return null;
  }
  // goto: leave this step
  cancelTimer(run);
  state.awaiting = null;
  if (result.goto !== 'next') return result.goto;
  if (step.next !== undefined) return step.next;
  const following = run.script.steps[run.script.steps.findIndex((candidate) => candidate.id === step.id) + 1];
  if (following === undefined) {
    finish(run, 'review', `script error: step ${step.id} has no next step`);
    return null;
  }
  return following.id;
}

/** Ends the session: cancels the timer, stops the recording, emits EndSession. */
function finish(run: Run, outcome: Outcome, reason: string): void {
  const { state } = run;
  cancelTimer(run);
  if (state.recording === true && state.stepId !== null) {
    run.commands.push({ type: 'StopRecording', stepId: state.stepId });
  }
  state.recording = false;
  state.awaiting = null;
  state.status = outcome;
  state.endReason = reason;
  run.commands.push({ type: 'EndSession', outcome, reason });
}
