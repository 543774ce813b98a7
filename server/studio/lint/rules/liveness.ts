/**
 * `liveness`: the session checks that a live person is present and matches the document (a
 * `liveness` step) and cannot complete without it; warnings under `identity: before-session`.
 */
import { identityInSession, LIVENESS, requireOnEveryCompletion } from '../elements.ts';
import type { LintRule } from '../types.ts';

export const liveness: LintRule = {
  id: 'liveness',
  severity: 'error',
  description: 'a liveness step that every completed session passes (warning with compliance.identity: before-session)',
  check(context) {
    if (identityInSession(context)) return requireOnEveryCompletion(context, LIVENESS);
    return requireOnEveryCompletion(context, LIVENESS, 'warning').map((finding) => ({
      ...finding,
      message: `${finding.message} (a warning: compliance.identity is before-session, so the lender keeps the liveness evidence)`,
    }));
  },
};
