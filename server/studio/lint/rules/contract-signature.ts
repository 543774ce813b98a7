/**
 * `contract-signature`: the applicant signs the contract (a `contract` step) before the session
 * can complete; its product exists and has a contract template in every locale of the script.
 */
import type { BaseStep } from '../../../dialogue/index.ts';
import { CONTRACT, requireOnEveryCompletion, stepsOf } from '../elements.ts';
import type { Finding, LintRule } from '../types.ts';

export const contractSignature: LintRule = {
  id: 'contract-signature',
  severity: 'error',
  description: 'a contract step (existing product, a template per locale) that every completed session passes',
  check(context) {
    const findings: Finding[] = requireOnEveryCompletion(context, CONTRACT);
    for (const node of stepsOf(context, CONTRACT)) {
      const step = node.step as BaseStep & { product: string };
      if (context.env.product(step.product) === undefined) {
        findings.push({
          path: ['steps', node.index, 'product'],
          message: `contract '${step.id}' names product '${step.product}', which does not exist: use the id of a product in prompts/products`,
        });
        continue;
      }
      for (const locale of context.script.locales) {
        if (!context.env.hasContractTemplate(step.product, locale)) {
          findings.push({
            path: ['steps', node.index, 'product'],
            message: `contract '${step.id}' has no ${locale} template: add prompts/contracts/${step.product}.${locale}.md or drop ${locale} from locales`,
          });
        }
      }
    }
    return findings;
  },
};
