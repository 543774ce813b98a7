/** The applicant's HTTP calls (named http.ts, not api.ts: the dev proxy forwards every path starting with /api). */
import type { CreateSessionResponse, Locale, SessionView } from '../server/http/protocol.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Reads `{ error: { code, message } }` from a failed response, whatever its body holds. */
export async function errorFromResponse(response: Response): Promise<ApiError> {
  let code = `http_${response.status}`;
  let message = response.statusText || 'Request failed';
  try {
    const body: unknown = await response.json();
    const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    if (typeof error?.code === 'string') code = error.code;
    if (typeof error?.message === 'string') message = error.message;
  } catch {
    // Not JSON: keep the status-based code.
  }
  return new ApiError(response.status, code, message);
}

export async function createSession(locale: Locale, signal?: AbortSignal): Promise<CreateSessionResponse> {
  const response = await fetch('/api/sessions', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ locale }),
    signal,
  });
  if (!response.ok) throw await errorFromResponse(response);
  return (await response.json()) as CreateSessionResponse;
}

export type SessionLookup = { kind: 'found'; view: SessionView } | { kind: 'not-found' };

/** 404 (unknown or expired token) is an answer, not an error; anything else failing throws. */
let early: { token: string; lookup: Promise<SessionLookup> } | null = null;

/** Starts the session lookup before React renders: it is the applicant page's first request. */
export function prefetchSession(token: string): void {
  const lookup = fetchSession(token);
  lookup.catch(() => undefined); // taken (and its error handled) by the session page
  early = { token, lookup };
}

/** The prefetched lookup for this token, once; later lookups go to the network. */
export function takePrefetchedSession(token: string): Promise<SessionLookup> | null {
  if (early?.token !== token) return null;
  const { lookup } = early;
  early = null;
  return lookup;
}

export async function fetchSession(token: string, signal?: AbortSignal): Promise<SessionLookup> {
  const response = await fetch(`/api/sessions/${encodeURIComponent(token)}`, {
    headers: { accept: 'application/json' },
    signal,
  });
  if (response.status === 404) return { kind: 'not-found' };
  if (!response.ok) throw await errorFromResponse(response);
  return { kind: 'found', view: (await response.json()) as SessionView };
}
