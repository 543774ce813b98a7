/**
 * `intent-questions`: the applicant is asked, and must affirm, that they understand the terms,
 * act voluntarily and apply for themselves (`intent` steps with `expect: affirm` and purpose
 * `understands-terms`, `voluntary`, `for-self`), on every path that completes the session.
 */
import { FOR_SELF, requireOnEveryCompletion, UNDERSTANDING, VOLUNTARY } from '../elements.ts';
import type { LintRule } from '../types.ts';

export const intentQuestions: LintRule = {
  id: 'intent-questions',
  severity: 'error',
  description: 'understanding, voluntariness and for-yourself intent questions (expect: affirm) on every completed path',
  check: (context) => [UNDERSTANDING, VOLUNTARY, FOR_SELF].flatMap((element) => requireOnEveryCompletion(context, element)),
};
