/**
 * The script studio: drafts, lint, immutable published versions, diff, rollback, export/import
 * and the simulator, over the store's script library. Publishing lints first and refuses on
 * errors, writes the version and its access-log entry in one transaction, then makes it the
 * version new sessions start on (running sessions keep the hash they pinned).
 */
import type { Logger } from '../log.ts';
import { parseScript } from '../dialogue/index.ts';
import type { LoadedScript } from '../dialogue/index.ts';
import type { ScriptCatalog } from '../session/index.ts';
import type { ScriptDraft, ScriptPublication, Store } from '../store/index.ts';
import { diffLines, unifiedDiff } from './diff.ts';
import type { DiffLine } from './diff.ts';
import { lintScript } from './lint/index.ts';
import type { LintEnvironment, LintIssue } from './lint/index.ts';
import { simulate } from './simulate.ts';
import type { SimulationResult, ZSimulationRequest } from './simulate.ts';
import type { z } from 'zod';

/** The store as the studio uses it (the access log and transactions come with staff accounts). */
export type StudioStore = Pick<Store, 'scripts' | 'scriptLibrary'> & {
  transaction<T>(fn: () => T): T;
  accessLog: { append(entry: { staffId: string; action: string; sessionId: string | null; detail?: Record<string, unknown> }): unknown };
};

export interface StudioStaff {
  id: string;
  email: string;
  /** Only an admin may grant a script the `compliance.identity: before-session` exemption. */
  role?: string;
}

export interface LintReport {
  publishable: boolean;
  errors: number;
  warnings: number;
  issues: LintIssue[];
}

export interface ScriptSummary {
  scriptId: string;
  title: Record<string, string> | null;
  current: ScriptPublication | null;
  draft: Omit<ScriptDraft, 'source'> | null;
}

export type StudioErrorCode = 'not_found' | 'lint_failed' | 'script_id_mismatch' | 'invalid_script' | 'admin_required';

export class StudioError extends Error {
  override name = 'StudioError';
  constructor(
    readonly code: StudioErrorCode,
    message: string,
    readonly lint?: LintReport,
  ) {
    super(message);
  }
}

export interface ScriptStudioOptions {
  store: StudioStore;
  catalog: ScriptCatalog;
  lintEnvironment: LintEnvironment;
  logger: Logger;
  clock?: () => Date;
}

function report(issues: LintIssue[]): LintReport {
  const errors = issues.filter((issue) => issue.severity === 'error').length;
  return { publishable: errors === 0, errors, warnings: issues.length - errors, issues };
}

export class ScriptStudio {
  private readonly now: () => string;

  constructor(private readonly o: ScriptStudioOptions) {
    const clock = o.clock ?? (() => new Date());
    this.now = () => clock().toISOString();
  }

  lint(source: string, scriptId?: string): { report: LintReport; loaded: LoadedScript | null } {
    const result = lintScript(source, `${scriptId ?? 'draft'}.yaml`, this.o.lintEnvironment);
    return { report: report(result.issues), loaded: result.loaded };
  }

  /**
   * At startup: each script file whose id has no published version yet is published as version 1
   * (the operator's defaults). Returns, per script id, the version new sessions start on: the
   * latest published one.
   */
  importDefaults(files: LoadedScript[]): LoadedScript[] {
    const { scriptLibrary } = this.o.store;
    for (const file of files) {
      const current = scriptLibrary.current(file.script.id);
      if (current === null) {
        const { report: lint } = this.lint(file.source, file.script.id);
        if (!lint.publishable) {
          const rules = [...new Set(lint.issues.filter((issue) => issue.severity === 'error').map((issue) => issue.rule))];
          this.o.logger.warn({ file: file.file, scriptId: file.script.id, rules }, 'script file imported with compliance lint errors (the studio would refuse to publish it)');
        }
        scriptLibrary.publish({ scriptId: file.script.id, source: file.source, by: null, at: this.now(), note: `imported from ${file.file}` });
      } else if (current.hash !== file.hash) {
        this.o.logger.info({ file: file.file, scriptId: file.script.id, version: current.version }, 'script file differs from the published version, which stays current (import it in the studio to use it)');
      }
    }
    return scriptLibrary.currentAll().map((publication) => this.loadVersion(publication));
  }

  private loadVersion(publication: ScriptPublication): LoadedScript {
    const stored = this.o.store.scripts.get(publication.hash);
    if (stored === null) throw new Error(`script ${publication.scriptId} version ${publication.version}: source ${publication.hash} is not stored`);
    return parseScript(stored.source, `${publication.scriptId}@v${publication.version}`);
  }

  list(): ScriptSummary[] {
    const { scriptLibrary } = this.o.store;
    const byId = new Map<string, ScriptSummary>();
    for (const current of scriptLibrary.currentAll()) {
      const loaded = this.o.catalog.latest(current.scriptId);
      byId.set(current.scriptId, { scriptId: current.scriptId, title: (loaded?.script.title as Record<string, string>) ?? null, current, draft: null });
    }
    for (const { source: _source, ...draft } of scriptLibrary.drafts()) {
      const entry = byId.get(draft.scriptId) ?? { scriptId: draft.scriptId, title: null, current: null, draft: null };
      entry.draft = draft;
      byId.set(draft.scriptId, entry);
    }
    return [...byId.values()].sort((a, b) => a.scriptId.localeCompare(b.scriptId));
  }

  versions(scriptId: string): ScriptPublication[] {
    const versions = this.o.store.scriptLibrary.versions(scriptId);
    if (versions.length === 0 && this.o.store.scriptLibrary.draft(scriptId) === null) throw new StudioError('not_found', `no script '${scriptId}'`);
    return versions;
  }

  /** The source of a published version, or of the draft. */
  source(scriptId: string, version: number | 'draft'): { source: string; publication: ScriptPublication | null; draft: ScriptDraft | null } {
    const { scriptLibrary, scripts } = this.o.store;
    if (version === 'draft') {
      const draft = scriptLibrary.draft(scriptId);
      if (draft === null) throw new StudioError('not_found', `script '${scriptId}' has no draft`);
      return { source: draft.source, publication: null, draft };
    }
    const publication = scriptLibrary.version(scriptId, version);
    const stored = publication === null ? null : scripts.get(publication.hash);
    if (publication === null || stored === null) throw new StudioError('not_found', `script '${scriptId}' has no version ${version}`);
    return { source: stored.source, publication, draft: null };
  }

  /** Saves the draft (even with errors: it is work in progress) and returns its lint. */
  saveDraft(scriptId: string, source: string, staff: StudioStaff): { draft: ScriptDraft; lint: LintReport } {
    const { report: lint, loaded } = this.lint(source, scriptId);
    if (loaded !== null && loaded.script.id !== scriptId) {
      throw new StudioError('script_id_mismatch', `the YAML says id: ${loaded.script.id}, but this is script '${scriptId}': keep the id (a new id is a new script)`);
    }
    const draft: ScriptDraft = { scriptId, source, savedBy: staff.id, savedByEmail: staff.email, savedAt: this.now() };
    this.o.store.scriptLibrary.saveDraft(draft);
    return { draft, lint };
  }

  /** Publishes `source` (default: the draft) as the next version, if the lint has no errors. */
  publish(scriptId: string, staff: StudioStaff, options: { source?: string; note?: string | null; action?: string; detail?: Record<string, unknown> } = {}): ScriptPublication {
    const { store } = this.o;
    const source = options.source ?? store.scriptLibrary.draft(scriptId)?.source;
    if (source === undefined) throw new StudioError('not_found', `script '${scriptId}' has no draft to publish`);
    const { report: lint, loaded } = this.lint(source, scriptId);
    if (loaded === null || !lint.publishable) throw new StudioError('lint_failed', `script '${scriptId}' has ${lint.errors} lint error(s): fix them before publishing`, lint);
    if (loaded.script.id !== scriptId) throw new StudioError('script_id_mismatch', `the YAML says id: ${loaded.script.id}, but this is script '${scriptId}'`);
    const current = store.scriptLibrary.current(scriptId);
    this.checkExemption(loaded, current, staff);
    const publication = store.transaction(() => {
      const published = store.scriptLibrary.publish({ scriptId, source, by: staff, at: this.now(), note: options.note ?? null });
      store.accessLog.append({
        staffId: staff.id,
        action: options.action ?? 'script.publish',
        sessionId: null,
        detail: { scriptId, version: published.version, hash: published.hash, previous: current?.version ?? null, ...options.detail },
      });
      if (options.source === undefined) store.scriptLibrary.deleteDraft(scriptId);
      return published;
    });
    this.o.catalog.setCurrent(loaded);
    return publication;
  }

  /**
   * `compliance.identity: before-session` turns the identity lint rules into warnings (the lender
   * identified the applicant before the session). Granting that exemption to a script that does
   * not have it is a compliance decision: an admin's, not any script editor's.
   */
  private checkExemption(loaded: LoadedScript, current: ScriptPublication | null, staff: StudioStaff): void {
    if (loaded.script.compliance?.identity !== 'before-session' || staff.role === 'admin') return;
    const previous = current ? this.o.store.scripts.get(current.hash) : null;
    if (!previous || parseScript(previous.source, `published:${loaded.script.id}`).script.compliance?.identity !== 'before-session') {
      throw new StudioError(
        'admin_required',
        `script '${loaded.script.id}' declares compliance.identity: before-session, which skips the identity document and liveness checks in the session; only an admin may publish that exemption`,
      );
    }
  }

  /** Publishes an older version again as the newest one. */
  rollback(scriptId: string, version: number, staff: StudioStaff): ScriptPublication {
    const { source } = this.source(scriptId, version);
    return this.publish(scriptId, staff, { source, note: `rollback to version ${version}`, action: 'script.rollback', detail: { rollbackTo: version } });
  }

  diff(scriptId: string, from: number | 'draft', to: number | 'draft'): { from: number | 'draft'; to: number | 'draft'; added: number; removed: number; lines: DiffLine[]; unified: string } {
    const before = this.source(scriptId, from).source;
    const after = this.source(scriptId, to).source;
    const diff = diffLines(before, after);
    const name = (side: number | 'draft') => `${scriptId}${side === 'draft' ? ' (draft)' : ` v${side}`}`;
    return { from, to, added: diff.added, removed: diff.removed, lines: diff.lines, unified: unifiedDiff(diff, name(from), name(to)) };
  }

  /** Imports a YAML file as the draft of the script it names (published only by publishing). */
  importYaml(source: string, staff: StudioStaff): { scriptId: string; draft: ScriptDraft; lint: LintReport } {
    const { report: lint, loaded } = this.lint(source);
    if (loaded === null) throw new StudioError('invalid_script', 'the file is not a valid script: fix the problems listed and import it again', lint);
    const saved = this.saveDraft(loaded.script.id, source, staff);
    return { scriptId: loaded.script.id, ...saved };
  }

  simulate(source: string, request: z.infer<typeof ZSimulationRequest>): SimulationResult {
    return simulate(source, request);
  }
}
