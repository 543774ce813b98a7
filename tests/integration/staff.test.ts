/**
 * Staff sign-in and access control against a real server and SQLite file: one test per denial
 * (no login, wrong role, missing or wrong CSRF token, logged out, disabled), cookie flags, the
 * admin API and the access log.
 */
import Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/attest.ts';
import { openSqliteStore } from '../../server/store/index.ts';
import { createStaff, loginStaff, staffRequest, type CreatedStaff, type StaffLogin } from '../support/staff.ts';

let server: TestServer;
let admin: CreatedStaff;
let reviewer: CreatedStaff;
let adminLogin: StaffLogin;
let reviewerLogin: StaffLogin;

beforeAll(async () => {
  server = await startTestServer();
  admin = await createStaff(server, { email: 'admin@example.test', role: 'admin' });
  reviewer = await createStaff(server, { email: 'Reviewer@Example.test', role: 'reviewer', password: 'a second password 9' });
  adminLogin = await loginStaff(server.url, admin.email, admin.password);
  reviewerLogin = await loginStaff(server.url, 'reviewer@example.test', reviewer.password);
});
afterAll(async () => {
  await server?.stop();
});

async function errorCode(response: Response): Promise<string> {
  const body = (await response.json()) as { error?: { code?: string } };
  return body.error?.code ?? `no error code (HTTP ${response.status})`;
}

describe('staff sign-in', () => {
  it('sets an HttpOnly, SameSite=Strict, path-wide cookie without Secure on plain http, and /me answers with the same CSRF token', async () => {
    const flags = adminLogin.setCookie.split(';').map((part) => part.trim());
    expect(flags[0]).toMatch(/^attest_staff=[A-Za-z0-9_-]{43}$/);
    expect(flags).toContain('HttpOnly');
    expect(flags).toContain('SameSite=Strict');
    expect(flags).toContain('Path=/');
    expect(flags.some((f) => /^Max-Age=\d+$/.test(f) && Number(f.slice(8)) === 12 * 3600)).toBe(true);
    expect(flags).not.toContain('Secure');
    expect(adminLogin.staff).toEqual({ id: admin.id, email: 'admin@example.test', role: 'admin' });

    const me = await staffRequest(server.url, adminLogin, 'GET', '/api/staff/me');
    expect(me.status).toBe(200);
    expect(me.headers.get('cache-control')).toBe('no-store');
    expect(await me.json()).toEqual({ staff: adminLogin.staff, csrfToken: adminLogin.csrfToken });
  });

  it('stores only a hash of the cookie value', () => {
    const value = adminLogin.cookie.split('=')[1]!;
    const db = new Database(path.join(server.dataDir, 'attest.db'), { readonly: true });
    try {
      const hashes = db.prepare('SELECT token_hash FROM staff_logins').pluck().all() as string[];
      expect(hashes.length).toBeGreaterThanOrEqual(2);
      expect(hashes).not.toContain(value);
      const users = db.prepare('SELECT password_hash FROM staff_users').pluck().all() as string[];
      for (const hash of users) expect(hash).toMatch(/^scrypt\$15\$8\$1\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]{43}$/);
    } finally {
      db.close();
    }
  });

  it('gives the same answer for a wrong password and an unknown address', async () => {
    const wrong = await fetch(`${server.url}/api/staff/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: admin.email, password: 'not the password at all' }),
    });
    const unknown = await fetch(`${server.url}/api/staff/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'nobody@example.test', password: 'not the password at all' }),
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    expect(await wrong.json()).toEqual(await unknown.json());
  });

  it('refuses a sign-in posted as a form or plain text (no cross-site login)', async () => {
    const res = await fetch(`${server.url}/api/staff/login`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ email: admin.email, password: admin.password }),
    });
    expect(res.status).toBe(415);
    expect(res.headers.get('set-cookie')).toBeNull();
  });
});

describe('denials', () => {
  it('no login: 401 login_required on staff and admin endpoints', async () => {
    for (const [method, url] of [
      ['GET', '/api/staff/me'],
      ['GET', '/api/admin/staff'],
      ['POST', '/api/admin/staff'],
      ['GET', '/api/admin/access-log'],
    ] as const) {
      const res = await staffRequest(server.url, null, method, url, method === 'POST' ? { email: 'x@example.test', role: 'admin', password: 'whatever password 1' } : undefined);
      expect(res.status, `${method} ${url}`).toBe(401);
      expect(await errorCode(res)).toBe('login_required');
    }
  });

  it('a made-up cookie is no login', async () => {
    const res = await staffRequest(server.url, { cookie: `attest_staff=${'A'.repeat(43)}`, csrfToken: 'x' }, 'GET', '/api/staff/me');
    expect(res.status).toBe(401);
    expect(await errorCode(res)).toBe('login_required');
  });

  it('wrong role: a reviewer gets 403 forbidden on every admin endpoint', async () => {
    const list = await staffRequest(server.url, reviewerLogin, 'GET', '/api/admin/staff');
    expect(list.status).toBe(403);
    expect(await errorCode(list)).toBe('forbidden');
    const create = await staffRequest(server.url, reviewerLogin, 'POST', '/api/admin/staff', {
      email: 'sneaky@example.test',
      role: 'admin',
      password: 'a long enough password',
    });
    expect(create.status).toBe(403);
    expect(await errorCode(create)).toBe('forbidden');
    const log = await staffRequest(server.url, reviewerLogin, 'GET', '/api/admin/access-log');
    expect(log.status).toBe(403);
    expect(await errorCode(log)).toBe('forbidden');
    const patch = await staffRequest(server.url, reviewerLogin, 'PATCH', `/api/admin/staff/${reviewer.id}`, { role: 'admin' });
    expect(patch.status).toBe(403);
    // Nothing was created or changed.
    const users = (await (await staffRequest(server.url, adminLogin, 'GET', '/api/admin/staff')).json()) as { staff: { email: string; role: string }[] };
    expect(users.staff.map((u) => u.email)).not.toContain('sneaky@example.test');
    expect(users.staff.find((u) => u.email === 'reviewer@example.test')?.role).toBe('reviewer');
  });

  it('missing CSRF token: 403 csrf_failed and nothing changes', async () => {
    const res = await staffRequest(server.url, adminLogin, 'POST', '/api/admin/staff', { email: 'nocsrf@example.test', role: 'reviewer', password: 'a long enough password' }, { 'x-csrf-token': '' });
    expect(res.status).toBe(403);
    expect(await errorCode(res)).toBe('csrf_failed');
    expect(server.attest.staff.list().map((u) => u.email)).not.toContain('nocsrf@example.test');
  });

  it("wrong CSRF token (another login's): 403 csrf_failed", async () => {
    const res = await staffRequest(server.url, adminLogin, 'POST', '/api/admin/staff', { email: 'wrongcsrf@example.test', role: 'reviewer', password: 'a long enough password' }, { 'x-csrf-token': reviewerLogin.csrfToken });
    expect(res.status).toBe(403);
    expect(await errorCode(res)).toBe('csrf_failed');
    expect(server.attest.staff.list().map((u) => u.email)).not.toContain('wrongcsrf@example.test');
  });

  it('logout ends the login: the old cookie is refused afterwards and the cookie is cleared', async () => {
    const login = await loginStaff(server.url, reviewer.email, reviewer.password);
    expect((await staffRequest(server.url, login, 'GET', '/api/staff/me')).status).toBe(200);
    const withoutCsrf = await staffRequest(server.url, login, 'POST', '/api/staff/logout', undefined, { 'x-csrf-token': 'nope' });
    expect(withoutCsrf.status).toBe(403);
    expect((await staffRequest(server.url, login, 'GET', '/api/staff/me')).status).toBe(200);
    const out = await staffRequest(server.url, login, 'POST', '/api/staff/logout');
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toMatch(/^attest_staff=; .*Max-Age=0/);
    const after = await staffRequest(server.url, login, 'GET', '/api/staff/me');
    expect(after.status).toBe(401);
    expect(await errorCode(after)).toBe('login_required');
    // The other login of the same person is untouched.
    expect((await staffRequest(server.url, reviewerLogin, 'GET', '/api/staff/me')).status).toBe(200);
  });
});

describe('admin staff management', () => {
  it('creates accounts with the password rules, refuses duplicates, and a disabled account can no longer sign in', async () => {
    const weak = await staffRequest(server.url, adminLogin, 'POST', '/api/admin/staff', { email: 'editor@example.test', role: 'script_editor', password: 'short' });
    expect(weak.status).toBe(400);
    expect(await errorCode(weak)).toBe('weak_password');
    const badRole = await staffRequest(server.url, adminLogin, 'POST', '/api/admin/staff', { email: 'editor@example.test', role: 'boss', password: 'a long enough password' });
    expect(badRole.status).toBe(400);
    const created = await staffRequest(server.url, adminLogin, 'POST', '/api/admin/staff', { email: 'Editor@example.test', role: 'script_editor', password: 'a long enough password' });
    expect(created.status).toBe(201);
    const { staff } = (await created.json()) as { staff: { id: string; email: string; role: string; disabled: boolean } };
    expect(staff).toMatchObject({ email: 'editor@example.test', role: 'script_editor', disabled: false });
    expect(JSON.stringify(staff)).not.toMatch(/scrypt|password/i);
    const again = await staffRequest(server.url, adminLogin, 'POST', '/api/admin/staff', { email: 'editor@example.test', role: 'reviewer', password: 'another long password' });
    expect(again.status).toBe(409);
    expect(await errorCode(again)).toBe('staff_exists');

    const editorLogin = await loginStaff(server.url, 'editor@example.test', 'a long enough password');
    const disable = await staffRequest(server.url, adminLogin, 'PATCH', `/api/admin/staff/${staff.id}`, { disabled: true });
    expect(disable.status).toBe(200);
    expect((await staffRequest(server.url, editorLogin, 'GET', '/api/staff/me')).status).toBe(401);
    const retry = await fetch(`${server.url}/api/staff/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'editor@example.test', password: 'a long enough password' }),
    });
    expect(retry.status).toBe(401);
    expect(await errorCode(retry)).toBe('invalid_credentials');
  });

  it('refuses to leave no enabled admin', async () => {
    const res = await staffRequest(server.url, adminLogin, 'PATCH', `/api/admin/staff/${admin.id}`, { role: 'reviewer' });
    expect(res.status).toBe(400);
    expect((await staffRequest(server.url, adminLogin, 'GET', '/api/staff/me')).status).toBe(200);
  });
});

describe('changing your own password', () => {
  it('needs the current password, the CSRF token and the rules; ends your other logins and keeps this one', async () => {
    const person = await createStaff(server, { email: 'changer@example.test', role: 'reviewer', password: 'the first password 1' });
    const here = await loginStaff(server.url, person.email, person.password);
    const elsewhere = await loginStaff(server.url, person.email, person.password);
    const change = (login: StaffLogin, body: unknown, headers: Record<string, string> = {}) =>
      staffRequest(server.url, login, 'POST', '/api/staff/password', body, headers);

    const noCsrf = await change(here, { currentPassword: person.password, newPassword: 'the second password 2' }, { 'x-csrf-token': 'nope' });
    expect(noCsrf.status).toBe(403);
    const wrong = await change(here, { currentPassword: 'not my password', newPassword: 'the second password 2' });
    expect(wrong.status).toBe(401);
    expect(await errorCode(wrong)).toBe('invalid_credentials');
    const weak = await change(here, { currentPassword: person.password, newPassword: 'short' });
    expect(weak.status).toBe(400);
    expect(await errorCode(weak)).toBe('weak_password');
    expect((await change(here, { currentPassword: person.password, newPassword: 'the second password 2' })).status).toBe(200);

    expect((await staffRequest(server.url, here, 'GET', '/api/staff/me')).status).toBe(200);
    expect((await staffRequest(server.url, elsewhere, 'GET', '/api/staff/me')).status).toBe(401);
    const old = await fetch(`${server.url}/api/staff/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: person.email, password: person.password }),
    });
    expect(old.status).toBe(401);
    expect((await loginStaff(server.url, person.email, 'the second password 2')).staff.id).toBe(person.id);
  });
});

describe('access log', () => {
  it('records sign-ins and account changes, pages newest first, filters by staff member, and refuses edits', async () => {
    const all = await staffRequest(server.url, adminLogin, 'GET', '/api/admin/access-log?limit=500');
    expect(all.status).toBe(200);
    const body = (await all.json()) as { entries: { id: number; action: string; staffId: string; staffEmail: string | null; sessionId: string | null }[]; nextBefore: number | null };
    const actions = body.entries.map((e) => e.action);
    expect(actions).toContain('staff.login');
    expect(actions).toContain('staff.logout');
    expect(actions).toContain('staff.login_failed');
    expect(actions).toContain('staff.create');
    expect(actions).toContain('staff.update');
    expect(actions).toContain('staff.password');
    expect(actions).toContain('staff.password_failed');
    const ids = body.entries.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));

    const page1 = (await (await staffRequest(server.url, adminLogin, 'GET', '/api/admin/access-log?limit=2')).json()) as typeof body;
    expect(page1.entries.map((e) => e.id)).toEqual(ids.slice(0, 2));
    expect(page1.nextBefore).toBe(ids[1]);
    const page2 = (await (await staffRequest(server.url, adminLogin, 'GET', `/api/admin/access-log?limit=2&before=${page1.nextBefore}`)).json()) as typeof body;
    expect(page2.entries.map((e) => e.id)).toEqual(ids.slice(2, 4));

    const mine = (await (await staffRequest(server.url, adminLogin, 'GET', `/api/admin/access-log?staffId=${reviewer.id}`)).json()) as typeof body;
    expect(mine.entries.length).toBeGreaterThan(0);
    expect(mine.entries.every((e) => e.staffId === reviewer.id && e.staffEmail === 'reviewer@example.test')).toBe(true);

    const bad = await staffRequest(server.url, adminLogin, 'GET', '/api/admin/access-log?limit=0');
    expect(bad.status).toBe(400);

    const db = new Database(path.join(server.dataDir, 'attest.db'));
    try {
      expect(() => db.prepare("UPDATE access_log SET action = 'x.y'").run()).toThrow(/append-only/);
      expect(() => db.prepare('DELETE FROM access_log').run()).toThrow(/append-only/);
    } finally {
      db.close();
    }
  });

  it('a change and its access-log entry commit together (store.transaction)', () => {
    const store = openSqliteStore({ dataDir: server.dataDir });
    try {
      const before = store.accessLog.list({ limit: 500 }).length;
      expect(() =>
        store.transaction(() => {
          store.accessLog.append({ staffId: admin.id, action: 'session.view', sessionId: 'ses_x', detail: {} });
          throw new Error('the change failed');
        }),
      ).toThrow('the change failed');
      expect(store.accessLog.list({ limit: 500 }).length).toBe(before);
      const kept = store.transaction(() => store.accessLog.append({ staffId: admin.id, action: 'session.view', sessionId: 'ses_x', detail: { part: 'timeline' } }));
      expect(store.accessLog.list({ sessionId: 'ses_x' })).toEqual([kept]);
    } finally {
      store.close();
    }
  });
});

describe('behind https', () => {
  it('marks the cookie Secure when ATTEST_PUBLIC_URL is https', async () => {
    const secure = await startTestServer({ ATTEST_PUBLIC_URL: 'https://attest.example.test' });
    try {
      const user = await createStaff(secure, { email: 'secure@example.test', role: 'reviewer' });
      const login = await loginStaff(secure.url, user.email, user.password);
      expect(login.setCookie.split(';').map((part) => part.trim())).toContain('Secure');
      const out = await staffRequest(secure.url, login, 'POST', '/api/staff/logout');
      expect(out.headers.get('set-cookie')).toMatch(/; Secure/);
    } finally {
      await secure.stop();
    }
  });
});
