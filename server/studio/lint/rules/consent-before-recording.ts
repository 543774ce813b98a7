/**
 * `consent-before-recording`: the applicant agrees to be recorded before anything of theirs is
 * captured. Every step that waits for the applicant (answers, camera checks, signature) can only
 * be reached after a `consent` step with `purpose: recording` has been answered yes, and no path
 * completes the session without it.
 */
import { RECORDING_CONSENT, requireOnEveryCompletion, stepsOf } from '../elements.ts';
import type { Finding, LintRule } from '../types.ts';

export const consentBeforeRecording: LintRule = {
  id: 'consent-before-recording',
  severity: 'error',
  description: 'a consent to record (consent, purpose: recording) comes before every step that captures the applicant',
  check(context) {
    const findings: Finding[] = requireOnEveryCompletion(context, RECORDING_CONSENT);
    const consents = stepsOf(context, RECORDING_CONSENT);
    if (consents.length === 0) return findings;
    const ids = new Set(consents.map((node) => node.index));
    const reached = context.graph.reachable((node) => ids.has(node.index));
    for (const node of context.graph.nodes) {
      if (!reached.has(node.index) || ids.has(node.index) || node.flow !== 'wait') continue;
      findings.push({
        path: ['steps', node.index, 'kind'],
        message:
          `step '${node.step.id}' (${node.step.kind}) can capture the applicant before they consent to recording ` +
          `at '${consents[0]?.step.id ?? ''}': move it after the consent step`,
      });
    }
    return findings;
  },
};
