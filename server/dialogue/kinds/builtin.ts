/**
 * The step kinds every deployment has. Importing this module registers them; a new kind is a
 * new file plus one entry here (the runner and loader need no change).
 */
import { consentKind } from './consent.ts';
import { contractKind } from './contract.ts';
import { disclosureKind } from './disclosure.ts';
import { documentKind } from './document.ts';
import { endKind } from './end.ts';
import { intentKind } from './intent.ts';
import { livenessKind } from './liveness.ts';
import { questionKind } from './question.ts';
import { registerStepKind } from './registry.ts';
import { sayKind } from './say.ts';

registerStepKind(sayKind);
registerStepKind(consentKind);
registerStepKind(questionKind);
registerStepKind(endKind);
registerStepKind(disclosureKind);
registerStepKind(intentKind);
registerStepKind(documentKind);
registerStepKind(livenessKind);
registerStepKind(contractKind);
