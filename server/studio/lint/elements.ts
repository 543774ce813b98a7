/**
 * The required elements of a compliant session, how a step is recognised as one, and the walk
 * shared by their rules: "can the session complete without this element having succeeded?".
 */
import type { BaseStep } from '../../dialogue/index.ts';
import type { StepNode } from './graph.ts';
import type { Finding, RuleContext } from './types.ts';

export interface Element {
  /** Used in messages: "the identity document". */
  name: string;
  matches(step: BaseStep & Record<string, unknown>): boolean;
  /** How to add one, for messages. */
  fix: string;
}

const intentWith = (purposes: string[]) => (step: BaseStep & Record<string, unknown>) =>
  step.kind === 'intent' && step.expect === 'affirm' && typeof step.purpose === 'string' && purposes.includes(step.purpose);

export const RECORDING_CONSENT: Element = {
  name: 'consent to record',
  matches: (step) => step.kind === 'consent' && step.purpose === 'recording',
  fix: 'add a `consent` step with `purpose: recording` before any other question',
};
export const IDENTITY_DOCUMENT: Element = {
  name: 'identity document',
  matches: (step) => step.kind === 'document',
  fix: 'add a `document` step (accepted: [mrz, cn-id]) after the consent to record',
};
export const LIVENESS: Element = {
  name: 'liveness check',
  matches: (step) => step.kind === 'liveness',
  fix: 'add a `liveness` step after the identity document',
};
export const DISCLOSURE: Element = {
  name: "disclosure of the product's terms",
  matches: (step) => step.kind === 'disclosure',
  fix: 'add a `disclosure` step with `product: <product id>` that states its terms',
};
export const UNDERSTANDING: Element = {
  name: 'question that the applicant understands the terms',
  matches: intentWith(['understands-terms']),
  fix: 'add an `intent` step with `expect: affirm` and `purpose: understands-terms` after the disclosure',
};
export const VOLUNTARY: Element = {
  name: 'question that the applicant acts voluntarily',
  matches: intentWith(['voluntary']),
  fix: 'add an `intent` step with `expect: affirm` and `purpose: voluntary` after the disclosure',
};
export const FOR_SELF: Element = {
  name: 'question that the applicant applies for themselves',
  matches: intentWith(['for-self']),
  fix: 'add an `intent` step with `expect: affirm` and `purpose: for-self` after the disclosure',
};
export const CONTRACT: Element = {
  name: 'contract signature',
  matches: (step) => step.kind === 'contract',
  fix: 'add a `contract` step with `product: <product id>` after the intent questions',
};

export function stepsOf(context: RuleContext, element: Element): StepNode[] {
  return context.graph.nodes.filter((node) => element.matches(node.step as BaseStep & Record<string, unknown>));
}

/** Does the session identify the applicant itself (no `compliance.identity: before-session`)? */
export function identityInSession(context: RuleContext): boolean {
  return context.script.compliance?.identity !== 'before-session';
}

function endOutcome(node: StepNode): string | undefined {
  const outcome = (node.step as BaseStep & { outcome?: unknown }).outcome;
  return node.flow === 'end' && typeof outcome === 'string' ? outcome : undefined;
}

/**
 * The element is missing, or some path completes the session without it having succeeded.
 * `severity` lets a declared scope turn these into warnings.
 */
export function requireOnEveryCompletion(context: RuleContext, element: Element, severity?: 'warning'): Finding[] {
  const own = stepsOf(context, element);
  const extra = severity === undefined ? {} : { severity };
  if (own.length === 0) {
    return [{ path: ['steps'], message: `no ${element.name}: ${element.fix}`, atKey: true, ...extra }];
  }
  const ids = new Set(own.map((node) => node.index));
  const reached = context.graph.reachable((node) => ids.has(node.index));
  const findings: Finding[] = [];
  for (const index of reached) {
    const node = context.graph.nodes[index];
    if (node === undefined || endOutcome(node) !== 'completed') continue;
    findings.push({
      path: ['steps', index, 'outcome'],
      message:
        `end step '${node.step.id}' completes the session on a path that skips the ${element.name} ` +
        `('${own.map((step) => step.step.id).join("', '")}' not passed): route the failures before it to a review or decline end`,
      ...extra,
    });
  }
  return findings;
}

/** Steps of `later` reachable before every `earlier` step has succeeded. */
export function requireBefore(context: RuleContext, earlier: Element, later: Element): Finding[] {
  const first = stepsOf(context, earlier);
  if (first.length === 0) return [];
  const ids = new Set(first.map((node) => node.index));
  const reached = context.graph.reachable((node) => ids.has(node.index));
  return stepsOf(context, later)
    .filter((node) => reached.has(node.index))
    .map((node) => ({
      path: ['steps', node.index, 'kind'],
      message:
        `step '${node.step.id}' (${later.name}) can run before the ${earlier.name} ` +
        `('${first.map((step) => step.step.id).join("', '")}') has succeeded: move it after that step`,
    }));
}
