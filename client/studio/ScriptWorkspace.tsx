/** One script: editor with live lint, save and publish; versions, diff and simulator tabs. */
import { useEffect, useState } from 'react';
import { useStaffLocale } from '../staff/index.ts';
import { studioApi, StudioRequestError, type LintReport, type ScriptSummary } from './api.ts';
import { DiffPanel } from './DiffPanel.tsx';
import { LintList } from './LintList.tsx';
import { SimulatorPanel } from './SimulatorPanel.tsx';
import { VersionsPanel } from './VersionsPanel.tsx';
import { YamlEditor } from './YamlEditor.tsx';

type Tab = 'editor' | 'versions' | 'diff' | 'simulator';
const TABS: Tab[] = ['editor', 'versions', 'diff', 'simulator'];
const LINT_DELAY_MS = 400;

export function ScriptWorkspace({ scriptId, summary, onChanged }: { scriptId: string; summary: ScriptSummary | null; onChanged(): Promise<void> }) {
  const { t } = useStaffLocale();
  const [tab, setTab] = useState<Tab>('editor');
  const [text, setText] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [lint, setLint] = useState<{ report: LintReport; for: string } | null>(null);
  const [busy, setBusy] = useState<'saving' | 'publishing' | null>(null);
  const [message, setMessage] = useState<{ kind: 'ok' | 'problem'; text: string } | null>(null);
  const [revision, setRevision] = useState(0);

  // Load the draft if there is one, else the current version.
  useEffect(() => {
    let cancelled = false;
    const ref = summary?.draft ? 'draft' : (summary?.current?.version ?? 'draft');
    studioApi
      .version(scriptId, ref)
      .then((found) => {
        if (cancelled) return;
        setText(found.source);
        setSaved(found.source);
        setLint({ report: found.lint, for: found.source });
      })
      .catch((error: unknown) => !cancelled && setMessage({ kind: 'problem', text: error instanceof Error ? error.message : String(error) }));
    return () => {
      cancelled = true;
    };
    // Reload only when another script is opened or after a publish/rollback.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [scriptId, revision]);

  // Lint as the editor types (debounced); results apply to the text they were made for.
  useEffect(() => {
    if (text === null || lint?.for === text) return undefined;
    const timer = setTimeout(() => {
      studioApi
        .lint(text)
        .then((report) => setLint({ report, for: text }))
        .catch(() => undefined);
    }, LINT_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text, lint]);

  const current = lint !== null && lint.for === text ? lint.report : null;
  const canPublish = text !== null && current !== null && current.publishable && busy === null;

  const save = async (): Promise<boolean> => {
    if (text === null) return false;
    setBusy('saving');
    try {
      const result = await studioApi.saveDraft(scriptId, text);
      setSaved(text);
      setLint({ report: result.lint, for: text });
      setMessage({ kind: 'ok', text: t('studio.editor.saved') });
      await onChanged();
      return true;
    } catch (error) {
      setMessage({ kind: 'problem', text: error instanceof Error ? error.message : String(error) });
      return false;
    } finally {
      setBusy(null);
    }
  };

  const publish = async () => {
    if (!(await save())) return;
    setBusy('publishing');
    try {
      const { publication } = await studioApi.publish(scriptId);
      setMessage({ kind: 'ok', text: t('studio.editor.published', { version: publication.version }) });
      await onChanged();
      setRevision((value) => value + 1);
    } catch (error) {
      if (error instanceof StudioRequestError && error.lint && text !== null) setLint({ report: error.lint, for: text });
      setMessage({ kind: 'problem', text: error instanceof Error ? error.message : String(error) });
    } finally {
      setBusy(null);
    }
  };

  const afterRollback = async (version: number) => {
    setMessage({ kind: 'ok', text: t('studio.versions.rolledBack', { version }) });
    await onChanged();
    setRevision((value) => value + 1);
  };

  return (
    <section className="studio__workspace" aria-labelledby="studio-script-title">
      <header className="studio__workspace-header">
        <h2 id="studio-script-title">{scriptId}</h2>
        {summary?.current && (
          <p className="studio__current" data-testid="studio-current">
            {t('studio.current', {
              version: summary.current.version,
              who: summary.current.publishedByEmail ?? t('studio.versions.imported'),
              when: new Date(summary.current.publishedAt).toLocaleString(),
            })}
          </p>
        )}
      </header>
      <div className="studio__tabs" role="tablist">
        {TABS.map((name) => (
          <button key={name} type="button" role="tab" aria-selected={tab === name} className="studio__tab" data-testid={`studio-tab-${name}`} onClick={() => setTab(name)}>
            {t(`studio.tab.${name}`)}
          </button>
        ))}
      </div>
      {message && (
        <p className={`studio__message studio__message--${message.kind}`} role={message.kind === 'problem' ? 'alert' : 'status'} data-testid="studio-message">
          {message.text}
        </p>
      )}
      {tab === 'editor' && text !== null && (
        <div className="studio__editor-panel">
          <YamlEditor value={text} onChange={setText} issues={lint?.report.issues ?? []} issuesFor={lint?.for ?? ''} label={t('studio.editor.label')} />
          <div className="studio__actions">
            <button type="button" className="button button--secondary" disabled={busy !== null || text === saved} onClick={() => void save()} data-testid="studio-save">
              {busy === 'saving' ? t('studio.editor.saving') : t('studio.editor.save')}
            </button>
            <button type="button" className="button" disabled={!canPublish} onClick={() => void publish()} data-testid="studio-publish">
              {busy === 'publishing' ? t('studio.editor.publishing') : t('studio.editor.publish')}
            </button>
            <span className="studio__lint-summary" data-testid="studio-lint-summary">
              {current === null
                ? t('studio.lint.checking')
                : t('studio.lint.summary', { errors: current.errors, warnings: current.warnings })}
            </span>
          </div>
          {current && <LintList report={current} />}
        </div>
      )}
      {tab === 'versions' && <VersionsPanel scriptId={scriptId} revision={revision} onRolledBack={afterRollback} />}
      {tab === 'diff' && <DiffPanel scriptId={scriptId} hasDraft={summary?.draft != null} />}
      {tab === 'simulator' && text !== null && <SimulatorPanel source={text} />}
    </section>
  );
}
