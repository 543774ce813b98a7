/** The studio's calls to /api/studio/* (types mirror server/studio; staffFetch adds cookie + CSRF). */
import { staffFetch } from '../staff/index.ts';
import type { InputSpec, Locale } from '../../server/http/protocol.ts';

export interface LintIssue {
  rule: string;
  severity: 'error' | 'warning';
  line: number;
  column: number;
  path: string;
  message: string;
}

export interface LintReport {
  publishable: boolean;
  errors: number;
  warnings: number;
  issues: LintIssue[];
}

export interface Publication {
  scriptId: string;
  version: number;
  hash: string;
  publishedBy: string | null;
  publishedByEmail: string | null;
  publishedAt: string;
  note: string | null;
}

export interface DraftInfo {
  scriptId: string;
  savedBy: string | null;
  savedByEmail: string | null;
  savedAt: string;
}

export interface ScriptSummary {
  scriptId: string;
  title: Partial<Record<Locale, string>> | null;
  current: Publication | null;
  draft: DraftInfo | null;
}

export type VersionRef = number | 'draft';

export interface DiffLine {
  op: 'same' | 'del' | 'add';
  text: string;
  oldLine?: number;
  newLine?: number;
}

export interface SimulationAction {
  type: 'answer' | 'verifier' | 'timeout';
  text?: string;
  choice?: string;
  fields?: Record<string, string>;
  outcome?: 'pass' | 'fail' | 'timeout';
}

export interface SimulationResult {
  locale: Locale;
  transcript: { kind: string; stepId: string; text: string }[];
  path: string[];
  status: 'pending' | 'active' | 'completed' | 'declined' | 'review';
  endReason: string | null;
  awaiting: { stepId: string; input: InputSpec } | null;
  pendingVerifier: { stepId: string; verifier: string } | null;
  timerArmed: boolean;
}

export class StudioRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly lint: LintReport | null,
  ) {
    super(message);
  }
}

async function call<T>(path: string, init: RequestInit = {}): Promise<T> {
  const response = await staffFetch(path, init);
  const body = (await response.json().catch(() => null)) as ({ error?: { message?: string }; lint?: LintReport } & T) | null;
  if (!response.ok) throw new StudioRequestError(body?.error?.message ?? `HTTP ${response.status}`, response.status, body?.lint ?? null);
  return body as T;
}

const json = (method: string, body: unknown): RequestInit => ({ method, body: JSON.stringify(body) });
const enc = encodeURIComponent;

export const studioApi = {
  scripts: () => call<{ scripts: ScriptSummary[] }>('/api/studio/scripts').then((r) => r.scripts),
  versions: (id: string) => call<{ versions: Publication[] }>(`/api/studio/scripts/${enc(id)}/versions`).then((r) => r.versions),
  version: (id: string, version: VersionRef) =>
    call<{ source: string; publication: Publication | null; lint: LintReport }>(`/api/studio/scripts/${enc(id)}/versions/${version}`),
  saveDraft: (id: string, source: string) => call<{ draft: DraftInfo; lint: LintReport }>(`/api/studio/scripts/${enc(id)}/draft`, json('PUT', { source })),
  publish: (id: string) => call<{ publication: Publication }>(`/api/studio/scripts/${enc(id)}/publish`, json('POST', {})),
  rollback: (id: string, version: number) => call<{ publication: Publication }>(`/api/studio/scripts/${enc(id)}/rollback`, json('POST', { version })),
  diff: (id: string, from: VersionRef, to: VersionRef) =>
    call<{ added: number; removed: number; lines: DiffLine[]; unified: string }>(`/api/studio/scripts/${enc(id)}/diff?from=${from}&to=${to}`),
  lint: (source: string) => call<{ lint: LintReport }>('/api/studio/lint', json('POST', { source })).then((r) => r.lint),
  importYaml: (source: string) => call<{ scriptId: string; lint: LintReport }>('/api/studio/import', json('POST', { source })),
  simulate: (source: string, locale: Locale | undefined, actions: SimulationAction[]) =>
    call<SimulationResult>('/api/studio/simulate', json('POST', { source, ...(locale ? { locale } : {}), actions })),
  exportUrl: (id: string, version: VersionRef) => `/api/studio/scripts/${enc(id)}/versions/${version}/export`,
};
