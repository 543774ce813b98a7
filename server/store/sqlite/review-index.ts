/**
 * The review queue's index: per session, the risk flags raised so far and the latest decision,
 * folded in by the event writer inside the transaction that appends the events (so the queue
 * never disagrees with the chain). `catchUp` folds in sessions stored before the index existed.
 */
import type Database from 'better-sqlite3';
import { decisionOfEvent, flagsOfEvent } from '../../review/flags.ts';

export interface IndexedEvent {
  seq: number;
  type: string;
  at: string;
  payload: unknown;
}

export interface ReviewIndexer {
  /** Call inside the append's transaction, with the events just appended (in seq order). */
  apply(sessionId: string, events: readonly IndexedEvent[]): void;
  /** Folds in every session whose index is behind its chain; returns how many. */
  catchUp(): number;
}

export function createReviewIndexer(db: Database.Database): ReviewIndexer {
  const ensure = db.prepare<[string]>('INSERT OR IGNORE INTO review_index (session_id) VALUES (?)');
  const addFlag = db.prepare<[string, string]>('INSERT OR IGNORE INTO review_flags (session_id, flag) VALUES (?, ?)');
  const flagList = db.prepare<[string], { flag: string }>('SELECT flag FROM review_flags WHERE session_id = ? ORDER BY flag');
  const setFlags = db.prepare<[string, string]>('UPDATE review_index SET flags = ? WHERE session_id = ?');
  const setDecision = db.prepare<[string, string, string]>('UPDATE review_index SET decision = ?, decided_at = ? WHERE session_id = ?');
  const setSeq = db.prepare<[number, string]>('UPDATE review_index SET indexed_seq = max(indexed_seq, ?) WHERE session_id = ?');
  const behind = db.prepare<[], { id: string; from: number }>(
    `SELECT s.id AS id, coalesce(r.indexed_seq, 0) AS "from" FROM sessions s
     LEFT JOIN review_index r ON r.session_id = s.id
     WHERE r.session_id IS NULL OR r.indexed_seq < s.head_seq`,
  );
  const eventsAfter = db.prepare<[string, number], { seq: number; type: string; at: string; payload_json: string }>(
    'SELECT seq, type, at, payload_json FROM events WHERE session_id = ? AND seq > ? ORDER BY seq',
  );

  const apply = (sessionId: string, events: readonly IndexedEvent[]): void => {
    if (!db.inTransaction) throw new Error('the review index is updated inside the append transaction');
    // A new index row (first event, or a rebuild) takes the flags already stored.
    let flagsAdded = ensure.run(sessionId).changes > 0;
    let last = 0;
    for (const event of events) {
      last = Math.max(last, event.seq);
      for (const flag of flagsOfEvent(event.type, event.payload)) {
        if (addFlag.run(sessionId, flag).changes > 0) flagsAdded = true;
      }
      const decision = decisionOfEvent(event.type, event.payload);
      if (decision) setDecision.run(decision, event.at, sessionId);
    }
    if (flagsAdded) setFlags.run(flagList.all(sessionId).map((row) => row.flag).join(' '), sessionId);
    if (last > 0) setSeq.run(last, sessionId);
  };

  const catchUpOne = db.transaction((sessionId: string, from: number) => {
    const rows = eventsAfter.all(sessionId, from);
    apply(
      sessionId,
      rows.map((row) => ({ seq: row.seq, type: row.type, at: row.at, payload: JSON.parse(row.payload_json) as unknown })),
    );
  });

  return {
    apply,
    catchUp() {
      const pending = behind.all();
      for (const { id, from } of pending) catchUpOne.immediate(id, from);
      return pending.length;
    },
  };
}
