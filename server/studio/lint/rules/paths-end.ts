/**
 * `paths-end`: every path ends in completion, decline or human review. The loader already refuses
 * a script that runs past its last step, has no reachable `end` or loops through steps that
 * never wait (reported under this rule, see `lint.ts`). Here: steps that can never be reached,
 * steps from which no ending can be reached (cycles without exit), and success chains that loop
 * (answering as expected forever goes round).
 */
import type { Finding, LintRule } from '../types.ts';

/** Matches the loader's flow messages (server/dialogue/check.ts `checkFlow`). */
export const FLOW_MESSAGE = /^(the script runs out after this step|no 'end' step can be reached|loops back to )/;

export const pathsEnd: LintRule = {
  id: 'paths-end',
  severity: 'error',
  description: 'every step reachable, every path ends (completed, declined or review), no cycle without exit',
  check(context) {
    const { graph } = context;
    const findings: Finding[] = [];
    const reached = graph.reachable();
    const canEnd = graph.canEnd();
    for (const node of graph.nodes) {
      if (!reached.has(node.index)) {
        findings.push({
          path: ['steps', node.index, 'id'],
          message: `step '${node.step.id}' can never be reached: route to it (next, onFail, ...) or remove it`,
        });
      } else if (!canEnd.has(node.index)) {
        findings.push({
          path: ['steps', node.index, 'id'],
          message: `from step '${node.step.id}' no ending can be reached (a cycle without exit): route a way out to an end step`,
        });
      }
    }
    // Follow success edges from the first step; coming back to a step means the happy path loops.
    const order: number[] = [];
    let at: number | undefined = graph.nodes.length > 0 ? 0 : undefined;
    while (at !== undefined && !order.includes(at)) {
      order.push(at);
      at = graph.nodes[at]?.success?.to;
    }
    if (at !== undefined) {
      const loop = [...order.slice(order.indexOf(at)), at].map((index) => graph.nodes[index]?.step.id ?? '?');
      const last = graph.nodes[order.at(-1) ?? 0];
      findings.push({
        path: ['steps', order.at(-1) ?? 0, ...(last?.success?.path ?? [])],
        message: `answering every step as expected loops (${loop.join(' -> ')}) and never ends: point the last next to the following step`,
      });
    }
    return findings;
  },
};
