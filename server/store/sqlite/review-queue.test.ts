import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { event, makeTempDir, newSession, openTestStore } from './test-support.ts';

const at = (minute: number) => `2025-03-01T10:${String(minute).padStart(2, '0')}:00.000Z`;

describe('review queue index', () => {
  it('keeps flags and the latest decision in step with appended events', () => {
    const store = openTestStore(makeTempDir());
    const s = newSession({ createdAt: at(1) });
    const created = store.sessions.create(s, event('SessionCreated', {}, at(1)));
    expect(store.review.summary(s.id)).toEqual({ flags: [], decision: null, decidedAt: null });
    const v2 = store.sessions.update(s.id, created.version, { status: 'review' }, [
      event('AnswerReceived', { stepId: 'voluntary', text: 'x', classification: { label: 'affirm', coercion_signals: ['pressure'] } }, at(2)),
      event('VerifierFinished', { verifier: 'liveness', outcome: 'fail', data: { reason: 'face_mismatch' } }, at(2)),
      event('AnswerReceived', { stepId: 'voluntary', text: 'y', classification: { label: 'affirm', coercion_signals: ['prompted'] } }, at(3)),
    ]);
    expect(store.review.summary(s.id).flags).toEqual(['coercion', 'face_mismatch']);
    const v3 = store.sessions.update(s.id, v2.version, {}, [event('ReviewDecided', { decision: 'reject', note: 'n' }, at(4))]);
    store.sessions.update(s.id, v3.version, {}, [event('ReviewDecided', { decision: 'approve', note: 'n2' }, at(5))]);
    expect(store.review.summary(s.id)).toEqual({ flags: ['coercion', 'face_mismatch'], decision: 'approve', decidedAt: at(5) });
  });

  it('filters, sorts newest first and pages by keyset', () => {
    const store = openTestStore(makeTempDir());
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      const s = newSession({ createdAt: at(10 + i), status: i % 2 === 0 ? 'completed' : 'review', scriptId: i < 6 ? 'a' : 'b' });
      ids.push(s.id);
      const created = store.sessions.create(s, event('SessionCreated', {}, s.createdAt));
      if (i % 3 === 0) store.sessions.update(s.id, created.version, {}, [event('FaceContinuityBroken', {}, s.createdAt)]);
      if (i === 4) store.sessions.update(s.id, created.version, {}, [event('ReviewDecided', { decision: 'approve' }, s.createdAt)]);
    }
    const all = store.review.queue({ limit: 5 });
    expect(all.total).toBe(12);
    expect(all.items.map((item) => item.id)).toEqual(ids.slice(7).reverse());
    const second = store.review.queue({ limit: 5, after: all.next! });
    expect(second.items.map((item) => item.id)).toEqual(ids.slice(2, 7).reverse());
    const third = store.review.queue({ limit: 5, after: second.next! });
    expect(third.items.map((item) => item.id)).toEqual(ids.slice(0, 2).reverse());
    expect(third.next).toBeNull();

    const flagged = store.review.queue({ limit: 50, flags: ['face_continuity'] });
    expect(flagged.items.map((item) => item.id)).toEqual([ids[9], ids[6], ids[3], ids[0]]);
    expect(flagged.items[0]!.flags).toEqual(['face_continuity']);
    expect(store.review.queue({ limit: 50, flags: ['face_continuity'], statuses: ['review'], scriptIds: ['b'] }).items.map((i) => i.id)).toEqual([ids[9]]);
    expect(store.review.queue({ limit: 50, decision: 'approve' }).items.map((i) => i.id)).toEqual([ids[4]]);
    expect(store.review.queue({ limit: 50, decision: 'none' }).total).toBe(11);
    expect(store.review.queue({ limit: 50, createdFrom: at(12), createdTo: at(14) }).items.map((i) => i.id)).toEqual([ids[3], ids[2]]);
    const reference = store.review.queue({ limit: 1 }).items[0]!.reference;
    expect(store.review.queue({ limit: 50, reference: reference.toLowerCase() }).items.map((i) => i.reference)).toEqual([reference]);
    expect(() => store.review.queue({ limit: 0 })).toThrow(/limit/);
  });

  it('indexes sessions stored before the index existed when the store opens', () => {
    const dir = makeTempDir();
    const first = openTestStore(dir);
    const s = newSession();
    const created = first.sessions.create(s, event('SessionCreated', {}));
    first.sessions.update(s.id, created.version, {}, [event('MediaFailed', { reason: 'x' })]);
    first.close();
    // As if the rows had been written by a build without the index.
    const db = new Database(path.join(dir, 'attest.db'));
    db.exec('DELETE FROM review_flags; DELETE FROM review_index;');
    db.close();
    const reopened = openTestStore(dir);
    expect(reopened.review.summary(s.id).flags).toEqual(['media_failed']);
    reopened.close();
    // A rebuild of the index rows alone keeps the flags already stored.
    const db2 = new Database(path.join(dir, 'attest.db'));
    db2.exec('DELETE FROM review_index;');
    db2.close();
    expect(openTestStore(dir).review.summary(s.id).flags).toEqual(['media_failed']);
  });
});
