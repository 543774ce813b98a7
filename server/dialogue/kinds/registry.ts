/**
 * Step kinds: what a step of each `kind:` in a script does. The runner and the loader only talk
 * to kinds through this interface and never switch on kind names, so a new kind (document OCR,
 * liveness, disclosure, ...) is one new file plus one line in `builtin.ts`.
 *
 * A kind is pure, like the runner: it reads the context and returns a `KindResult`. It never
 * makes ids, reads a clock or touches IO; the runner turns its result into commands.
 */
import type { ZodType } from 'zod';
import type {
  BaseStep,
  DialogueCommand,
  DialogueEvent,
  DialogueState,
  InputSpec,
  Locale,
  LocalizedText,
  Outcome,
  Script,
} from '../types.ts';

/** The events the runner hands to the current step's kind (already checked to be for it). */
export type StepEvent = Extract<DialogueEvent, { type: 'AnswerReceived' | 'TimedOut' | 'VerifierFinished' }>;

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * A command as a kind emits it: without `stepId`, line or timer ids (the runner fills those in).
 * Commands the runner owns (AwaitInput, timers, EndSession, RejectInput) are expressed through
 * the result's control field instead. Any other DialogueCommand added later passes through.
 */
export type KindCommand =
  | { type: 'Say'; text: string; rephrase?: { question: string } }
  | DistributiveOmit<
      Exclude<DialogueCommand, { type: 'Say' | 'AwaitInput' | 'StartTimer' | 'CancelTimer' | 'EndSession' | 'RejectInput' }>,
      'stepId'
    >;

export type RejectCode = Extract<DialogueCommand, { type: 'RejectInput' }>['code'];

/** What a kind decides. Exactly one control field: wait, keepWaiting, goto, end or reject. */
export type KindControl =
  /** Show this input and wait for the next event; `timeoutMs` arms a timer (replacing any). */
  | { wait: InputSpec; timeoutMs?: number }
  /** Keep waiting as before (no new AwaitInput, timer left as it is). */
  | { keepWaiting: true }
  /** Finish this step and enter another: a step id, or 'next' (the step's `next`, else the following step). */
  | { goto: string }
  /** Finish the session. */
  | { end: Outcome; reason: string }
  /** Refuse the event: the runner emits RejectInput and changes nothing else. */
  | { reject: RejectCode; message: string };

export type KindResult = KindControl & {
  /** Commands to carry out, in order, before the control takes effect. */
  commands?: KindCommand[];
  /** New attempt count for this step (see `KindContext.attempts`). */
  attempts?: number;
  /** Normalized accepted answer, stored in `state.answers[stepId]`. */
  answer?: string;
  /** Consent given or refused, stored in `state.consents[stepId]`. */
  consent?: boolean;
  /** This kind's working data for the step (JSON-serializable), replacing the previous value. */
  kindState?: unknown;
};

export interface KindContext<S extends BaseStep = BaseStep> {
  script: Script;
  step: S;
  locale: Locale;
  /** The whole dialogue state, read-only. */
  state: Readonly<DialogueState>;
  /** Attempts used at this step since it was entered. */
  attempts: number;
  /** This step's kind data (undefined when the step has just been entered). */
  kindState: unknown;
  /** The session's language version of a script or default text. */
  text(value: LocalizedText): string;
}

/** A step id a step may route to besides `next`, with the field that names it (for errors). */
export interface StepRoute {
  path: (string | number)[];
  stepId: string;
}

export interface StepKind<S extends BaseStep = BaseStep> {
  /** The `kind:` value in scripts. */
  readonly kind: string;
  /** Validates one step of this kind as written in a script, including `id`, `kind`, `next`. */
  readonly schema: ZodType<S>;
  /**
   * How control leaves such a step, for the loader's flow checks and progress: 'pass' may
   * finish on enter, 'wait' always waits for an event first, 'end' ends the session.
   */
  readonly flow: 'pass' | 'wait' | 'end';
  /**
   * Typed answers at this step should reach it already classified (`AnswerReceived.classification`,
   * from the session's intent provider, which may be an LLM). The kind must still work without it.
   */
  readonly classifiesAnswers?: boolean;
  /** Other step ids the step may go to (e.g. `onFail`). */
  routes?(step: S): StepRoute[];
  /** The step is entered. */
  enter(ctx: KindContext<S>): KindResult;
  /** An event for this step arrived while it is current. */
  onEvent(ctx: KindContext<S>, event: StepEvent): KindResult;
}

// Kinds are stored type-erased; each kind's own functions only ever see steps its schema made.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyStepKind = StepKind<any>;

const kinds = new Map<string, AnyStepKind>();

/** Adds a kind. Registering the same object twice is a no-op; another kind under a taken name throws. */
export function registerStepKind<S extends BaseStep>(kind: StepKind<S>): void {
  const existing = kinds.get(kind.kind);
  if (existing === kind) return;
  if (existing) throw new Error(`step kind '${kind.kind}' is already registered`);
  kinds.set(kind.kind, kind);
}

export function getStepKind(name: string): StepKind | undefined {
  return kinds.get(name);
}

/** Registered kind names, sorted (for error messages and docs). */
export function listStepKinds(): string[] {
  return [...kinds.keys()].sort();
}

/** The usual answer of a kind to an event it does not expect. */
export function rejectUnexpected(event: StepEvent): KindResult {
  return { reject: 'not_awaiting', message: `this step does not take ${event.type}` };
}
