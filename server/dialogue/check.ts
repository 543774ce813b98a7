/**
 * Checks across a script whose fields are each valid: unique step ids, route targets that
 * exist, text in every declared locale, and a flow that always reaches an `end` step without
 * looping on its own. Returns problems with field paths; the loader adds file positions.
 */
import { getStepKind } from './kinds/registry.ts';
import type { StepKind } from './kinds/registry.ts';
import { isLocalizedText } from './schema.ts';
import type { BaseStep, Script } from './types.ts';

export type Path = (string | number)[];

export interface CheckIssue {
  path: Path;
  message: string;
  /** Point at the key rather than the value (for fields that should not be there). */
  atKey?: boolean;
}

interface Edge {
  to: string;
  /** The field that names the target (empty when it is the implicit following step). */
  path: Path;
}

/** A close name to suggest, e.g. for a mistyped step id or kind. */
export function suggest(name: string, candidates: readonly string[]): string {
  let best: { candidate: string; distance: number } | null = null;
  for (const candidate of candidates) {
    const distance = editDistance(name, candidate);
    if (distance <= Math.max(1, Math.floor(candidate.length / 3)) && (best === null || distance < best.distance)) {
      best = { candidate, distance };
    }
  }
  return best === null ? '' : ` (did you mean '${best.candidate}'?)`;
}

/** Edits (insert, delete, replace, swap two neighbours) that turn `a` into `b`. */
function editDistance(a: string, b: string): number {
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, index) => index)];
  for (let i = 1; i <= a.length; i += 1) {
    const row = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const above = rows[i - 1] ?? [];
      const replace = (above[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      let best = Math.min((above[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, replace);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, (rows[i - 2]?.[j - 2] ?? 0) + 1);
      }
      row.push(best);
    }
    rows.push(row);
  }
  return rows[a.length]?.[b.length] ?? 0;
}

export function checkScript(script: Script): CheckIssue[] {
  const links = [...checkIds(script), ...checkTargets(script)];
  // The flow can only be followed once every step id is unique and every target exists.
  return [...links, ...checkLocales(script), ...(links.length === 0 ? checkFlow(script) : [])];
}

function checkIds(script: Script): CheckIssue[] {
  const issues: CheckIssue[] = [];
  const first = new Map<string, number>();
  script.steps.forEach((step, index) => {
    const earlier = first.get(step.id);
    if (earlier === undefined) first.set(step.id, index);
    else {
      issues.push({ path: ['steps', index, 'id'], message: `duplicate step id '${step.id}' (also steps[${earlier}])` });
    }
  });
  return issues;
}

function kindOf(step: BaseStep): StepKind {
  const kind = getStepKind(step.kind);
  if (kind === undefined) throw new Error(`step kind '${step.kind}' is not registered`);
  return kind;
}

/** Where a step can go: `next` (or the following step), plus its kind's routes. */
function edgesOf(script: Script, index: number): { edges: Edge[]; runsOut: boolean } {
  const step = script.steps[index];
  if (step === undefined) return { edges: [], runsOut: false };
  const kind = kindOf(step);
  if (kind.flow === 'end') return { edges: [], runsOut: false };
  const edges: Edge[] = [];
  let runsOut = false;
  if (step.next !== undefined) edges.push({ to: step.next, path: ['next'] });
  else {
    const following = script.steps[index + 1];
    if (following === undefined) runsOut = true;
    else edges.push({ to: following.id, path: [] });
  }
  for (const route of kind.routes?.(step) ?? []) edges.push({ to: route.stepId, path: route.path });
  return { edges, runsOut };
}

function checkTargets(script: Script): CheckIssue[] {
  const ids = script.steps.map((step) => step.id);
  const issues: CheckIssue[] = [];
  script.steps.forEach((_step, index) => {
    for (const edge of edgesOf(script, index).edges) {
      if (!ids.includes(edge.to)) {
        const message = `no step with id '${edge.to}'${suggest(edge.to, ids)}`;
        issues.push({ path: ['steps', index, ...edge.path], message });
      }
    }
  });
  return issues;
}

function checkLocales(script: Script): CheckIssue[] {
  const issues: CheckIssue[] = [];
  const visit = (value: unknown, path: Path): void => {
    if (isLocalizedText(value)) {
      for (const locale of script.locales) {
        if (value[locale] === undefined) {
          const message = `missing ${locale} text (the script's locales are ${script.locales.join(', ')})`;
          issues.push({ path: [...path, locale], message });
        }
      }
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => visit(item, [...path, index]));
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, item] of Object.entries(value)) visit(item, [...path, key]);
    }
  };
  visit(script.title, ['title']);
  visit(script.steps, ['steps']);
  return issues;
}

function checkFlow(script: Script): CheckIssue[] {
  const issues: CheckIssue[] = [];
  const indexOf = new Map(script.steps.map((step, index) => [step.id, index] as const));
  // Reachability from the first step.
  const reachable = new Set<number>();
  const queue = [0];
  while (queue.length > 0) {
    const index = queue.shift() ?? 0;
    if (reachable.has(index) || script.steps[index] === undefined) continue;
    reachable.add(index);
    const { edges, runsOut } = edgesOf(script, index);
    if (runsOut) {
      issues.push({
        path: ['steps', index],
        message: "the script runs out after this step: add an 'end' step after it, or set next",
      });
    }
    for (const edge of edges) {
      const target = indexOf.get(edge.to);
      if (target !== undefined) queue.push(target);
    }
  }
  const runsOut = issues.length > 0;
  const ends = [...reachable].filter((index) => {
    const step = script.steps[index];
    return step !== undefined && kindOf(step).flow === 'end';
  });
  if (ends.length === 0 && !runsOut) issues.push({ path: ['steps'], message: "no 'end' step can be reached" });

  // Loops made only of steps that never wait would spin forever.
  const passes = (index: number) => {
    const step = script.steps[index];
    return step !== undefined && kindOf(step).flow === 'pass';
  };
  const done = new Set<number>();
  const onStack: number[] = [];
  const walk = (index: number): void => {
    onStack.push(index);
    for (const edge of edgesOf(script, index).edges) {
      const target = indexOf.get(edge.to);
      if (target === undefined || !passes(target) || done.has(target)) continue;
      const loopStart = onStack.indexOf(target);
      if (loopStart >= 0) {
        const loop = [...onStack.slice(loopStart), target].map((at) => script.steps[at]?.id ?? '?');
        issues.push({
          path: ['steps', index, ...edge.path],
          message: `loops back to '${edge.to}' without waiting for the applicant (${loop.join(' -> ')})`,
        });
      } else {
        walk(target);
      }
    }
    onStack.pop();
    done.add(index);
  };
  for (const index of [...reachable].sort((a, b) => a - b)) {
    if (passes(index) && !done.has(index)) walk(index);
  }
  return issues;
}
