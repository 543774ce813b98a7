/** The review console's HTTP calls (through staffFetch: cookie + CSRF header). */
import { errorFromResponse } from '../http.ts';
import { staffFetch } from '../staff/index.ts';
import type { DecisionRecord, QueuePage, SessionDetail } from '../../server/review/types.ts';

export type { DecisionRecord, QueuePage, SessionDetail };

export interface Filters {
  statuses: string[];
  decisions: string[];
  flags: string[];
  scripts: string[];
  products: string[];
}

export interface Verification {
  recordId: string | null;
  ok: boolean | null;
  checks: { name: string; ok: boolean; detail: string }[];
  notChecked: string[];
}

export interface AccessLogPage {
  entries: { id: number; at: string; staffId: string; staffEmail: string | null; action: string; sessionId: string | null; detail: Record<string, unknown> }[];
  nextBefore: number | null;
}

async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const response = await staffFetch(path, { signal });
  if (!response.ok) throw await errorFromResponse(response);
  return (await response.json()) as T;
}

const base = (sessionId: string) => `/api/review/sessions/${encodeURIComponent(sessionId)}`;

export const fetchFilters = (signal?: AbortSignal) => getJson<Filters>('/api/review/filters', signal);
export const fetchQueue = (query: URLSearchParams, signal?: AbortSignal) => getJson<QueuePage>(`/api/review/sessions?${query.toString()}`, signal);
export const fetchDetail = (sessionId: string, signal?: AbortSignal) => getJson<SessionDetail>(base(sessionId), signal);
export const fetchVerification = (sessionId: string, signal?: AbortSignal) => getJson<Verification>(`${base(sessionId)}/verification`, signal);
export const fetchAccessLog = (query: URLSearchParams, signal?: AbortSignal) => getJson<AccessLogPage>(`/api/admin/access-log?${query.toString()}`, signal);

export const artifactUrl = (sessionId: string, artifactId: string) => `${base(sessionId)}/artifacts/${encodeURIComponent(artifactId)}`;
export const chaptersUrl = (sessionId: string) => `${base(sessionId)}/chapters.vtt`;
export const bundleUrl = (sessionId: string) => `${base(sessionId)}/bundle.zip`;

export async function postDecision(sessionId: string, decision: string, note: string): Promise<{ decision: DecisionRecord; decisions: DecisionRecord[] }> {
  const response = await staffFetch(`${base(sessionId)}/decisions`, { method: 'POST', body: JSON.stringify({ decision, note }) });
  if (!response.ok) throw await errorFromResponse(response);
  return (await response.json()) as { decision: DecisionRecord; decisions: DecisionRecord[] };
}
