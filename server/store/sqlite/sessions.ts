/**
 * Sessions in SQLite. Every change goes through `commitSessionChange`: version check, patch,
 * version + 1, updated_at, and the chained events, inside one transaction.
 */
import type Database from 'better-sqlite3';
import { canonicalJson } from '../canonical-json.ts';
import { ConflictError, DuplicateError, InvalidInputError, NotFoundError } from '../errors.ts';
import type { NewEvent, NewSession, SessionPatch, SessionRecord, SessionRepository } from '../types.ts';
import { prepareEvents, type EventWriter, type PreparedEvent } from './events.ts';
import {
  requireSha256Hex,
  requireText,
  requireTextOrNull,
  requireTimestamp,
  requireTimestampOrNull,
} from './validate.ts';

interface SessionRow {
  id: string;
  reference: string;
  status: string;
  locale: string;
  script_id: string;
  script_hash: string;
  external_ref: string | null;
  state_json: string;
  created_at: string;
  updated_at: string;
  expires_at: string;
  ended_at: string | null;
  version: number;
}

const COLUMNS = `id, reference, status, locale, script_id, script_hash, external_ref, state_json,
  created_at, updated_at, expires_at, ended_at, version`;

/** A patch checked and serialized before its transaction starts. */
export interface PreparedPatch {
  status?: string;
  locale?: string;
  stateJson?: string;
  endedAt?: string | null;
}

export function preparePatch(patch: SessionPatch): PreparedPatch {
  const prepared: PreparedPatch = {};
  if (patch.status !== undefined) prepared.status = requireText(patch.status, 'patch.status');
  if (patch.locale !== undefined) prepared.locale = requireText(patch.locale, 'patch.locale');
  if (patch.state !== undefined) prepared.stateJson = canonicalJson(patch.state);
  if (patch.endedAt !== undefined) prepared.endedAt = requireTimestampOrNull(patch.endedAt, 'patch.endedAt');
  return prepared;
}

export interface SessionWriter {
  /**
   * Call inside a transaction. `expectedVersion` null skips the check (the change is still
   * serialized by the transaction and still bumps the version).
   */
  commit(
    id: string,
    expectedVersion: number | null,
    patch: PreparedPatch,
    events: readonly PreparedEvent[],
    updatedAt: string,
  ): SessionRecord;
  /** Current version, or a NotFoundError. */
  version(id: string): number;
}

export function createSessionWriter(db: Database.Database, events: EventWriter): SessionWriter {
  const selectById = db.prepare<[string], SessionRow>(`SELECT ${COLUMNS} FROM sessions WHERE id = ?`);
  const update = db.prepare<[string, string, string, string | null, string, number, string, number]>(
    `UPDATE sessions
     SET status = ?, locale = ?, state_json = ?, ended_at = ?, updated_at = ?, version = ?
     WHERE id = ? AND version = ?`,
  );

  const version = (id: string): number => {
    const row = selectById.get(id);
    if (!row) throw new NotFoundError('session', id);
    return row.version;
  };

  return {
    version,
    commit(id, expectedVersion, patch, newEvents, updatedAt) {
      if (!db.inTransaction) throw new Error('session changes must run inside a transaction');
      const row = selectById.get(id);
      if (!row) throw new NotFoundError('session', id);
      if (expectedVersion !== null && row.version !== expectedVersion) {
        throw new ConflictError(id, expectedVersion, row.version);
      }
      const changed = update.run(
        patch.status ?? row.status,
        patch.locale ?? row.locale,
        patch.stateJson ?? row.state_json,
        patch.endedAt === undefined ? row.ended_at : patch.endedAt,
        updatedAt,
        row.version + 1,
        id,
        row.version,
      );
      if (changed.changes !== 1) throw new ConflictError(id, row.version, version(id));
      events.append(id, newEvents);
      const updated = selectById.get(id);
      if (!updated) throw new NotFoundError('session', id);
      return toRecord(updated);
    },
  };
}

export function createSessionRepository(
  db: Database.Database,
  events: EventWriter,
  writer: SessionWriter,
  now: () => string,
): SessionRepository {
  const selectById = db.prepare<[string], SessionRow>(`SELECT ${COLUMNS} FROM sessions WHERE id = ?`);
  const selectByTokenHash = db.prepare<[string], SessionRow>(`SELECT ${COLUMNS} FROM sessions WHERE token_hash = ?`);
  const selectByStatus = db.prepare<[string], SessionRow>(
    `SELECT ${COLUMNS} FROM sessions WHERE status IN (SELECT value FROM json_each(?)) ORDER BY created_at, id`,
  );
  const insert = db.prepare<
    [string, string, string, string, string, string, string, string | null, string, string, string, string]
  >(
    `INSERT INTO sessions (id, reference, token_hash, status, locale, script_id, script_hash, external_ref,
       state_json, created_at, updated_at, expires_at, ended_at, version)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, 1)`,
  );

  const createTransaction = db.transaction((session: NewSession, stateJson: string, first: PreparedEvent[]) => {
    try {
      insert.run(
        session.id,
        session.reference,
        session.tokenHash,
        session.status,
        session.locale,
        session.scriptId,
        session.scriptHash,
        session.externalRef,
        stateJson,
        session.createdAt,
        session.createdAt,
        session.expiresAt,
      );
    } catch (error) {
      throw toDuplicateError(error) ?? error;
    }
    events.append(session.id, first);
  });

  const updateTransaction = db.transaction(
    (id: string, expectedVersion: number, patch: PreparedPatch, newEvents: PreparedEvent[], at: string) =>
      writer.commit(id, expectedVersion, patch, newEvents, at),
  );

  return {
    create(session, firstEvent) {
      requireSessionId(session.id);
      requireText(session.reference, 'session.reference');
      requireSha256Hex(session.tokenHash, 'session.tokenHash');
      requireText(session.status, 'session.status');
      requireText(session.locale, 'session.locale');
      requireText(session.scriptId, 'session.scriptId');
      requireText(session.scriptHash, 'session.scriptHash');
      requireTextOrNull(session.externalRef, 'session.externalRef');
      requireTimestamp(session.createdAt, 'session.createdAt');
      requireTimestamp(session.expiresAt, 'session.expiresAt');
      const stateJson = canonicalJson(session.state);
      const first = prepareEvents([firstEvent]);
      createTransaction.immediate(session, stateJson, first);
      const created = selectById.get(session.id);
      if (!created) throw new NotFoundError('session', session.id);
      return toRecord(created);
    },

    findById(id) {
      const row = selectById.get(id);
      return row ? toRecord(row) : null;
    },

    findByTokenHash(tokenHash) {
      const row = selectByTokenHash.get(tokenHash);
      return row ? toRecord(row) : null;
    },

    update(id, expectedVersion, patch, newEvents: NewEvent[]) {
      const prepared = preparePatch(patch);
      const preparedEvents = prepareEvents(newEvents);
      return updateTransaction.immediate(id, expectedVersion, prepared, preparedEvents, now());
    },

    listByStatus(statuses) {
      if (statuses.length === 0) return [];
      return selectByStatus.all(JSON.stringify(statuses)).map(toRecord);
    },
  };
}

/** Session ids name a folder in the blob store, so they are limited to a safe alphabet. */
function requireSessionId(id: unknown): void {
  requireText(id, 'session.id');
  if (!/^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/.test(id as string)) {
    throw new InvalidInputError('session.id must be 1-128 characters of A-Z a-z 0-9 . _ - (not starting with .)');
  }
}

function toRecord(row: SessionRow): SessionRecord {
  return {
    id: row.id,
    reference: row.reference,
    status: row.status,
    locale: row.locale,
    scriptId: row.script_id,
    scriptHash: row.script_hash,
    externalRef: row.external_ref,
    state: JSON.parse(row.state_json) as unknown,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    expiresAt: row.expires_at,
    endedAt: row.ended_at,
    version: row.version,
  };
}

const UNIQUE_FIELDS: Record<string, string> = {
  'sessions.id': 'id',
  'sessions.reference': 'reference',
  'sessions.token_hash': 'tokenHash',
};

function toDuplicateError(error: unknown): DuplicateError | null {
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (code !== 'SQLITE_CONSTRAINT_UNIQUE' && code !== 'SQLITE_CONSTRAINT_PRIMARYKEY') return null;
  const column = typeof message === 'string' ? /(sessions\.\w+)/.exec(message)?.[1] : undefined;
  return new DuplicateError((column && UNIQUE_FIELDS[column]) ?? 'key');
}
