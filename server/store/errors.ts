/**
 * Errors the store throws on purpose. Each has a stable `code` (the API edge maps codes to HTTP
 * status) and says whether retrying can help. Messages never contain payloads or state, only
 * ids and field names, so they are safe to log.
 */

export type StoreErrorCode =
  | 'not_found'
  | 'conflict'
  | 'duplicate'
  | 'integrity'
  | 'invalid_input'
  | 'schema_version';

export abstract class StoreError extends Error {
  abstract readonly code: StoreErrorCode;
  abstract readonly retryable: boolean;
}

/** The session (or other record) the call names does not exist. */
export class NotFoundError extends StoreError {
  readonly code = 'not_found';
  readonly retryable = false;
  constructor(
    readonly entity: 'session' | 'artifact',
    readonly id: string,
  ) {
    super(`${entity} ${id} not found`);
    this.name = 'NotFoundError';
  }
}

/**
 * The stored version is not the one the caller read: someone else changed the session first.
 * Nothing was written. Re-read the session and decide again.
 */
export class ConflictError extends StoreError {
  readonly code = 'conflict';
  readonly retryable = true;
  constructor(
    readonly sessionId: string,
    readonly expectedVersion: number,
    readonly actualVersion: number,
  ) {
    super(`session ${sessionId} is at version ${actualVersion}, not the expected ${expectedVersion}`);
    this.name = 'ConflictError';
  }
}

/** A unique field (session id, reference, token hash) is already taken. Nothing was written. */
export class DuplicateError extends StoreError {
  readonly code = 'duplicate';
  readonly retryable = false;
  constructor(
    readonly field: string,
    entity: 'session' | 'staff user' = 'session',
  ) {
    super(`a ${entity} with this ${field} already exists`);
    this.name = 'DuplicateError';
  }
}

/** Stored bytes or records do not match their recorded hash: corruption or tampering. */
export class IntegrityError extends StoreError {
  readonly code = 'integrity';
  readonly retryable = false;
  constructor(message: string) {
    super(message);
    this.name = 'IntegrityError';
  }
}

/** The caller passed something the store refuses to write (bad blob key, raw token, ...). */
export class InvalidInputError extends StoreError {
  readonly code = 'invalid_input';
  readonly retryable = false;
  constructor(message: string) {
    super(message);
    this.name = 'InvalidInputError';
  }
}

/** The database was written by a newer build (or a different migration history). */
export class SchemaVersionError extends StoreError {
  readonly code = 'schema_version';
  readonly retryable = false;
  constructor(message: string) {
    super(message);
    this.name = 'SchemaVersionError';
  }
}
