import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { hashEvent } from '../chain.ts';
import type { Store } from '../types.ts';
import { event, makeTempDir, newSession, openTestStore } from './test-support.ts';

/** A session with `count` events (1 create + updates of 1-3 events each). */
function seedSession(store: Store, count: number): string {
  const input = newSession();
  store.sessions.create(input, event('SessionCreated', { answer: 'created' }));
  let version = 1;
  let written = 1;
  while (written < count) {
    const batch = Math.min(count - written, 1 + (written % 3));
    const events = Array.from({ length: batch }, (_, index) =>
      event('AnswerReceived', { answer: `yes ${written + index + 1}`, score: 0.5, nested: { list: [1, 2] } }),
    );
    version = store.sessions.update(input.id, version, { state: { written } }, events).version;
    written += batch;
  }
  return input.id;
}

function openRaw(dir: string): Database.Database {
  const db = new Database(path.join(dir, 'attest.db'));
  db.pragma('busy_timeout = 5000');
  return db;
}

describe('event chain', () => {
  it('verifies over many events, each linked to the one before', () => {
    const store = openTestStore(makeTempDir());
    const id = seedSession(store, 200);
    const events = store.events.list(id);
    expect(events.map((stored) => stored.seq)).toEqual(Array.from({ length: 200 }, (_, index) => index + 1));
    expect(events[0]!.prevHash).toBe('0'.repeat(64));
    for (let index = 1; index < events.length; index++) {
      expect(events[index]!.prevHash).toBe(events[index - 1]!.hash);
    }
    expect(store.events.verifyChain(id)).toEqual({ ok: true, count: 200, headHash: events[199]!.hash });
  });

  it('keeps chains of different sessions apart', () => {
    const store = openTestStore(makeTempDir());
    const first = seedSession(store, 3);
    const second = seedSession(store, 4);
    expect(store.events.verifyChain(first)).toMatchObject({ ok: true, count: 3 });
    expect(store.events.verifyChain(second)).toMatchObject({ ok: true, count: 4 });
  });

  it('blocks UPDATE, DELETE and INSERT OR REPLACE of events with triggers', () => {
    const dir = makeTempDir();
    const store = openTestStore(dir);
    const id = seedSession(store, 3);
    const raw = openRaw(dir);
    expect(() => raw.prepare("UPDATE events SET type = 'Forged' WHERE session_id = ? AND seq = 2").run(id)).toThrow(
      /append-only/,
    );
    expect(() => raw.prepare('DELETE FROM events WHERE session_id = ? AND seq = 2').run(id)).toThrow(/append-only/);
    expect(() =>
      raw
        .prepare(
          `INSERT OR REPLACE INTO events (session_id, seq, type, at, payload_json, prev_hash, hash)
           SELECT session_id, seq, 'Forged', at, payload_json, prev_hash, hash FROM events WHERE session_id = ? AND seq = 2`,
        )
        .run(id),
    ).toThrow(/append-only/);
    raw.close();
    expect(store.events.list(id).map((stored) => stored.type)).not.toContain('Forged');
    expect(store.events.verifyChain(id)).toMatchObject({ ok: true, count: 3 });
  });

  it('detects one changed payload byte once the trigger is dropped', () => {
    const dir = makeTempDir();
    const store = openTestStore(dir);
    const id = seedSession(store, 10);
    const raw = openRaw(dir);
    raw.exec('DROP TRIGGER events_no_update');
    const row = raw.prepare('SELECT payload_json FROM events WHERE session_id = ? AND seq = 6').get(id) as {
      payload_json: string;
    };
    const tampered = row.payload_json.replace('yes 6', 'yes 7');
    expect(tampered).not.toBe(row.payload_json);
    raw.prepare('UPDATE events SET payload_json = ? WHERE session_id = ? AND seq = 6').run(tampered, id);
    raw.close();

    expect(store.events.verifyChain(id)).toMatchObject({ ok: false, count: 10, brokenAt: { seq: 6, reason: 'hash mismatch' } });
  });

  it('detects a deleted middle event', () => {
    const dir = makeTempDir();
    const store = openTestStore(dir);
    const id = seedSession(store, 10);
    const raw = openRaw(dir);
    raw.exec('DROP TRIGGER events_no_delete');
    raw.prepare('DELETE FROM events WHERE session_id = ? AND seq = 4').run(id);
    raw.close();

    expect(store.events.verifyChain(id)).toMatchObject({ ok: false, count: 9, brokenAt: { seq: 4, reason: 'gap in sequence' } });
  });

  it('detects events cut off the end', () => {
    const dir = makeTempDir();
    const store = openTestStore(dir);
    const id = seedSession(store, 10);
    const raw = openRaw(dir);
    raw.exec('DROP TRIGGER events_no_delete');
    raw.prepare('DELETE FROM events WHERE session_id = ? AND seq > 8').run(id);
    raw.close();

    expect(store.events.verifyChain(id)).toMatchObject({ ok: false, count: 8, brokenAt: { seq: 9, reason: 'gap in sequence' } });
  });

  it('detects an event rewritten with a recomputed hash, at the link after it', () => {
    const dir = makeTempDir();
    const store = openTestStore(dir);
    const id = seedSession(store, 5);
    const original = store.events.list(id)[2]!;
    const payload = { answer: 'no' };
    const forgedHash = hashEvent({ ...original, payload });
    const raw = openRaw(dir);
    raw.exec('DROP TRIGGER events_no_update');
    raw
      .prepare('UPDATE events SET payload_json = ?, hash = ? WHERE session_id = ? AND seq = 3')
      .run(JSON.stringify(payload), forgedHash, id);
    raw.close();

    expect(store.events.verifyChain(id).brokenAt).toEqual({ seq: 4, reason: 'broken link' });
  });

  it('returns payloads as stored (canonical JSON data)', () => {
    const store = openTestStore(makeTempDir());
    const input = newSession();
    store.sessions.create(input, event('SessionCreated', { b: 1, a: -0, skip: undefined }));
    const [first] = store.events.list(input.id);
    expect(first!.payload).toEqual({ a: 0, b: 1 });
    expect(Object.keys(first!.payload as object)).toEqual(['a', 'b']);
  });
});
