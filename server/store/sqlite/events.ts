/**
 * Events in SQLite: the chained append used inside session transactions, and the read side
 * (list, verifyChain). The session row's head_seq/head_hash are written only here.
 */
import type Database from 'better-sqlite3';
import { canonicalJson } from '../canonical-json.ts';
import { hashEvent, verifyLinks, type StoredLink } from '../chain.ts';
import { InvalidInputError, NotFoundError } from '../errors.ts';
import type { EventRepository, NewEvent, StoredEvent } from '../types.ts';
import { requireText, requireTimestamp } from './validate.ts';

/** An event checked and serialized before its transaction starts. */
export interface PreparedEvent {
  type: string;
  at: string;
  /** The payload as it is stored and hashed (what JSON.parse(payloadJson) gives). */
  payload: unknown;
  payloadJson: string;
}

export function prepareEvents(events: readonly NewEvent[]): PreparedEvent[] {
  if (!Array.isArray(events)) throw new InvalidInputError('events must be an array');
  return events.map((event, index) => {
    if (typeof event !== 'object' || event === null) throw new InvalidInputError(`events[${index}] is not an event`);
    const type = requireText(event.type, `events[${index}].type`);
    const at = requireTimestamp(event.at, `events[${index}].at`);
    const payloadJson = canonicalJson(event.payload);
    return { type, at, payload: JSON.parse(payloadJson) as unknown, payloadJson };
  });
}

interface EventRow {
  session_id: string;
  seq: number;
  type: string;
  at: string;
  payload_json: string;
  prev_hash: string;
  hash: string;
}

interface HeadRow {
  head_seq: number;
  head_hash: string;
}

export interface EventWriter {
  /** Appends after the session's recorded head. Call inside the caller's transaction. */
  append(sessionId: string, events: readonly PreparedEvent[]): StoredEvent[];
}

/** Something kept in step with the chain, updated in the append's own transaction. */
export interface AppendObserver {
  apply(sessionId: string, events: readonly StoredEvent[]): void;
}

export function createEventWriter(db: Database.Database, observer?: AppendObserver): EventWriter {
  const selectHead = db.prepare<[string], HeadRow>('SELECT head_seq, head_hash FROM sessions WHERE id = ?');
  const insert = db.prepare<[string, number, string, string, string, string, string]>(
    `INSERT INTO events (session_id, seq, type, at, payload_json, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const updateHead = db.prepare<[number, string, string]>('UPDATE sessions SET head_seq = ?, head_hash = ? WHERE id = ?');

  return {
    append(sessionId, events) {
      if (!db.inTransaction) throw new Error('events must be appended inside a transaction');
      const head = selectHead.get(sessionId);
      if (!head) throw new NotFoundError('session', sessionId);
      if (events.length === 0) return [];
      let seq = head.head_seq;
      let prevHash = head.head_hash;
      const stored: StoredEvent[] = [];
      for (const event of events) {
        seq++;
        const hash = hashEvent({ sessionId, seq, type: event.type, at: event.at, payload: event.payload, prevHash });
        insert.run(sessionId, seq, event.type, event.at, event.payloadJson, prevHash, hash);
        stored.push({ sessionId, seq, type: event.type, at: event.at, payload: event.payload, prevHash, hash });
        prevHash = hash;
      }
      updateHead.run(seq, prevHash, sessionId);
      observer?.apply(sessionId, stored);
      return stored;
    },
  };
}

export function createEventRepository(db: Database.Database): EventRepository {
  const selectEvents = db.prepare<[string], EventRow>(
    'SELECT session_id, seq, type, at, payload_json, prev_hash, hash FROM events WHERE session_id = ? ORDER BY seq',
  );
  const selectHead = db.prepare<[string], HeadRow>('SELECT head_seq, head_hash FROM sessions WHERE id = ?');

  // One read transaction, so the head and the events come from the same snapshot.
  const readChain = db.transaction((sessionId: string) => ({
    head: selectHead.get(sessionId),
    rows: selectEvents.all(sessionId),
  }));

  return {
    list(sessionId) {
      return selectEvents.all(sessionId).map(toStoredEvent);
    },

    verifyChain(sessionId) {
      const { head, rows } = readChain(sessionId);
      if (!head && rows.length === 0) throw new NotFoundError('session', sessionId);
      const links: StoredLink[] = rows.map((row) => ({
        seq: row.seq,
        type: row.type,
        at: row.at,
        payloadJson: row.payload_json,
        prevHash: row.prev_hash,
        hash: row.hash,
      }));
      return verifyLinks(sessionId, links, head ? { seq: head.head_seq, hash: head.head_hash } : null);
    },
  };
}

function toStoredEvent(row: EventRow): StoredEvent {
  return {
    sessionId: row.session_id,
    seq: row.seq,
    type: row.type,
    at: row.at,
    payload: JSON.parse(row.payload_json) as unknown,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
