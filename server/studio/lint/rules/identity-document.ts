/**
 * `identity-document`: the session reads an identity document (a `document` step) and cannot
 * complete without it. A script declaring `compliance: { identity: before-session }` (the lender
 * verified identity before sending the link) gets warnings instead of errors.
 */
import { IDENTITY_DOCUMENT, identityInSession, requireOnEveryCompletion } from '../elements.ts';
import type { LintRule } from '../types.ts';

export const identityDocument: LintRule = {
  id: 'identity-document',
  severity: 'error',
  description: 'an identity document step that every completed session passes (warning with compliance.identity: before-session)',
  check(context) {
    if (identityInSession(context)) return requireOnEveryCompletion(context, IDENTITY_DOCUMENT);
    return requireOnEveryCompletion(context, IDENTITY_DOCUMENT, 'warning').map((finding) => ({
      ...finding,
      message: `${finding.message} (a warning: compliance.identity is before-session, so the lender keeps the identity evidence)`,
    }));
  },
};
