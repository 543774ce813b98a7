import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DuplicateError, InvalidInputError } from '../errors.ts';
import { makeTempDir, openTestStore } from './test-support.ts';

function withStaff() {
  const dir = makeTempDir();
  const store = openTestStore(dir);
  const at = '2026-01-01T00:00:00.000Z';
  store.staff.createUser({ id: 'stf_a', email: 'a@example.test', role: 'admin', passwordHash: 'scrypt$x', createdAt: at });
  store.staff.createUser({ id: 'stf_r', email: 'r@example.test', role: 'reviewer', passwordHash: 'scrypt$x', createdAt: at });
  return { dir, store };
}

describe('access log repository', () => {
  it('appends, lists newest first with filters and a before cursor', () => {
    const { store } = withStaff();
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push(store.accessLog.append({ staffId: i % 2 ? 'stf_r' : 'stf_a', action: 'session.view', sessionId: `ses_${i % 2}`, detail: { i } }).id);
    }
    expect(store.accessLog.list().map((e) => e.id)).toEqual([...ids].reverse());
    expect(store.accessLog.list({ limit: 2, before: ids[3] }).map((e) => e.id)).toEqual([ids[2], ids[1]]);
    expect(store.accessLog.list({ staffId: 'stf_r' }).map((e) => e.detail)).toEqual([{ i: 3 }, { i: 1 }]);
    expect(store.accessLog.list({ sessionId: 'ses_0', staffId: 'stf_a' })).toHaveLength(3);
    expect(store.accessLog.list({ limit: 10_000 })).toHaveLength(5);
  });

  it('refuses an unknown staff id, a malformed action and an oversized detail', () => {
    const { store } = withStaff();
    expect(() => store.accessLog.append({ staffId: 'stf_nobody', action: 'session.view', sessionId: null })).toThrow(/FOREIGN KEY/);
    expect(() => store.accessLog.append({ staffId: 'stf_a', action: 'View Session', sessionId: null })).toThrow(InvalidInputError);
    expect(() => store.accessLog.append({ staffId: 'stf_a', action: 'session.view', sessionId: null, detail: { big: 'x'.repeat(5000) } })).toThrow(InvalidInputError);
  });

  it('is append-only in the database itself', () => {
    const { dir, store } = withStaff();
    store.accessLog.append({ staffId: 'stf_a', action: 'session.view', sessionId: 'ses_1' });
    const db = new Database(path.join(dir, 'attest.db'));
    try {
      expect(() => db.prepare("UPDATE access_log SET staff_id = 'stf_r'").run()).toThrow(/append-only/);
      expect(() => db.prepare('DELETE FROM access_log').run()).toThrow(/append-only/);
      expect(() => db.prepare("INSERT OR REPLACE INTO access_log (id, at, staff_id, action, session_id, detail_json) VALUES (1, 'x', 'stf_r', 'a.b', NULL, '{}')").run()).toThrow(/append-only/);
    } finally {
      db.close();
    }
    expect(store.accessLog.list()[0]).toMatchObject({ staffId: 'stf_a', sessionId: 'ses_1' });
  });

  it('store.transaction rolls the entry back with the change it accounts for', () => {
    const { store } = withStaff();
    expect(() =>
      store.transaction(() => {
        store.staff.updateUser('stf_r', { role: 'admin' }, '2026-01-02T00:00:00.000Z');
        store.accessLog.append({ staffId: 'stf_a', action: 'staff.update', sessionId: null });
        throw new Error('later step failed');
      }),
    ).toThrow('later step failed');
    expect(store.staff.findUserById('stf_r')?.role).toBe('reviewer');
    expect(store.accessLog.list()).toEqual([]);
  });
});

describe('staff repository', () => {
  it('keeps emails unique and lowercased, and expires logins by absolute and idle time', () => {
    const { store } = withStaff();
    expect(() => store.staff.createUser({ id: 'stf_b', email: 'a@example.test', role: 'reviewer', passwordHash: 'h', createdAt: '2026-01-01T00:00:00.000Z' })).toThrow(DuplicateError);
    expect(() => store.staff.createUser({ id: 'stf_c', email: 'C@example.test', role: 'reviewer', passwordHash: 'h', createdAt: '2026-01-01T00:00:00.000Z' })).toThrow(InvalidInputError);
    expect(() => store.staff.createUser({ id: 'stf_d', email: 'd@example.test', role: 'boss' as 'admin', passwordHash: 'h', createdAt: '2026-01-01T00:00:00.000Z' })).toThrow(InvalidInputError);
    const login = (n: string, lastSeenAt: string, expiresAt: string) =>
      store.staff.createLogin({ tokenHash: n.repeat(64), staffId: 'stf_a', createdAt: '2026-01-01T00:00:00.000Z', lastSeenAt, expiresAt });
    login('a', '2026-01-01T10:00:00.000Z', '2026-01-01T20:00:00.000Z'); // fresh
    login('b', '2026-01-01T08:00:00.000Z', '2026-01-01T20:00:00.000Z'); // idle
    login('c', '2026-01-01T10:00:00.000Z', '2026-01-01T10:30:00.000Z'); // past its absolute expiry
    expect(store.staff.deleteExpiredLogins('2026-01-01T11:00:00.000Z', '2026-01-01T09:00:00.000Z')).toBe(2);
    expect(store.staff.findLogin('a'.repeat(64))).not.toBeNull();
    expect(store.staff.deleteLoginsOf('stf_a')).toBe(1);
  });
});
