/**
 * Loading scripts: YAML text -> a validated `Script`, or a `ScriptError` naming every problem
 * with its file, line, column and field path. The top level is checked by `ZScriptHeader`,
 * each step by its kind's own schema, then the whole script by `checkScript`.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Document } from 'yaml';
import type { z } from 'zod';
import { checkScript, suggest } from './check.ts';
import type { CheckIssue, Path } from './check.ts';
import './kinds/builtin.ts';
import { getStepKind, listStepKinds } from './kinds/registry.ts';
import { ZScriptHeader } from './schema.ts';
import { formatPath, ScriptError } from './script-error.ts';
import type { ScriptIssue } from './script-error.ts';
import type { BaseStep, LoadedScript, Script } from './types.ts';

export { ScriptError };
export type { ScriptIssue };

/** Parses and validates one script. Throws `ScriptError` listing every problem found. */
export function parseScript(source: string, file: string): LoadedScript {
  const parsed = parseYaml(source, file);
  if ('issues' in parsed) throw new ScriptError(parsed.issues);
  const { place, value } = parsed;

  const issues: CheckIssue[] = [];
  const header = ZScriptHeader.safeParse(value, { error: describeIssue });
  if (!header.success) issues.push(...fromZod(header.error.issues, []));

  const rawSteps = isRecord(value) && Array.isArray(value.steps) ? (value.steps as unknown[]) : [];
  const steps: BaseStep[] = [];
  rawSteps.forEach((raw, index) => {
    const step = parseStep(raw, ['steps', index], issues);
    if (step !== null) steps.push(step);
  });

  if (issues.length === 0 && header.success) {
    const { compliance } = header.data;
    const script: Script = {
      id: header.data.id,
      title: header.data.title,
      locales: header.data.locales,
      ...(compliance === undefined ? {} : { compliance }),
      steps,
    };
    issues.push(...checkScript(script));
    if (issues.length === 0) {
      return { script, hash: createHash('sha256').update(source, 'utf8').digest('hex'), source, file };
    }
  }
  throw new ScriptError(issues.map((issue) => place(issue)));
}

/**
 * Loads every `*.yaml` / `*.yml` file in `dir` (not recursive), in file-name order. Problems in
 * all files, and script ids used twice, are reported together in one `ScriptError`.
 */
export function loadScriptsFromDir(dir: string): LoadedScript[] {
  const files = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.ya?ml$/i.test(entry.name))
    .map((entry) => entry.name)
    .sort();
  const loaded: LoadedScript[] = [];
  const issues: ScriptIssue[] = [];
  const byId = new Map<string, LoadedScript>();
  for (const name of files) {
    const file = join(dir, name);
    const source = readFileSync(file, 'utf8');
    try {
      const script = parseScript(source, file);
      const first = byId.get(script.script.id);
      if (first !== undefined) {
        const message = `duplicate script id '${script.script.id}' (also in ${first.file})`;
        const parsed = parseYaml(source, file);
        issues.push('place' in parsed ? parsed.place({ path: ['id'], message }) : { file, line: 1, column: 1, path: 'id', message });
        continue;
      }
      byId.set(script.script.id, script);
      loaded.push(script);
    } catch (error) {
      if (!(error instanceof ScriptError)) throw error;
      issues.push(...error.issues);
    }
  }
  if (issues.length > 0) throw new ScriptError(issues);
  return loaded;
}

/**
 * Where a field path sits in a script's source (1-based line and column), for checks made on
 * a loaded script (e.g. the studio's compliance lint). Null when the source is not valid YAML.
 */
export function locateInScript(source: string, file: string): ((path: Path, atKey?: boolean) => { line: number; column: number }) | null {
  const parsed = parseYaml(source, file);
  if ('issues' in parsed) return null;
  return (path, atKey = false) => {
    const { line, column } = parsed.place({ path, atKey });
    return { line, column };
  };
}

// ---- steps ----------------------------------------------------------------------------------

function parseStep(raw: unknown, path: Path, issues: CheckIssue[]): BaseStep | null {
  if (!isRecord(raw)) {
    issues.push({ path, message: 'expected a step: a mapping with at least id and kind' });
    return null;
  }
  if (typeof raw.kind !== 'string') {
    const known = listStepKinds().join(', ');
    issues.push({
      path: [...path, 'kind'],
      message:
        raw.kind === undefined ? `required field is missing (one of: ${known})` : `expected a kind name (one of: ${known})`,
    });
    return null;
  }
  const kind = getStepKind(raw.kind);
  if (kind === undefined) {
    const known = listStepKinds();
    issues.push({
      path: [...path, 'kind'],
      message: `unknown kind '${raw.kind}'${suggest(raw.kind, known)}; known kinds: ${known.join(', ')}`,
    });
    return null;
  }
  const result = kind.schema.safeParse(raw, { error: describeIssue });
  if (!result.success) {
    issues.push(...fromZod(result.error.issues, path));
    return null;
  }
  return result.data;
}

// ---- zod issues -----------------------------------------------------------------------------

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeValue(value: unknown): string {
  if (value === null) return 'nothing (null)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `text '${value.length > 30 ? `${value.slice(0, 30)}...` : value}'`;
  return `${typeof value} ${String(value)}`;
}

const EXPECTED: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
};

/** Readable messages for zod's issue codes (schemas' own messages take precedence). */
function describeIssue(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined
        ? 'required field is missing'
        : `expected ${EXPECTED[issue.expected] ?? issue.expected}, got ${describeValue(issue.input)}`;
    case 'too_small':
      if (issue.origin === 'string') return `must be at least ${issue.minimum} characters`;
      if (issue.origin === 'array') return `needs at least ${issue.minimum} item(s)`;
      return `must be at least ${issue.minimum}`;
    case 'too_big':
      if (issue.origin === 'string') return `must be at most ${issue.maximum} characters`;
      if (issue.origin === 'array') return `has more than ${issue.maximum} item(s)`;
      return `must be at most ${issue.maximum}`;
    case 'invalid_value':
      return `expected ${issue.values.map((value) => String(value)).join(' or ')}`;
    case 'invalid_union':
      return typeof issue.discriminator === 'string' && Array.isArray(issue.options)
        ? `expected ${issue.discriminator}: ${issue.options.map((option: unknown) => String(option)).join(', ')}`
        : 'does not match any allowed form';
    case 'invalid_format':
      return 'has the wrong format';
    default:
      return undefined;
  }
}

function fromZod(zodIssues: readonly z.core.$ZodIssue[], prefix: Path): CheckIssue[] {
  const out: CheckIssue[] = [];
  for (const issue of zodIssues) {
    const path = [...prefix, ...issue.path.map((segment) => (typeof segment === 'number' ? segment : String(segment)))];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const message = issue.message.startsWith('Unrecognized key') ? `unknown field '${key}'` : issue.message;
        out.push({ path: [...path, key], message, atKey: true });
      }
    } else {
      out.push({ path, message: issue.message });
    }
  }
  return out;
}

// ---- YAML and positions ---------------------------------------------------------------------

type Placer = (issue: Omit<CheckIssue, 'message'> & { message?: string }) => ScriptIssue;

function parseYaml(source: string, file: string): { issues: ScriptIssue[] } | { value: unknown; place: Placer } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const position = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  if (doc.errors.length > 0) {
    return {
      issues: doc.errors.map((error) => ({
        file,
        ...position(error.pos[0]),
        path: '',
        message: `YAML: ${error.message.split('\n')[0] ?? error.message}`,
      })),
    };
  }
  const place: Placer = (issue) => ({
    file,
    ...position(offsetOf(doc, issue.path, issue.atKey === true)),
    path: formatPath(issue.path),
    message: issue.message ?? '',
  });
  return { value: doc.toJS(), place };
}

function rangeStart(node: unknown): number | undefined {
  if (typeof node !== 'object' || node === null || !('range' in node)) return undefined;
  const range = (node as { range?: [number, number, number] | null }).range;
  return range?.[0] ?? undefined;
}

/** The offset of the node at `path`, or of the deepest node on the way that exists. */
function offsetOf(doc: Document, path: Path, atKey: boolean): number {
  let node: unknown = doc.contents;
  let offset = rangeStart(node) ?? 0;
  for (let index = 0; index < path.length; index += 1) {
    const segment = path[index];
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
      if (pair === undefined) break;
      const keyOffset = rangeStart(pair.key) ?? offset;
      const empty = pair.value === null || (isScalar(pair.value) && pair.value.value === null);
      if ((atKey && index === path.length - 1) || empty || isAlias(pair.value)) return keyOffset;
      node = pair.value;
      offset = rangeStart(node) ?? keyOffset;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (item === undefined || isAlias(item)) break;
      node = item;
      offset = rangeStart(node) ?? offset;
    } else {
      break;
    }
  }
  return offset;
}
