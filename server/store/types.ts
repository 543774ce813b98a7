/**
 * Storage contracts. Callers depend on these interfaces only, so a PostgreSQL implementation
 * can be added later without touching them. Every method is synchronous in the SQLite
 * implementation (better-sqlite3 is synchronous); blob IO is async.
 */

export interface SessionRecord {
  id: string;
  /** Short human-friendly reference shown to the applicant (e.g. ATT-7K2M-9QXD). */
  reference: string;
  status: string;
  locale: string;
  scriptId: string;
  scriptHash: string;
  externalRef: string | null;
  /** JSON-serializable runner state (DialogueState). */
  state: unknown;
  createdAt: string;
  updatedAt: string;
  expiresAt: string;
  endedAt: string | null;
  /** Optimistic concurrency counter, +1 on every update. */
  version: number;
}

export interface NewSession {
  /** Also names the session's blob folder: 1-128 of A-Z a-z 0-9 . _ - (not starting with '.'). */
  id: string;
  reference: string;
  /** sha256 hex of the applicant token; the token itself is never stored. */
  tokenHash: string;
  status: string;
  locale: string;
  scriptId: string;
  scriptHash: string;
  externalRef: string | null;
  state: unknown;
  createdAt: string;
  expiresAt: string;
}

export interface NewEvent {
  type: string;
  /** JSON-serializable. May hold personal data: never log it. */
  payload: unknown;
  at: string;
}

export interface StoredEvent extends NewEvent {
  sessionId: string;
  seq: number;
  /** sha256 hex of the previous event of this session ('0'*64 for the first). */
  prevHash: string;
  /** sha256 hex over canonicalJson({ sessionId, seq, type, at, payload, prevHash }). seq counts from 1. */
  hash: string;
}

export interface ArtifactRecord {
  id: string;
  sessionId: string;
  kind: string;
  mime: string;
  size: number;
  sha256: string;
  /** Key in the blob store. */
  blobKey: string;
  createdAt: string;
}

/**
 * Why a chain does not verify:
 * - 'gap in sequence': an event is missing (seq is the first missing one), also at the end;
 * - 'broken link': prevHash is not the hash of the event before;
 * - 'hash mismatch': the event's content does not hash to its stored hash;
 * - 'head mismatch': the chain does not end where the session row says it ends.
 */
export type ChainBreakReason = 'gap in sequence' | 'broken link' | 'hash mismatch' | 'head mismatch';

export interface ChainVerification {
  ok: boolean;
  /** Events stored for the session. */
  count: number;
  /** Stored hash of the last event ('0'*64 when there is none). */
  headHash: string;
  /** First seq that does not verify. */
  brokenAt?: { seq: number; reason: ChainBreakReason };
}

export interface SessionPatch {
  status?: string;
  locale?: string;
  state?: unknown;
  endedAt?: string | null;
}

export interface SessionRepository {
  /** Writes the session (version 1) and its first event (seq 1) in one transaction. */
  create(session: NewSession, firstEvent: NewEvent): SessionRecord;
  findById(id: string): SessionRecord | null;
  findByTokenHash(tokenHash: string): SessionRecord | null;
  /**
   * Applies the patch and appends the events in ONE transaction, failing with
   * a ConflictError if `expectedVersion` is not the stored version (nothing is written) and a
   * NotFoundError if the id is unknown. Bumps version and sets updatedAt to now.
   */
  update(id: string, expectedVersion: number, patch: SessionPatch, events: NewEvent[]): SessionRecord;
  /** Sessions whose status is one of `statuses` (e.g. to mark 'active' ones interrupted at boot). */
  listByStatus(statuses: string[]): SessionRecord[];
}

export interface EventRepository {
  list(sessionId: string): StoredEvent[];
  /** Recomputes every hash and link; a NotFoundError for an unknown session. */
  verifyChain(sessionId: string): ChainVerification;
}

export interface ScriptVersionRepository {
  /** Stores a script source by content hash (idempotent). `hash` must be sha256 hex of the UTF-8 source. */
  save(hash: string, scriptId: string, source: string, at: string): void;
  get(hash: string): { hash: string; scriptId: string; source: string; createdAt: string } | null;
}

/** One publication of a script: immutable, numbered per script id from 1. */
export interface ScriptPublication {
  scriptId: string;
  version: number;
  /** sha256 of the source (the source itself: `ScriptVersionRepository.get(hash)`). */
  hash: string;
  /** Staff id and email; null when imported from the script files at startup. */
  publishedBy: string | null;
  publishedByEmail: string | null;
  publishedAt: string;
  /** e.g. 'imported from prompts/scripts/onboarding.yaml', 'rollback to version 2'. */
  note: string | null;
}

export interface ScriptDraft {
  scriptId: string;
  source: string;
  savedBy: string | null;
  savedByEmail: string | null;
  savedAt: string;
}

/** The studio's scripts: published versions (append-only) and one draft per script. */
export interface ScriptLibraryRepository {
  /** Stores the source by hash and appends the next version of `scriptId`. */
  publish(input: {
    scriptId: string;
    source: string;
    by: { id: string; email: string } | null;
    at: string;
    note: string | null;
  }): ScriptPublication;
  /** The latest publication of each script id, by script id. */
  currentAll(): ScriptPublication[];
  current(scriptId: string): ScriptPublication | null;
  /** Newest first. */
  versions(scriptId: string): ScriptPublication[];
  version(scriptId: string, version: number): ScriptPublication | null;
  saveDraft(draft: ScriptDraft): void;
  draft(scriptId: string): ScriptDraft | null;
  drafts(): ScriptDraft[];
  deleteDraft(scriptId: string): void;
}

export interface ArtifactPutOptions {
  /** Timestamp for the record and its event; default: now. */
  at?: string;
  /** When given, fail with a ConflictError (writing nothing) unless the session is at this version. */
  expectedVersion?: number;
}

export interface ArtifactRepository {
  /**
   * Writes the bytes to the blob store first, then the metadata row and an 'ArtifactStored'
   * event (artifactId, kind, mime, size, sha256 — never the bytes) in one transaction.
   * Appending the event bumps the session's version like any update does.
   */
  put(sessionId: string, kind: string, mime: string, bytes: Uint8Array, options?: ArtifactPutOptions): Promise<ArtifactRecord>;
  list(sessionId: string): ArtifactRecord[];
  /** Null for an unknown id; an IntegrityError if the bytes are missing or do not match sha256. */
  read(artifactId: string): Promise<{ record: ArtifactRecord; bytes: Uint8Array } | null>;
}

export interface BlobStore {
  put(key: string, bytes: Uint8Array): Promise<void>;
  get(key: string): Promise<Uint8Array | null>;
  delete(key: string): Promise<void>;
  /** Absolute path when the store is a local folder (lets ffmpeg write directly), else null. */
  localPath(key: string): string | null;
}

export type StaffRole = 'reviewer' | 'script_editor' | 'admin';

export interface StaffUserRecord {
  id: string;
  /** Lowercased. */
  email: string;
  role: StaffRole;
  /** Self-describing scrypt hash (parameters, salt, hash); never leaves the server. */
  passwordHash: string;
  createdAt: string;
  updatedAt: string;
  disabledAt: string | null;
}

export interface StaffLoginRecord {
  tokenHash: string;
  staffId: string;
  createdAt: string;
  lastSeenAt: string;
  /** Absolute expiry; the idle limit is checked against lastSeenAt. */
  expiresAt: string;
}

export interface LoginFailureRecord {
  keyHash: string;
  failures: number;
  lastFailureAt: string;
  lockedUntil: string | null;
}

export interface StaffUserPatch {
  role?: StaffRole;
  passwordHash?: string;
  disabledAt?: string | null;
}

export interface StaffRepository {
  /** A DuplicateError('email') when the address is taken. */
  createUser(user: Omit<StaffUserRecord, 'updatedAt' | 'disabledAt'>): StaffUserRecord;
  findUserById(id: string): StaffUserRecord | null;
  findUserByEmail(email: string): StaffUserRecord | null;
  listUsers(): StaffUserRecord[];
  countUsers(): number;
  /** A NotFoundError-free update: null for an unknown id. */
  updateUser(id: string, patch: StaffUserPatch, at: string): StaffUserRecord | null;

  createLogin(login: StaffLoginRecord): void;
  findLogin(tokenHash: string): StaffLoginRecord | null;
  touchLogin(tokenHash: string, lastSeenAt: string): void;
  deleteLogin(tokenHash: string): void;
  /** Ends every login of a user (password change, role change, disabled). */
  deleteLoginsOf(staffId: string): number;
  /** Removes logins past `absoluteBefore` (expiresAt) or idle since `idleBefore`. */
  deleteExpiredLogins(now: string, idleBefore: string): number;

  findFailure(keyHash: string): LoginFailureRecord | null;
  saveFailure(failure: LoginFailureRecord): void;
  clearFailure(keyHash: string): void;
}

export interface AccessLogEntry {
  id: number;
  at: string;
  staffId: string;
  action: string;
  sessionId: string | null;
  /** Small JSON object: ids, filters, decisions. Never the personal data that was viewed. */
  detail: Record<string, unknown>;
}

export interface NewAccessLogEntry {
  staffId: string;
  /** e.g. 'session.view', 'session.decide', 'session.export', 'script.publish'. */
  action: string;
  sessionId: string | null;
  detail?: Record<string, unknown>;
  /** Default: now. */
  at?: string;
}

export interface AccessLogQuery {
  /** 1-500; default 50. */
  limit?: number;
  /** Entries with an id below this (paging backwards from the newest). */
  before?: number;
  sessionId?: string;
  staffId?: string;
}

export interface AccessLogRepository {
  /** Appends one entry (inside the caller's store.transaction when there is one). */
  append(entry: NewAccessLogEntry): AccessLogEntry;
  /** Newest first. */
  list(query?: AccessLogQuery): AccessLogEntry[];
}

/** The review queue: filters combine with AND; newest first, paged by (createdAt, id). */
export interface ReviewQueueQuery {
  statuses?: string[];
  /** A decision, or 'none' for sessions nobody has decided yet. */
  decision?: string;
  /** Sessions carrying every one of these flags. */
  flags?: string[];
  scriptIds?: string[];
  /** created_at >= createdFrom and < createdTo (ISO timestamps). */
  createdFrom?: string;
  createdTo?: string;
  /** Prefix of the session reference (case-insensitive). */
  reference?: string;
  limit: number;
  /** Keyset: the last item of the previous page. */
  after?: { createdAt: string; id: string };
}

export interface ReviewQueueItem {
  id: string;
  reference: string;
  status: string;
  locale: string;
  scriptId: string;
  createdAt: string;
  endedAt: string | null;
  flags: string[];
  decision: string | null;
  decidedAt: string | null;
}

export interface ReviewQueuePage {
  items: ReviewQueueItem[];
  /** How many sessions match the filters (all pages). */
  total: number;
  /** Pass as `after` for the next page; null on the last page. */
  next: { createdAt: string; id: string } | null;
}

export interface ReviewIndexRepository {
  queue(query: ReviewQueueQuery): ReviewQueuePage;
  /** A session's flags and latest decision (empty for an unknown session). */
  summary(sessionId: string): { flags: string[]; decision: string | null; decidedAt: string | null };
}

export interface Store {
  sessions: SessionRepository;
  events: EventRepository;
  scripts: ScriptVersionRepository;
  /** Script studio: drafts and published versions. */
  scriptLibrary: ScriptLibraryRepository;
  artifacts: ArtifactRepository;
  blobs: BlobStore;
  staff: StaffRepository;
  accessLog: AccessLogRepository;
  /**
   * Runs `fn` in one database transaction (nested calls become savepoints) and returns its
   * result; a throw rolls everything back. Synchronous: no awaits inside. Used to write a
   * change and its access-log entry atomically.
   */
  transaction<T>(fn: () => T): T;
  review: ReviewIndexRepository;
  close(): void;
}
