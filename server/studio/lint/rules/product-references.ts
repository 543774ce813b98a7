/**
 * `product-references`: every `product:` a step names is a loaded product. The server refuses
 * such a script file at startup; a published version must not get past it either, or questions
 * at that step would only ever be "noted for a specialist".
 */
import type { BaseStep } from '../../../dialogue/index.ts';
import type { Finding, LintRule } from '../types.ts';

export const productReferences: LintRule = {
  id: 'product-references',
  severity: 'error',
  description: 'every product a step names exists (prompts/products)',
  check(context) {
    const findings: Finding[] = [];
    for (const node of context.graph.nodes) {
      const product = (node.step as BaseStep & { product?: unknown }).product;
      // Disclosure and contract steps have their own rules that say so in their terms.
      if (typeof product !== 'string' || node.step.kind === 'disclosure' || node.step.kind === 'contract') continue;
      if (context.env.product(product) === undefined) {
        findings.push({
          path: ['steps', node.index, 'product'],
          message: `step '${node.step.id}' names product '${product}', which does not exist: use the id of a product in prompts/products`,
        });
      }
    }
    return findings;
  },
};
