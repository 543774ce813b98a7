/** The admin endpoints (staff accounts, access log) through staffFetch. */
import { errorFromResponse } from '../http.ts';
import { staffFetch, type StaffRole } from './state.ts';

export interface StaffAccount {
  id: string;
  email: string;
  role: StaffRole;
  createdAt: string;
  updatedAt: string;
  disabled: boolean;
}

export interface AccessLogEntry {
  id: number;
  at: string;
  staffId: string;
  staffEmail: string | null;
  action: string;
  sessionId: string | null;
  detail: Record<string, unknown>;
}

async function json<T>(response: Response): Promise<T> {
  if (!response.ok) throw await errorFromResponse(response);
  return (await response.json()) as T;
}

export async function listStaff(): Promise<StaffAccount[]> {
  return (await json<{ staff: StaffAccount[] }>(await staffFetch('/api/admin/staff'))).staff;
}

export async function createStaffAccount(input: { email: string; role: StaffRole; password: string }): Promise<StaffAccount> {
  return (await json<{ staff: StaffAccount }>(await staffFetch('/api/admin/staff', { method: 'POST', body: JSON.stringify(input) }))).staff;
}

export async function updateStaffAccount(id: string, patch: { role?: StaffRole; disabled?: boolean; password?: string }): Promise<StaffAccount> {
  const response = await staffFetch(`/api/admin/staff/${encodeURIComponent(id)}`, { method: 'PATCH', body: JSON.stringify(patch) });
  return (await json<{ staff: StaffAccount }>(response)).staff;
}

export interface AccessLogFilter {
  staffId?: string;
  sessionId?: string;
  before?: number;
  limit?: number;
}

/** The query string for a filter (pure; unit-tested). */
export function accessLogQuery(filter: AccessLogFilter): string {
  const params = new URLSearchParams();
  params.set('limit', String(filter.limit ?? 50));
  if (filter.before !== undefined) params.set('before', String(filter.before));
  if (filter.staffId) params.set('staffId', filter.staffId);
  const sessionId = filter.sessionId?.trim();
  if (sessionId) params.set('sessionId', sessionId);
  return params.toString();
}

export async function readAccessLog(filter: AccessLogFilter): Promise<{ entries: AccessLogEntry[]; nextBefore: number | null }> {
  return json(await staffFetch(`/api/admin/access-log?${accessLogQuery(filter)}`));
}
