/**
 * The access log: who viewed, decided or exported what, append-only (triggers refuse UPDATE and
 * DELETE). Appends run inside the caller's transaction when there is one, so a change and the
 * entry that accounts for it commit together.
 */
import type Database from 'better-sqlite3';
import { canonicalJson } from '../canonical-json.ts';
import { InvalidInputError } from '../errors.ts';
import type { AccessLogEntry, AccessLogQuery, AccessLogRepository, NewAccessLogEntry } from '../types.ts';
import { requireText, requireTimestamp } from './validate.ts';

interface Row {
  id: number;
  at: string;
  staff_id: string;
  action: string;
  session_id: string | null;
  detail_json: string;
}

export const MAX_ACCESS_LOG_PAGE = 500;
const MAX_DETAIL_BYTES = 4096;

export function createAccessLogRepository(db: Database.Database, now: () => string): AccessLogRepository {
  const insert = db.prepare<[string, string, string, string | null, string]>(
    'INSERT INTO access_log (at, staff_id, action, session_id, detail_json) VALUES (?, ?, ?, ?, ?)',
  );
  const byId = db.prepare<[number | bigint], Row>('SELECT id, at, staff_id, action, session_id, detail_json FROM access_log WHERE id = ?');

  return {
    append(entry: NewAccessLogEntry) {
      const staffId = requireText(entry.staffId, 'entry.staffId');
      const action = requireText(entry.action, 'entry.action');
      if (!/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/.test(action)) {
        throw new InvalidInputError('entry.action must look like "area.verb" (lowercase, dot-separated)');
      }
      const sessionId = entry.sessionId === null ? null : requireText(entry.sessionId, 'entry.sessionId');
      const at = entry.at === undefined ? now() : requireTimestamp(entry.at, 'entry.at');
      const detail = entry.detail ?? {};
      if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) throw new InvalidInputError('entry.detail must be an object');
      const detailJson = canonicalJson(detail);
      if (Buffer.byteLength(detailJson) > MAX_DETAIL_BYTES) throw new InvalidInputError(`entry.detail is over ${MAX_DETAIL_BYTES} bytes`);
      const result = insert.run(at, staffId, action, sessionId, detailJson);
      return toEntry(byId.get(result.lastInsertRowid)!);
    },
    list(query: AccessLogQuery = {}) {
      const limit = Math.min(Math.max(Math.trunc(query.limit ?? 50), 1), MAX_ACCESS_LOG_PAGE);
      const where: string[] = [];
      const params: (string | number)[] = [];
      if (query.before !== undefined) {
        where.push('id < ?');
        params.push(query.before);
      }
      if (query.sessionId !== undefined) {
        where.push('session_id = ?');
        params.push(query.sessionId);
      }
      if (query.staffId !== undefined) {
        where.push('staff_id = ?');
        params.push(query.staffId);
      }
      const sql = `SELECT id, at, staff_id, action, session_id, detail_json FROM access_log
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
      return db
        .prepare<(string | number)[], Row>(sql)
        .all(...params, limit)
        .map(toEntry);
    },
  };
}

function toEntry(row: Row): AccessLogEntry {
  return {
    id: row.id,
    at: row.at,
    staffId: row.staff_id,
    action: row.action,
    sessionId: row.session_id,
    detail: JSON.parse(row.detail_json) as Record<string, unknown>,
  };
}
