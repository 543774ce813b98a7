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

function attempt(url: string, email: string, password: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${url}/api/staff/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
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

  it('locks a client IP after 20 failures across addresses; behind a trusted proxy each forwarded client counts apart', async () => {
    const proxied = await startTestServer({ ATTEST_TRUST_PROXY: '127.0.0.1' });
    try {
      const from = (ip: string) => ({ 'x-forwarded-for': ip });
      for (let i = 1; i <= 20; i++) {
        expect((await attempt(proxied.url, `spray${i}@example.test`, 'password spraying', from('10.0.0.1'))).status, `failure ${i}`).toBe(401);
      }
      expect((await attempt(proxied.url, 'fresh@example.test', 'password spraying', from('10.0.0.1'))).status).toBe(429);
      expect((await attempt(proxied.url, 'fresh@example.test', 'password spraying', from('10.0.0.2'))).status).toBe(401);
    } finally {
      await proxied.stop();
    }
  });

  it('without ATTEST_TRUST_PROXY a forged X-Forwarded-For does not escape the IP limit', async () => {
    const direct = await startTestServer();
    try {
      for (let i = 1; i <= 20; i++) {
        const res = await attempt(direct.url, `forged${i}@example.test`, 'password spraying', { 'x-forwarded-for': `10.1.0.${i}` });
        expect(res.status, `failure ${i}`).toBe(401);
      }
      expect((await attempt(direct.url, 'fresh@example.test', 'password spraying', { 'x-forwarded-for': '10.1.1.1' })).status).toBe(429);
    } finally {
      await direct.stop();
    }
  });
});
