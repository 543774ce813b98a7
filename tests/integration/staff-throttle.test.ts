/**
 * Failed sign-in throttling against a real server: locked after five failures per address
 * (even with the right password, and the same for unknown addresses), other addresses from the
 * same IP unaffected below the IP limit, and the lock survives a restart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/attest.ts';
import { createStaff, loginStaff } from '../support/staff.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

function attempt(url: string, email: string, password: string): Promise<Response> {
  return fetch(`${url}/api/staff/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
}

describe('sign-in throttling', () => {
  it('locks an address after 5 failures, keeps others open, and keeps the lock across a restart', async () => {
    const locked = await createStaff(server, { email: 'locked@example.test', role: 'reviewer' });
    const other = await createStaff(server, { email: 'other@example.test', role: 'reviewer' });
    for (let i = 1; i <= 5; i++) {
      const res = await attempt(server.url, locked.email, `wrong password number ${i}`);
      expect(res.status, `failure ${i}`).toBe(401);
    }
    const blocked = await attempt(server.url, locked.email, locked.password);
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('set-cookie')).toBeNull();
    const retryAfter = Number(blocked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(30);
    expect(((await blocked.json()) as { error: { code: string } }).error.code).toBe('too_many_attempts');

    // Another account from the same IP signs in.
    expect((await loginStaff(server.url, other.email, other.password)).staff.email).toBe(other.email);

    server = await server.restart();
    const afterRestart = await attempt(server.url, locked.email, locked.password);
    expect(afterRestart.status).toBe(429);
  });

  it('throttles an unknown address exactly like a known one (no way to tell which exist)', async () => {
    const answers: number[] = [];
    for (let i = 1; i <= 6; i++) answers.push((await attempt(server.url, 'ghost@example.test', `guess number ${i} here`)).status);
    expect(answers).toEqual([401, 401, 401, 401, 401, 429]);
  });
});
