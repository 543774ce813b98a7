/** Every compliance rule, in the order their findings are explained in docs/script-lint.md. */
import { boundedWaits } from './bounded-waits.ts';
import { consentBeforeRecording } from './consent-before-recording.ts';
import { contractSignature } from './contract-signature.ts';
import { disclosureTerms } from './disclosure-terms.ts';
import { elementsOrder } from './elements-order.ts';
import { identityDocument } from './identity-document.ts';
import { intentQuestions } from './intent-questions.ts';
import { liveness } from './liveness.ts';
import { localesComplete } from './locales-complete.ts';
import { pathsEnd } from './paths-end.ts';
import { productReferences } from './product-references.ts';
import type { LintRule } from '../types.ts';

export const RULES: readonly LintRule[] = [
  consentBeforeRecording,
  identityDocument,
  liveness,
  disclosureTerms,
  intentQuestions,
  contractSignature,
  elementsOrder,
  localesComplete,
  boundedWaits,
  pathsEnd,
  productReferences,
];
