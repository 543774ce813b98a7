import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, createSession, errorFromResponse, fetchSession } from './http.ts';

afterEach(() => {
  vi.unstubAllGlobals();
});

function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

describe('errorFromResponse', () => {
  it('reads the server error shape', async () => {
    const error = await errorFromResponse(jsonResponse(400, { error: { code: 'bad_request', message: 'Nope' } }));
    expect(error).toBeInstanceOf(ApiError);
    expect([error.status, error.code, error.message]).toEqual([400, 'bad_request', 'Nope']);
  });

  it('falls back to the status when the body is not JSON', async () => {
    const error = await errorFromResponse(new Response('<html>', { status: 502 }));
    expect(error.code).toBe('http_502');
  });
});

describe('fetchSession', () => {
  it('treats 404 as not found', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => jsonResponse(404, { error: { code: 'session_not_found', message: '' } })));
    expect(await fetchSession('tok')).toEqual({ kind: 'not-found' });
  });

  it('returns the view and encodes the token', async () => {
    const fetchMock = vi.fn(async (_url: string) => jsonResponse(200, { status: 'created' }));
    vi.stubGlobal('fetch', fetchMock);
    expect(await fetchSession('a/b')).toEqual({ kind: 'found', view: { status: 'created' } });
    expect(fetchMock.mock.calls[0]?.[0]).toBe('/api/sessions/a%2Fb');
  });

  it('throws other failures', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => jsonResponse(500, { error: { code: 'internal', message: 'x' } })));
    await expect(fetchSession('tok')).rejects.toMatchObject({ code: 'internal', status: 500 });
  });
});

describe('createSession', () => {
  it('posts the locale', async () => {
    const fetchMock = vi.fn(async (_url: string, _init: RequestInit) =>
      jsonResponse(201, { sessionId: 's', reference: 'R', token: 't', link: 'http://h/s/t', expiresAt: 'x' }),
    );
    vi.stubGlobal('fetch', fetchMock);
    const created = await createSession('zh-CN');
    expect(created.link).toBe('http://h/s/t');
    const [url, init] = fetchMock.mock.calls[0] ?? [];
    expect(url).toBe('/api/sessions');
    expect(init?.method).toBe('POST');
    expect(JSON.parse(String(init?.body))).toEqual({ locale: 'zh-CN' });
  });
});
