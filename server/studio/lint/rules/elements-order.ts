/**
 * `elements-order`: on every path the required elements come in order: consent to record,
 * identity document, liveness, disclosure, the intent questions (in any order among
 * themselves), contract. "Before" means the earlier step has succeeded, not that it sits
 * higher in the file.
 */
import {
  CONTRACT,
  DISCLOSURE,
  FOR_SELF,
  IDENTITY_DOCUMENT,
  LIVENESS,
  RECORDING_CONSENT,
  requireBefore,
  UNDERSTANDING,
  VOLUNTARY,
} from '../elements.ts';
import type { Element } from '../elements.ts';
import type { LintRule } from '../types.ts';

const INTENTS = [UNDERSTANDING, VOLUNTARY, FOR_SELF];
const PAIRS: [Element, Element][] = [
  [RECORDING_CONSENT, IDENTITY_DOCUMENT],
  [IDENTITY_DOCUMENT, LIVENESS],
  [LIVENESS, DISCLOSURE],
  [IDENTITY_DOCUMENT, DISCLOSURE],
  ...INTENTS.map((intent): [Element, Element] => [DISCLOSURE, intent]),
  ...INTENTS.map((intent): [Element, Element] => [intent, CONTRACT]),
  [DISCLOSURE, CONTRACT],
];

export const elementsOrder: LintRule = {
  id: 'elements-order',
  severity: 'error',
  description: 'consent to record, identity document, liveness, disclosure, intent questions, contract: in this order on every path',
  check(context) {
    const seen = new Set<string>();
    return PAIRS.flatMap(([earlier, later]) => requireBefore(context, earlier, later)).filter((finding) => {
      const key = `${finding.path.join('.')}|${finding.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  },
};
