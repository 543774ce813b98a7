export { SessionService, type DispatchResult, type SessionServiceOptions } from './service.ts';
export { ScriptCatalog } from './catalog.ts';
export { VerifierRegistry, type Verifier, type VerifierContext, type VerifierEnvironment, type VerifierGuidance } from './verifiers.ts';
export { LiveMedia } from './live-media.ts';
export { UploadHub, type UploadedStill } from './uploads.ts';
export { SessionNotices, type GuidanceNotice } from './notices.ts';
export { buildView, transcriptOf } from './view.ts';
export { hashToken } from './ids.ts';
export { PERSONAL_EVENT_TYPES } from './records.ts';
