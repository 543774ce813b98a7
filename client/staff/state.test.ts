import { afterEach, describe, expect, it, vi } from 'vitest';
import { getStaffState, refreshStaff, signIn, staffFetch } from './state.ts';

afterEach(() => {
  vi.unstubAllGlobals();
});

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

const STAFF = { id: 'stf_1', email: 'r@example.test', role: 'reviewer' };

describe('staffFetch', () => {
  it('sends the CSRF token and the cookie, and a 401 signs the tab out', async () => {
    const calls: { url: string; init: RequestInit }[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init: RequestInit) => {
        calls.push({ url, init });
        if (url === '/api/staff/login') return json(200, { staff: STAFF, csrfToken: 'csrf-1' });
        return calls.length === 2 ? json(200, { ok: true }) : json(401, { error: { code: 'login_required' } });
      }),
    );
    await signIn('r@example.test', 'pw');
    expect(getStaffState().staff).toEqual(STAFF);
    const ok = await staffFetch('/api/review/sessions/x/decisions', { method: 'POST', body: JSON.stringify({ decision: 'approve' }) });
    expect(ok.status).toBe(200);
    const headers = new Headers(calls[1]!.init.headers);
    expect(headers.get('x-csrf-token')).toBe('csrf-1');
    expect(headers.get('content-type')).toBe('application/json');
    expect(calls[1]!.init.credentials).toBe('same-origin');
    const gone = await staffFetch('/api/review/sessions');
    expect(gone.status).toBe(401);
    expect(getStaffState().staff).toBeNull();
  });

  it('after csrf_failed (a sign-in in another tab), re-reads the token and retries once', async () => {
    const tokens: (string | null)[] = [];
    let me = 0;
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init: RequestInit = {}) => {
        if (url === '/api/staff/me') return json(200, { staff: STAFF, csrfToken: me++ === 0 ? 'old' : 'new' });
        const token = new Headers(init.headers).get('x-csrf-token');
        tokens.push(token);
        return token === 'new' ? json(201, { ok: true }) : json(403, { error: { code: 'csrf_failed' } });
      }),
    );
    await refreshStaff();
    expect(getStaffState().csrfToken).toBe('old');
    const response = await staffFetch('/api/admin/staff', { method: 'POST', body: '{}' });
    expect(response.status).toBe(201);
    expect(tokens).toEqual(['old', 'new']);
  });

  it('does not retry when the token did not change', async () => {
    let posts = 0;
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string) => {
        if (url === '/api/staff/me') return json(200, { staff: STAFF, csrfToken: 'same' });
        posts++;
        return json(403, { error: { code: 'csrf_failed' } });
      }),
    );
    await refreshStaff();
    expect((await staffFetch('/api/admin/staff', { method: 'POST', body: '{}' })).status).toBe(403);
    expect(posts).toBe(1);
  });
});
