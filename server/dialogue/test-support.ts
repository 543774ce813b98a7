/** Helpers for the dialogue unit tests: build scripts from YAML lines and play events. */
import { parseScript } from './load.ts';
import { initialState, reduce } from './runner.ts';
import type { DialogueCommand, DialogueEvent, DialogueState, Locale, Script } from './types.ts';

/** Joins lines into YAML, so tests can count line numbers. */
export function yaml(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}

/** A script from the YAML of its steps (indented by two spaces, as under `steps:`). */
export function scriptOf(steps: string[], locales: Locale[] = ['en', 'zh-CN']): Script {
  const title = locales.map((locale) => `${locale}: Test`).join(', ');
  const source = yaml('id: test', `title: { ${title} }`, `locales: [${locales.join(', ')}]`, 'steps:', ...steps);
  return parseScript(source, 'test.yaml').script;
}

export interface Played {
  state: DialogueState;
  /** Commands per event, in order. */
  batches: DialogueCommand[][];
  /** Every command, flattened. */
  commands: DialogueCommand[];
}

/** Feeds events one after another from `state` (default: a fresh session). */
export function play(script: Script, events: DialogueEvent[], state?: DialogueState): Played {
  let current = state ?? initialState(script, script.locales[0] ?? 'en');
  const batches: DialogueCommand[][] = [];
  for (const event of events) {
    const transition = reduce(script, current, event);
    current = transition.state;
    batches.push(transition.commands);
  }
  return { state: current, batches, commands: batches.flat() };
}

/** The texts of the Say commands. */
export function said(commands: DialogueCommand[]): string[] {
  return commands.flatMap((command) => (command.type === 'Say' ? [command.text] : []));
}

/** Command types, in order. */
export function types(commands: DialogueCommand[]): string[] {
  return commands.map((command) => command.type);
}
