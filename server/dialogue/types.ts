/**
 * Dialogue contracts. The runner is a pure reducer: `reduce(script, state, event)` returns the
 * next state and the commands an interpreter must carry out. No IO, no clock, no randomness
 * here: times and ids come in on events.
 */
import type { ConfirmField, InputSpec, Locale } from '../http/protocol.ts';
import type { IntentClassification } from '../intent/types.ts';

export type { ConfirmField, InputSpec, Locale };

/** Text per locale. A script must provide every locale it declares. */
export type LocalizedText = Partial<Record<Locale, string>>;

/** Fields every step has; each kind adds its own (validated by that kind's zod schema). */
export interface BaseStep {
  id: string;
  kind: string;
  /** Step to go to when this one succeeds; default: the next step in the list. */
  next?: string;
}

/** A validated script. `steps` hold kind-specific fields as validated by each kind's schema. */
export interface Script {
  id: string;
  title: LocalizedText;
  locales: Locale[];
  /** Declared scope of the compliance lint; absent = every rule applies in full. */
  compliance?: { identity?: 'in-session' | 'before-session' | undefined };
  steps: BaseStep[];
}

/** A script plus where it came from and its pinned version. */
export interface LoadedScript {
  script: Script;
  /** sha256 hex of the exact source text: the version a session pins. */
  hash: string;
  /** The YAML source, stored so a session can finish on its version after files change. */
  source: string;
  file: string;
}

export type Outcome = 'completed' | 'declined' | 'review';

export interface DialogueState {
  status: 'pending' | 'active' | Outcome;
  locale: Locale;
  stepId: string | null;
  /** Attempts used per step id. */
  attempts: Record<string, number>;
  /** Accepted answers per step id (normalized value). */
  answers: Record<string, string>;
  /** Consents per step id. */
  consents: Record<string, boolean>;
  /** The input the runner is waiting for, or null. */
  awaiting: { stepId: string; input: InputSpec } | null;
  /** Timer the current step armed, if any (id is unique within the session). */
  timer: { id: string; stepId: string; ms: number } | null;
  /** Counter used to make ids (line ids, timer ids) unique and deterministic. */
  seq: number;
  endReason: string | null;
  /**
   * True between a StartRecording and a StopRecording, so an ending stops the recording.
   * Optional so states written before this field existed still type-check; absent = false.
   */
  recording?: boolean;
  /**
   * Each step kind's own JSON-serializable working data, per step id (e.g. "already timed out
   * once"). Owned by the kind; reset when the step is entered. Optional like `recording`.
   */
  kindState?: Record<string, unknown>;
}

export type DialogueEvent =
  | { type: 'SessionStarted'; locale: Locale }
  | {
      type: 'AnswerReceived';
      stepId: string;
      text?: string;
      choice?: string;
      /** Field values the applicant corrected at a confirm step (stored beside the read values). */
      fields?: Record<string, string>;
      /**
       * The answer as classified by the session's intent provider before it reached the reducer
       * (stored with the event as evidence). Optional: without it, steps that need a reading
       * classify the text with the pure offline rules. Validated again by the steps that use it.
       */
      classification?: IntentClassification;
    }
  | { type: 'TimedOut'; stepId: string; timerId: string }
  | {
      type: 'VerifierFinished';
      stepId: string;
      verifier: string;
      outcome: 'pass' | 'fail' | 'unavailable' | 'timeout';
      data?: Record<string, unknown>;
    }
  | { type: 'MediaFailed'; reason: string };

export type DialogueCommand =
  /** `rephrase`: a non-binding line (an approved answer) that a configured LLM may reword, facts kept. */
  | { type: 'Say'; stepId: string; lineId: string; text: string; rephrase?: { question: string } }
  | { type: 'AwaitInput'; stepId: string; input: InputSpec }
  | { type: 'StartTimer'; stepId: string; timerId: string; ms: number }
  | { type: 'CancelTimer'; timerId: string }
  | { type: 'RecordConsent'; stepId: string; purpose: string; granted: boolean }
  | { type: 'StartRecording'; stepId: string }
  | { type: 'StopRecording'; stepId: string }
  | { type: 'RunVerifier'; stepId: string; verifier: string; params: Record<string, unknown> }
  | { type: 'RejectInput'; stepId: string; code: 'wrong_step' | 'not_awaiting' | 'session_ended'; message: string }
  | { type: 'EndSession'; outcome: Outcome; reason: string };

export interface Transition {
  state: DialogueState;
  commands: DialogueCommand[];
}
