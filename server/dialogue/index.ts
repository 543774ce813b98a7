/**
 * The dialogue engine: scripts (YAML, validated) and the pure runner that turns events into
 * commands. See prompts/scripts/README.md for the script format.
 */
export { loadScriptsFromDir, locateInScript, parseScript } from './load.ts';
export { ScriptError, formatIssue } from './script-error.ts';
export type { ScriptIssue } from './script-error.ts';
export { initialState, MAX_STEPS_PER_EVENT, progressOf, reduce, stepById } from './runner.ts';
export { classifyYesNo, readYesNo } from './yesno.ts';
export type { YesNo } from './yesno.ts';
export { getStepKind, listStepKinds, registerStepKind } from './kinds/registry.ts';
export type {
  KindCommand,
  KindContext,
  KindControl,
  KindResult,
  RejectCode,
  StepEvent,
  StepKind,
  StepRoute,
} from './kinds/registry.ts';
export { stepFields, ZLocalizedText, ZMaxAttempts, ZStepId, ZTimeoutSeconds } from './schema.ts';
export { promptFields } from './kinds/prompting.ts';
export type {
  BaseStep,
  DialogueCommand,
  DialogueEvent,
  DialogueState,
  InputSpec,
  LoadedScript,
  Locale,
  LocalizedText,
  Outcome,
  Script,
  Transition,
} from './types.ts';
