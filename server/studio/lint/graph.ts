/**
 * The script as a graph for the lint: each step leaves by its success edge (`next`, else the
 * following step) or by its kind's routes (`onFail`, `onMismatch`, `onCoercion`: the ways a
 * step gives up). Walks answer "can this step be reached without that one having succeeded?",
 * which is how the order of required elements is checked on every path, not just in the file.
 */
import { getStepKind } from '../../dialogue/index.ts';
import type { Path } from '../../dialogue/check.ts';
import type { BaseStep, Script } from '../../dialogue/index.ts';

export interface Edge {
  to: number;
  /** Field naming the target, relative to the step (empty for the implicit following step). */
  path: Path;
}

export interface StepNode {
  index: number;
  step: BaseStep;
  /** 'pass' | 'wait' | 'end' as the kind declares; 'unknown' for an unregistered kind. */
  flow: 'pass' | 'wait' | 'end' | 'unknown';
  success: Edge | null;
  failures: Edge[];
  /** The step can end the session itself (an `end` step, or giving up / declining without a route). */
  ends: boolean;
}

export interface ScriptGraph {
  nodes: StepNode[];
  indexOf(stepId: string): number | undefined;
  /**
   * Steps reachable from the first one when the steps for which `blocked` is true never
   * succeed (their failure routes are still followed).
   */
  reachable(blocked?: (node: StepNode) => boolean): Set<number>;
  /** Steps from which the session can end (by any route, including giving up). */
  canEnd(): Set<number>;
}

/** Does giving up or refusing at this step end the session when the script names no route for it? */
function endsByItself(step: BaseStep & Record<string, unknown>, flow: StepNode['flow']): boolean {
  if (flow === 'end') return true;
  if (flow !== 'wait') return false;
  // Consent: "no" always declines. Answering kinds end for review on coercion unless routed.
  if (step.kind === 'consent') return true;
  if ((step.kind === 'intent' || step.kind === 'disclosure') && step.onCoercion === undefined) return true;
  return step.onFail === undefined;
}

export function buildGraph(script: Script): ScriptGraph {
  const ids = new Map(script.steps.map((step, index) => [step.id, index] as const));
  const nodes: StepNode[] = script.steps.map((step, index) => {
    const kind = getStepKind(step.kind);
    const flow = kind?.flow ?? 'unknown';
    let success: Edge | null = null;
    if (flow !== 'end') {
      if (step.next !== undefined) {
        const to = ids.get(step.next);
        if (to !== undefined) success = { to, path: ['next'] };
      } else if (index + 1 < script.steps.length) {
        success = { to: index + 1, path: [] };
      }
    }
    const failures: Edge[] = [];
    for (const route of kind?.routes?.(step) ?? []) {
      const to = ids.get(route.stepId);
      if (to !== undefined) failures.push({ to, path: route.path });
    }
    return { index, step, flow, success, failures, ends: endsByItself(step as BaseStep & Record<string, unknown>, flow) };
  });

  return {
    nodes,
    indexOf: (stepId) => ids.get(stepId),
    reachable(blocked = () => false) {
      const seen = new Set<number>();
      const queue = nodes.length > 0 ? [0] : [];
      while (queue.length > 0) {
        const index = queue.shift() as number;
        if (seen.has(index)) continue;
        seen.add(index);
        const node = nodes[index];
        if (node === undefined) continue;
        const edges = blocked(node) ? node.failures : [...(node.success ? [node.success] : []), ...node.failures];
        for (const edge of edges) if (!seen.has(edge.to)) queue.push(edge.to);
      }
      return seen;
    },
    canEnd() {
      const result = new Set(nodes.filter((node) => node.ends).map((node) => node.index));
      let changed = true;
      while (changed) {
        changed = false;
        for (const node of nodes) {
          if (result.has(node.index)) continue;
          const edges = [...(node.success ? [node.success] : []), ...node.failures];
          if (edges.some((edge) => result.has(edge.to))) {
            result.add(node.index);
            changed = true;
          }
        }
      }
      return result;
    },
  };
}
