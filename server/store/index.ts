/** Storage: sessions, their hash-chained events, script versions and artifacts. */
export { openSqliteStore } from './sqlite/store.ts';
export type { SqliteStoreOptions } from './sqlite/store.ts';
export { ARTIFACT_STORED } from './sqlite/artifacts.ts';
export { createLocalBlobStore, validateBlobKey } from './blobs/local.ts';
export { canonicalJson, CanonicalJsonError } from './canonical-json.ts';
export { GENESIS_HASH, hashEvent, verifyLinks } from './chain.ts';
export type { ChainHead, HashedFields, StoredLink } from './chain.ts';
export {
  StoreError,
  NotFoundError,
  ConflictError,
  DuplicateError,
  IntegrityError,
  InvalidInputError,
  SchemaVersionError,
} from './errors.ts';
export type { StoreErrorCode } from './errors.ts';
export { MAX_ACCESS_LOG_PAGE } from './sqlite/access-log.ts';
export type {
  AccessLogEntry,
  AccessLogQuery,
  AccessLogRepository,
  NewAccessLogEntry,
  LoginFailureRecord,
  StaffLoginRecord,
  StaffRepository,
  StaffRole,
  StaffUserPatch,
  StaffUserRecord,
  ArtifactPutOptions,
  ArtifactRecord,
  ArtifactRepository,
  BlobStore,
  ChainBreakReason,
  ChainVerification,
  EventRepository,
  NewEvent,
  NewSession,
  ReviewIndexRepository,
  ReviewQueueItem,
  ReviewQueuePage,
  ReviewQueueQuery,
  ScriptDraft,
  ScriptLibraryRepository,
  ScriptPublication,
  ScriptVersionRepository,
  SessionPatch,
  SessionRecord,
  SessionRepository,
  StoredEvent,
  Store,
} from './types.ts';
