export { SessionService, type DispatchResult, type SessionServiceOptions } from './service.ts';
export { ScriptCatalog } from './catalog.ts';
export { VerifierRegistry, type Verifier } from './verifiers.ts';
export { buildView, transcriptOf } from './view.ts';
export { hashToken } from './ids.ts';
export { PERSONAL_EVENT_TYPES } from './records.ts';
