/**
 * `disclosure-terms`: the product's terms are disclosed (a `disclosure` step naming a product
 * that exists) before the session can complete. Figures in the disclosure that are not among
 * the product's terms are warned about: the text must state the product, not another one.
 */
import type { BaseStep, Locale, LocalizedText } from '../../../dialogue/index.ts';
import { DISCLOSURE, requireOnEveryCompletion, stepsOf } from '../elements.ts';
import type { Finding, LintRule } from '../types.ts';

/** Numbers as written in text or terms (5,000 / 7.2% / 0.05), commas dropped. */
function figures(text: string): string[] {
  return [...text.matchAll(/\d[\d,]*(?:\.\d+)?%?/g)].map((match) => match[0].replace(/,/g, '').replace(/%$/, ''));
}

export const disclosureTerms: LintRule = {
  id: 'disclosure-terms',
  severity: 'error',
  description: "a disclosure step naming an existing product states its terms before the session can complete",
  check(context) {
    const findings: Finding[] = requireOnEveryCompletion(context, DISCLOSURE);
    for (const node of stepsOf(context, DISCLOSURE)) {
      const step = node.step as BaseStep & { product?: string; text: LocalizedText };
      if (step.product === undefined) {
        findings.push({
          path: ['steps', node.index, 'kind'],
          message: `disclosure '${step.id}' names no product: add product: <id> (a file in prompts/products) so its terms and FAQ apply`,
        });
        continue;
      }
      const product = context.env.product(step.product);
      if (product === undefined) {
        findings.push({
          path: ['steps', node.index, 'product'],
          message: `disclosure '${step.id}' names product '${step.product}', which does not exist: use the id of a product in prompts/products`,
        });
        continue;
      }
      const known = new Set(Object.values(product.terms).flatMap((value) => figures(String(value))));
      for (const [locale, text] of Object.entries(step.text) as [Locale, string | undefined][]) {
        if (text === undefined) continue;
        const unknown = [...new Set(figures(text).filter((figure) => !known.has(figure)))];
        if (unknown.length > 0) {
          findings.push({
            path: ['steps', node.index, 'text', locale],
            severity: 'warning',
            message:
              `disclosure '${step.id}' (${locale}) states ${unknown.join(', ')}, not among the terms of product '${product.id}': ` +
              'correct the figure or add it to the product file',
          });
        }
      }
    }
    return findings;
  },
};
