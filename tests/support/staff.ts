/**
 * Staff accounts for integration and browser tests: create one in the test server's database
 * (through the same service the CLI and admin API use: password rules, scrypt, access log) and
 * sign in over real HTTP.
 *
 *   const admin = await createStaff(server, { email: 'admin@example.test', role: 'admin' });
 *   const login = await loginStaff(server.url, admin.email, admin.password);
 *   const res = await staffRequest(server.url, login, 'POST', '/api/admin/staff', { ... });
 */
import type { TestServer } from './attest.ts';
import type { StaffIdentity, StaffRole } from '../../server/staff/index.ts';

export const DEFAULT_STAFF_PASSWORD = 'correct horse battery staple';

export interface CreatedStaff extends StaffIdentity {
  password: string;
}

export async function createStaff(
  server: Pick<TestServer, 'attest'>,
  options: { email: string; role: StaffRole; password?: string },
): Promise<CreatedStaff> {
  const password = options.password ?? DEFAULT_STAFF_PASSWORD;
  const account = await server.attest.staff.create({ email: options.email, role: options.role, password }, null);
  return { id: account.id, email: account.email, role: account.role, password };
}

export interface StaffLogin {
  /** `attest_staff=<value>`, ready for a Cookie header. */
  cookie: string;
  csrfToken: string;
  staff: StaffIdentity;
  /** The raw Set-Cookie header the server sent. */
  setCookie: string;
}

export async function loginStaff(baseUrl: string, email: string, password: string): Promise<StaffLogin> {
  const response = await fetch(`${baseUrl}/api/staff/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (response.status !== 200) throw new Error(`staff login failed: HTTP ${response.status} ${await response.text()}`);
  const setCookie = response.headers.get('set-cookie') ?? '';
  const cookie = setCookie.split(';')[0] ?? '';
  if (!cookie.startsWith('attest_staff=')) throw new Error(`staff login set no cookie: ${setCookie}`);
  const body = (await response.json()) as { staff: StaffIdentity; csrfToken: string };
  return { cookie, csrfToken: body.csrfToken, staff: body.staff, setCookie };
}

/** A request as the signed-in browser makes it: cookie, CSRF header, JSON body. */
export function staffRequest(
  baseUrl: string,
  login: Pick<StaffLogin, 'cookie' | 'csrfToken'> | null,
  method: string,
  path: string,
  body?: unknown,
  extraHeaders: Record<string, string> = {},
): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json', ...extraHeaders };
  if (login) {
    headers.cookie = login.cookie;
    if (method !== 'GET' && method !== 'HEAD' && !('x-csrf-token' in extraHeaders)) headers['x-csrf-token'] = login.csrfToken;
  }
  if (body !== undefined) headers['content-type'] = 'application/json';
  return fetch(`${baseUrl}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
}
