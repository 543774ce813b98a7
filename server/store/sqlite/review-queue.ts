/**
 * The review queue over sessions + review_index: filters built as parameterised SQL, newest
 * first, keyset paging on (created_at, id) so a page costs the same at any depth.
 */
import type Database from 'better-sqlite3';
import { InvalidInputError } from '../errors.ts';
import type { ReviewIndexRepository, ReviewQueueItem, ReviewQueueQuery } from '../types.ts';

interface QueueRow {
  id: string;
  reference: string;
  status: string;
  locale: string;
  script_id: string;
  created_at: string;
  ended_at: string | null;
  flags: string | null;
  decision: string | null;
  decided_at: string | null;
}

const MAX_LIMIT = 200;

export function createReviewIndexRepository(db: Database.Database): ReviewIndexRepository {
  const summary = db.prepare<[string], { flags: string; decision: string | null; decided_at: string | null }>(
    'SELECT flags, decision, decided_at FROM review_index WHERE session_id = ?',
  );
  // Statements by filter shape: a handful of shapes are used in practice.
  const cache = new Map<string, Database.Statement>();
  const prepared = (sql: string): Database.Statement => {
    let statement = cache.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      if (cache.size > 256) cache.clear();
      cache.set(sql, statement);
    }
    return statement;
  };

  return {
    queue(query) {
      const limit = Math.floor(query.limit);
      if (!(limit >= 1 && limit <= MAX_LIMIT)) throw new InvalidInputError(`limit must be 1-${MAX_LIMIT}`);
      const { where, params, needsIndex } = filters(query);
      const pageWhere = [...where];
      const pageParams = [...params];
      if (query.after) {
        pageWhere.push('(s.created_at < ? OR (s.created_at = ? AND s.id < ?))');
        pageParams.push(query.after.createdAt, query.after.createdAt, query.after.id);
      }
      // Narrow first: the page's ids from covering indexes, then the rows of those ids only
      // (session rows carry the dialogue state and are wide).
      const from = needsIndex ? 'FROM sessions s LEFT JOIN review_index r ON r.session_id = s.id' : 'FROM sessions s';
      const clause = (parts: string[]) => (parts.length > 0 ? `WHERE ${parts.join(' AND ')}` : '');
      const rows = prepared(
        `WITH page AS (SELECT s.id AS id ${from} ${clause(pageWhere)} ORDER BY s.created_at DESC, s.id DESC LIMIT ?)
         SELECT s.id, s.reference, s.status, s.locale, s.script_id, s.created_at, s.ended_at, r.flags, r.decision, r.decided_at
         FROM page JOIN sessions s ON s.id = page.id LEFT JOIN review_index r ON r.session_id = s.id
         ORDER BY s.created_at DESC, s.id DESC`,
      ).all(...pageParams, limit + 1) as QueueRow[];
      const total = (prepared(`SELECT count(*) AS n ${from} ${clause(where)}`).get(...params) as { n: number }).n;
      const items = rows.slice(0, limit).map(toItem);
      const last = items.at(-1);
      return { items, total, next: rows.length > limit && last ? { createdAt: last.createdAt, id: last.id } : null };
    },

    summary(sessionId) {
      const row = summary.get(sessionId);
      return { flags: splitFlags(row?.flags ?? ''), decision: row?.decision ?? null, decidedAt: row?.decided_at ?? null };
    },
  };
}

function filters(query: ReviewQueueQuery): { where: string[]; params: string[]; needsIndex: boolean } {
  const where: string[] = [];
  const params: string[] = [];
  const inList = (column: string, values: string[]) => {
    where.push(`${column} IN (${values.map(() => '?').join(', ')})`);
    params.push(...values);
  };
  if (query.statuses?.length) inList('s.status', query.statuses);
  if (query.scriptIds?.length) inList('s.script_id', query.scriptIds);
  if (query.decision === 'none') where.push('r.decision IS NULL');
  else if (query.decision !== undefined) {
    where.push('r.decision = ?');
    params.push(query.decision);
  }
  for (const flag of query.flags ?? []) {
    where.push('EXISTS (SELECT 1 FROM review_flags f WHERE f.session_id = s.id AND f.flag = ?)');
    params.push(flag);
  }
  if (query.createdFrom !== undefined) {
    where.push('s.created_at >= ?');
    params.push(query.createdFrom);
  }
  if (query.createdTo !== undefined) {
    where.push('s.created_at < ?');
    params.push(query.createdTo);
  }
  if (query.reference) {
    where.push("s.reference LIKE ? ESCAPE '\\'");
    params.push(`${query.reference.toUpperCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  }
  return { where, params, needsIndex: query.decision !== undefined };
}

function splitFlags(flags: string): string[] {
  return flags === '' ? [] : flags.split(' ');
}

function toItem(row: QueueRow): ReviewQueueItem {
  return {
    id: row.id,
    reference: row.reference,
    status: row.status,
    locale: row.locale,
    scriptId: row.script_id,
    createdAt: row.created_at,
    endedAt: row.ended_at,
    flags: splitFlags(row.flags ?? ''),
    decision: row.decision,
    decidedAt: row.decided_at,
  };
}
