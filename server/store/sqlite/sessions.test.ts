import { describe, expect, it } from 'vitest';
import { ConflictError, DuplicateError, InvalidInputError, NotFoundError } from '../errors.ts';
import { event, makeTempDir, newSession, openTestStore } from './test-support.ts';

const fixedClock = () => new Date('2025-01-01T10:05:00.000Z');

describe('sessions', () => {
  it('creates a session with its first event and finds it by id and by token hash', () => {
    const store = openTestStore(makeTempDir(), { clock: fixedClock });
    const input = newSession({ externalRef: 'crm-42' });
    const created = store.sessions.create(input, event('SessionCreated', { scriptId: input.scriptId }));

    expect(created).toEqual({
      id: input.id,
      reference: input.reference,
      status: 'pending',
      locale: 'en',
      scriptId: input.scriptId,
      scriptHash: input.scriptHash,
      externalRef: 'crm-42',
      state: input.state,
      createdAt: input.createdAt,
      updatedAt: input.createdAt,
      expiresAt: input.expiresAt,
      endedAt: null,
      version: 1,
    });
    expect(store.sessions.findById(input.id)).toEqual(created);
    expect(store.sessions.findByTokenHash(input.tokenHash)).toEqual(created);
    expect(store.sessions.findById('ses_unknown')).toBeNull();
    expect(store.sessions.findByTokenHash('f'.repeat(64))).toBeNull();

    const events = store.events.list(input.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ seq: 1, type: 'SessionCreated', payload: { scriptId: input.scriptId } });
    expect(store.events.verifyChain(input.id)).toMatchObject({ ok: true, count: 1 });
  });

  it('rejects duplicates and raw tokens without writing anything', () => {
    const store = openTestStore(makeTempDir());
    const first = newSession();
    store.sessions.create(first, event('SessionCreated', {}));

    const sameReference = newSession({ reference: first.reference });
    expect(() => store.sessions.create(sameReference, event('SessionCreated', {}))).toThrow(DuplicateError);
    expect(() => store.sessions.create(sameReference, event('SessionCreated', {}))).toThrow(/reference/);
    expect(store.sessions.findById(sameReference.id)).toBeNull();

    const sameToken = newSession({ tokenHash: first.tokenHash });
    expect(() => store.sessions.create(sameToken, event('SessionCreated', {}))).toThrow(/tokenHash/);

    const rawToken = newSession({ tokenHash: 'the-token-itself' });
    expect(() => store.sessions.create(rawToken, event('SessionCreated', {}))).toThrow(InvalidInputError);
    expect(() => store.sessions.create(newSession({ id: '../x' }), event('SessionCreated', {}))).toThrow(
      InvalidInputError,
    );
    expect(store.sessions.findById(rawToken.id)).toBeNull();
  });

  it('applies a patch, bumps version and updatedAt, and appends the events in order', () => {
    const store = openTestStore(makeTempDir(), { clock: fixedClock });
    const input = newSession();
    store.sessions.create(input, event('SessionCreated', {}));

    const updated = store.sessions.update(input.id, 1, { status: 'active', state: { stepId: 'consent' } }, [
      event('SessionStarted', {}),
      event('StepEntered', { stepId: 'consent' }),
    ]);
    expect(updated).toMatchObject({
      status: 'active',
      locale: 'en',
      state: { stepId: 'consent' },
      version: 2,
      updatedAt: '2025-01-01T10:05:00.000Z',
      endedAt: null,
    });
    expect(store.sessions.findById(input.id)).toEqual(updated);

    const ended = store.sessions.update(input.id, 2, { status: 'completed', endedAt: '2025-01-01T10:06:00.000Z' }, []);
    expect(ended).toMatchObject({ status: 'completed', state: { stepId: 'consent' }, version: 3 });
    expect(ended.endedAt).toBe('2025-01-01T10:06:00.000Z');

    expect(store.events.list(input.id).map((stored) => [stored.seq, stored.type])).toEqual([
      [1, 'SessionCreated'],
      [2, 'SessionStarted'],
      [3, 'StepEntered'],
    ]);
  });

  it('throws ConflictError on a stale version and writes nothing', () => {
    const store = openTestStore(makeTempDir());
    const input = newSession();
    store.sessions.create(input, event('SessionCreated', {}));
    const current = store.sessions.update(input.id, 1, { state: { step: 'a' } }, [event('Moved', { to: 'a' })]);
    const eventsBefore = store.events.list(input.id);

    let caught: unknown;
    try {
      store.sessions.update(input.id, 1, { status: 'declined', state: { step: 'b' } }, [event('Moved', { to: 'b' })]);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConflictError);
    expect(caught).toMatchObject({ code: 'conflict', retryable: true, expectedVersion: 1, actualVersion: 2 });
    expect(store.sessions.findById(input.id)).toEqual(current);
    expect(store.events.list(input.id)).toEqual(eventsBefore);
  });

  it('writes nothing when one of the events cannot be serialized', () => {
    const store = openTestStore(makeTempDir());
    const input = newSession();
    const created = store.sessions.create(input, event('SessionCreated', {}));
    expect(() =>
      store.sessions.update(input.id, 1, { status: 'active' }, [event('Ok', {}), event('Bad', { score: NaN })]),
    ).toThrow(/finite/);
    expect(store.sessions.findById(input.id)).toEqual(created);
    expect(store.events.list(input.id)).toHaveLength(1);
  });

  it('throws NotFoundError for an unknown id', () => {
    const store = openTestStore(makeTempDir());
    expect(() => store.sessions.update('ses_missing', 1, {}, [event('X', {})])).toThrow(NotFoundError);
    expect(() => store.events.verifyChain('ses_missing')).toThrow(NotFoundError);
  });

  it('lists sessions by status, oldest first', () => {
    const store = openTestStore(makeTempDir());
    const late = newSession({ status: 'active', createdAt: '2025-01-01T12:00:00.000Z' });
    const early = newSession({ status: 'active', createdAt: '2025-01-01T09:00:00.000Z' });
    const pending = newSession({ status: 'pending' });
    const done = newSession({ status: 'completed' });
    for (const session of [late, early, pending, done]) store.sessions.create(session, event('SessionCreated', {}));

    expect(store.sessions.listByStatus(['active']).map((session) => session.id)).toEqual([early.id, late.id]);
    expect(store.sessions.listByStatus(['active', 'pending']).map((session) => session.id).sort()).toEqual(
      [early.id, late.id, pending.id].sort(),
    );
    expect(store.sessions.listByStatus([])).toEqual([]);
  });

  it('keeps everything across a reopen', () => {
    const dir = makeTempDir();
    const first = openTestStore(dir);
    const input = newSession();
    first.sessions.create(input, event('SessionCreated', { n: 1 }));
    const updated = first.sessions.update(input.id, 1, { status: 'active' }, [event('Started', { n: 2 })]);
    const events = first.events.list(input.id);
    first.close();

    const second = openTestStore(dir);
    expect(second.sessions.findById(input.id)).toEqual(updated);
    expect(second.events.list(input.id)).toEqual(events);
    expect(second.events.verifyChain(input.id)).toMatchObject({ ok: true, count: 2 });
    expect(second.sessions.update(input.id, 2, {}, [event('More', {})]).version).toBe(3);
  });
});
