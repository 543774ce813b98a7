/**
 * The signed-in staff member, shared by every staff page: a tiny external store (no React) that
 * `useStaff` subscribes to. `staffFetch` adds the CSRF header and cookie and notices a 401 (the
 * login ended elsewhere), which signs this tab out.
 */
import { errorFromResponse, type ApiError } from '../http.ts';
import type { StaffIdentity, StaffRole } from '../../server/staff/roles.ts';

export type { StaffIdentity, StaffRole };

export interface StaffState {
  /** True until the first GET /api/staff/me answered. */
  loading: boolean;
  staff: StaffIdentity | null;
  csrfToken: string | null;
  /** The last check failed for another reason than "not signed in" (network, server). */
  error: ApiError | Error | null;
}

let state: StaffState = { loading: true, staff: null, csrfToken: null, error: null };
const listeners = new Set<() => void>();
let checking: Promise<void> | null = null;

export function getStaffState(): StaffState {
  return state;
}

export function subscribeStaff(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function setState(next: Partial<StaffState>): void {
  state = { ...state, ...next };
  for (const listener of listeners) listener();
}

/** Asks the server who is signed in (once at a time). */
export function refreshStaff(): Promise<void> {
  checking ??= (async () => {
    try {
      const response = await fetch('/api/staff/me', { credentials: 'same-origin', headers: { accept: 'application/json' } });
      if (response.status === 401) setState({ loading: false, staff: null, csrfToken: null, error: null });
      else if (!response.ok) setState({ loading: false, error: await errorFromResponse(response) });
      else {
        const body = (await response.json()) as { staff: StaffIdentity; csrfToken: string };
        setState({ loading: false, staff: body.staff, csrfToken: body.csrfToken, error: null });
      }
    } catch (error) {
      setState({ loading: false, error: error as Error });
    } finally {
      checking = null;
    }
  })();
  return checking;
}

/** POST /api/staff/login; throws an ApiError (invalid_credentials, too_many_attempts, ...). */
export async function signIn(email: string, password: string): Promise<StaffIdentity> {
  const response = await fetch('/api/staff/login', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (!response.ok) {
    const error = await errorFromResponse(response);
    const retryAfter = Number(response.headers.get('retry-after'));
    throw Object.assign(error, Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterSeconds: retryAfter } : {});
  }
  const body = (await response.json()) as { staff: StaffIdentity; csrfToken: string };
  setState({ loading: false, staff: body.staff, csrfToken: body.csrfToken, error: null });
  return body.staff;
}

export async function signOut(): Promise<void> {
  try {
    await staffFetch('/api/staff/logout', { method: 'POST' });
  } finally {
    setState({ loading: false, staff: null, csrfToken: null, error: null });
  }
}

/**
 * fetch for staff endpoints: same-origin cookie, `x-csrf-token` on every request, JSON accept.
 * A 401 signs this tab out (the gate shows the login form). A 403 `csrf_failed` after a sign-in
 * in another tab (which replaced the cookie) re-reads the token and retries once. The response
 * is returned as is otherwise.
 */
export async function staffFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const send = () => {
    const headers = new Headers(init.headers);
    if (state.csrfToken && !new Headers(init.headers).has('x-csrf-token')) headers.set('x-csrf-token', state.csrfToken);
    if (!headers.has('accept')) headers.set('accept', 'application/json');
    if (typeof init.body === 'string' && !headers.has('content-type')) headers.set('content-type', 'application/json');
    return fetch(path, { ...init, headers, credentials: 'same-origin' });
  };
  const tokenUsed = state.csrfToken;
  let response = await send();
  if (response.status === 403 && (await errorCodeOf(response)) === 'csrf_failed') {
    await refreshStaff();
    if (state.staff && state.csrfToken && state.csrfToken !== tokenUsed) response = await send();
  }
  if (response.status === 401 && state.staff) setState({ staff: null, csrfToken: null });
  return response;
}

async function errorCodeOf(response: Response): Promise<string | null> {
  try {
    const body = (await response.clone().json()) as { error?: { code?: unknown } };
    return typeof body.error?.code === 'string' ? body.error.code : null;
  } catch {
    return null;
  }
}

/** Admins may do everything; an empty list allows any staff role. */
export function roleAllowed(role: StaffRole, roles: readonly StaffRole[]): boolean {
  return role === 'admin' || roles.length === 0 || roles.includes(role);
}
