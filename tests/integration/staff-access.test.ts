/**
 * An applicant token reaches only its own session, and is not a staff credential. Two real
 * sessions on a real server: A run to the end (contract sealed), B just created. Every
 * token-protected route and the socket are tried with the other token, a tampered token and a
 * session id in the token's place.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeSession, connectApplicant, createSession, type Applicant } from '../support/applicant.ts';
import { startTestServer, type TestServer } from '../support/attest.ts';
import { signaturePng } from '../support/contract-evidence.ts';
import { createStaff, loginStaff, staffRequest } from '../support/staff.ts';
import { openSqliteStore } from '../../server/store/index.ts';

let server: TestServer;
let a: { token: string; sessionId: string; reference: string };
let b: { token: string; sessionId: string; reference: string };
const open: Applicant[] = [];

beforeAll(async () => {
  server = await startTestServer();
  a = await createSession(server.url, { locale: 'en' });
  b = await createSession(server.url, { locale: 'en' });
  const applicant = await connectApplicant(server.url, a.token);
  open.push(applicant);
  await applicant.waitForView((v) => v.status === 'created');
  expect(await applicant.emitAck('session:begin', { locale: 'en' })).toEqual({ ok: true });
  expect((await completeSession(applicant)).status).toBe('completed');
});
afterAll(async () => {
  for (const applicant of open.splice(0)) applicant.close();
  await server?.stop();
});

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${server.url}${path}`, { headers });

async function code(response: Response): Promise<string> {
  return ((await response.json()) as { error?: { code?: string } }).error?.code ?? `HTTP ${response.status} without an error code`;
}

/** The token with one character changed: same shape, another (unknown) credential. */
function tampered(token: string): string {
  const last = token.at(-1) === 'A' ? 'B' : 'A';
  return token.slice(0, -1) + last;
}

/** Events stored for a session, read through a second connection to the test's database. */
function sessionEventCount(sessionId: string): number {
  const store = openSqliteStore({ dataDir: server.dataDir });
  try {
    return store.events.list(sessionId).length;
  } finally {
    store.close();
  }
}

describe('applicant tokens reach only their own session', () => {
  it("each token reads its own session's view, and only its own contract downloads", async () => {
    const viewA = (await (await get(`/api/sessions/${a.token}`)).json()) as { reference: string; status: string };
    const viewB = (await (await get(`/api/sessions/${b.token}`)).json()) as { reference: string; status: string };
    expect(viewA).toMatchObject({ reference: a.reference, status: 'completed' });
    expect(viewB).toMatchObject({ reference: b.reference, status: 'created' });

    const pdfA = await get(`/api/sessions/${a.token}/contract.pdf`);
    expect(pdfA.status).toBe(200);
    expect(pdfA.headers.get('content-disposition')).toContain(a.reference);
    for (const file of ['contract.pdf', 'contract-record.json']) {
      const res = await get(`/api/sessions/${b.token}/${file}`);
      expect(res.status, file).toBe(404);
      expect(await code(res), file).toBe('contract_not_sealed');
    }
    const contractB = await get(`/api/sessions/${b.token}/contract`);
    expect(contractB.status).toBe(409);
  });

  it('a tampered token or a session id in its place gets 404 on every applicant route', async () => {
    const png = Buffer.from(await signaturePng());
    for (const credential of [tampered(a.token), tampered(b.token), a.sessionId, b.sessionId, a.reference]) {
      const attempts: [string, Promise<Response>][] = [
        ['view', get(`/api/sessions/${credential}`)],
        ['contract', get(`/api/sessions/${credential}/contract`)],
        ['pdf', get(`/api/sessions/${credential}/contract.pdf`)],
        ['record', get(`/api/sessions/${credential}/contract-record.json`)],
        ['signature', fetch(`${server.url}/api/sessions/${credential}/signature`, { method: 'POST', headers: { 'content-type': 'image/png' }, body: png })],
        ['stills', fetch(`${server.url}/api/sessions/${credential}/stills`, { method: 'POST', headers: { 'content-type': 'image/png' }, body: png })],
      ];
      for (const [what, pending] of attempts) {
        const res = await pending;
        expect(res.status, `${what} with ${credential.slice(0, 8)}…`).toBe(404);
        expect(await code(res), what).toBe('session_not_found');
      }
    }
  });

  it('an upload with one token never lands in the other session', async () => {
    const before = sessionEventCount(a.sessionId);
    const res = await fetch(`${server.url}/api/sessions/${b.token}/signature`, {
      method: 'POST',
      headers: { 'content-type': 'image/png' },
      body: Buffer.from(await signaturePng()),
    });
    expect(res.status).toBe(409);
    expect(await code(res)).toBe('not_expecting_upload');
    expect(sessionEventCount(a.sessionId)).toBe(before);
  });

  it("the socket is bound to the token's session: B's messages change B, never A", async () => {
    const beforeA = sessionEventCount(a.sessionId);
    const applicantB = await connectApplicant(server.url, b.token);
    open.push(applicantB);
    const view = await applicantB.waitForView(() => true);
    expect(view.reference).toBe(b.reference);
    expect(await applicantB.emitAck('session:begin', { locale: 'en' })).toEqual({ ok: true });
    await applicantB.waitForView((v) => v.status === 'active');
    expect(sessionEventCount(a.sessionId)).toBe(beforeA);
    expect(applicantB.views.every((v) => v.reference === b.reference)).toBe(true);

    const refused = await connectApplicant(server.url, tampered(b.token)).then(
      (connected) => {
        open.push(connected);
        return 'connected';
      },
      (error: Error) => error.message,
    );
    expect(refused).toBe('session_not_found');
  });

  it('an applicant token is not a staff credential, and a staff login is not an applicant token', async () => {
    for (const path of ['/api/staff/me', '/api/admin/staff', '/api/admin/access-log']) {
      const tries: Record<string, string>[] = [{ authorization: `Bearer ${a.token}` }, { cookie: `attest_staff=${a.token}` }, { cookie: `attest_session=${a.token}` }];
      for (const headers of tries) {
        const res = await get(path, headers);
        expect(res.status, `${path} ${Object.keys(headers)[0]}`).toBe(401);
        expect(await code(res)).toBe('login_required');
      }
    }
    const admin = await createStaff(server, { email: 'admin@example.test', role: 'admin' });
    const login = await loginStaff(server.url, admin.email, admin.password);
    const res = await staffRequest(server.url, login, 'GET', `/api/sessions/${a.sessionId}`);
    expect(res.status).toBe(404);
  });

  it('every API route is public by design, applicant (token in the path), or refuses without a staff login', async () => {
    const PUBLIC = new Set([
      'GET /api/health',
      'POST /api/sessions', // lender side: ATTEST_API_KEY when set
      'POST /api/staff/login',
      'POST /api/staff/logout',
      'GET /api/records/:recordId/verify', // check names and hashes only
    ]);
    const reviewer = await createStaff(server, { email: 'routes.reviewer@example.test', role: 'reviewer' });
    const editor = await createStaff(server, { email: 'routes.editor@example.test', role: 'script_editor' });
    const reviewerLogin = await loginStaff(server.url, reviewer.email, reviewer.password);
    const editorLogin = await loginStaff(server.url, editor.email, editor.password);
    const checked = { applicant: 0, staff: 0, admin: 0 };
    const routes = server.attest.http.routes.filter((r) => r.url.startsWith('/api/') && r.url !== '/api/*' && r.method !== 'HEAD' && r.method !== 'OPTIONS');
    for (const route of routes) {
      const key = `${route.method} ${route.url}`;
      if (PUBLIC.has(key)) continue;
      const path = route.url.replace(/:(\w+)/g, (_whole, name: string) => (name === 'token' ? tampered(a.token) : 'x'));
      const call = (headers: Record<string, string> = {}) => fetch(`${server.url}${path}`, { method: route.method, headers });
      if (route.url.includes(':token')) {
        const res = await call();
        expect(res.status, key).toBe(404);
        expect(await code(res), key).toBe('session_not_found');
        checked.applicant++;
        continue;
      }
      for (const headers of [{}, { cookie: `attest_staff=${a.token}` }, { authorization: `Bearer ${a.token}` }] as Record<string, string>[]) {
        const res = await call(headers);
        expect(res.status, `${key} ${JSON.stringify(Object.keys(headers))}`).toBe(401);
        expect(await code(res), key).toBe('login_required');
      }
      checked.staff++;
      if (route.url.startsWith('/api/admin/')) {
        for (const login of [reviewerLogin, editorLogin]) {
          const res = await staffRequest(server.url, login, route.method, path);
          expect(res.status, `${key} as ${login.staff.role}`).toBe(403);
          expect(await code(res), key).toBe('forbidden');
        }
        checked.admin++;
      }
    }
    expect(checked.applicant).toBeGreaterThanOrEqual(6);
    expect(checked.staff).toBeGreaterThanOrEqual(5);
    expect(checked.admin).toBeGreaterThanOrEqual(4);
  });
});
