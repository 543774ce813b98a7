/**
 * `bounded-waits`: retries and timeouts are bounded and sane. The schema already caps
 * maxAttempts at 10 and timeoutSeconds at 3600; for a live video session the lint holds them
 * tighter: at most 5 attempts and 10 minutes per wait (errors), and warns about a question
 * that waits without a timeout (the applicant can leave it hanging until the link expires).
 */
import type { BaseStep } from '../../../dialogue/index.ts';
import type { Finding, LintRule } from '../types.ts';

export const MAX_ATTEMPTS = 5;
export const MAX_TIMEOUT_SECONDS = 600;
export const MAX_QUESTIONS = 5;
/** Kinds that ask and accept `timeoutSeconds` (camera checks have their own default attempt time). */
const ASKING = new Set(['consent', 'question', 'intent', 'disclosure']);

export const boundedWaits: LintRule = {
  id: 'bounded-waits',
  severity: 'error',
  description: `retries at most ${MAX_ATTEMPTS}, timeouts at most ${MAX_TIMEOUT_SECONDS} s, questions answered at most ${MAX_QUESTIONS}; a question without a timeout is a warning`,
  check(context) {
    const findings: Finding[] = [];
    for (const node of context.graph.nodes) {
      if (node.flow !== 'wait') continue;
      const step = node.step as BaseStep & { maxAttempts?: number; timeoutSeconds?: number; maxQuestions?: number };
      const at = (field: string) => ['steps', node.index, field];
      if (step.maxAttempts !== undefined && step.maxAttempts > MAX_ATTEMPTS) {
        findings.push({
          path: at('maxAttempts'),
          message: `step '${step.id}' allows ${step.maxAttempts} attempts: set maxAttempts to ${MAX_ATTEMPTS} or fewer and route the rest to review with onFail`,
        });
      }
      if (step.timeoutSeconds !== undefined && step.timeoutSeconds > MAX_TIMEOUT_SECONDS) {
        findings.push({
          path: at('timeoutSeconds'),
          message: `step '${step.id}' waits ${step.timeoutSeconds} s: set timeoutSeconds to ${MAX_TIMEOUT_SECONDS} or less`,
        });
      }
      if (step.maxQuestions !== undefined && step.maxQuestions > MAX_QUESTIONS) {
        findings.push({
          path: at('maxQuestions'),
          severity: 'warning',
          message: `step '${step.id}' answers up to ${step.maxQuestions} questions: more than ${MAX_QUESTIONS} keeps the session going in circles; lower maxQuestions`,
        });
      }
      if (ASKING.has(step.kind) && step.timeoutSeconds === undefined) {
        findings.push({
          path: ['steps', node.index, 'id'],
          severity: 'warning',
          message: `step '${step.id}' waits for an answer without a limit: add timeoutSeconds (e.g. 120) so a silent applicant is prompted and then routed`,
        });
      }
    }
    return findings;
  },
};
