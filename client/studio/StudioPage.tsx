/**
 * /studio: script editors (and admins) edit, lint, simulate and publish conversation scripts.
 * Scripts on the left; the selected script's editor, versions, diff and simulator on the right.
 */
import { useCallback, useEffect, useState } from 'react';
import { StaffGate, useStaffLocale } from '../staff/index.ts';
import { studioApi, type ScriptSummary } from './api.ts';
import { ScriptWorkspace } from './ScriptWorkspace.tsx';
import '../styles/studio.css';

export function StudioPage() {
  return (
    <StaffGate roles={['script_editor', 'admin']}>
      <Studio />
    </StaffGate>
  );
}

function Studio() {
  const { t } = useStaffLocale();
  const [scripts, setScripts] = useState<ScriptSummary[] | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const reload = useCallback(async () => {
    try {
      const list = await studioApi.scripts();
      setScripts(list);
      setSelected((current) => current ?? list[0]?.scriptId ?? null);
      setProblem(null);
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    }
  }, []);

  useEffect(() => {
    void reload();
  }, [reload]);

  const importFile = async (file: File) => {
    try {
      const imported = await studioApi.importYaml(await file.text());
      await reload();
      setSelected(imported.scriptId);
    } catch (error) {
      setProblem(`${t('studio.import.failed')} ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  return (
    <main className="studio" data-testid="studio">
      <nav className="studio__scripts" aria-label={t('studio.scripts.title')}>
        <h1>{t('studio.title')}</h1>
        <h2>{t('studio.scripts.title')}</h2>
        {scripts === null && !problem && <p role="status">{t('studio.loading')}</p>}
        <ul className="studio__script-list">
          {scripts?.map((script) => (
            <li key={script.scriptId}>
              <button
                type="button"
                className={`studio__script${script.scriptId === selected ? ' studio__script--selected' : ''}`}
                aria-current={script.scriptId === selected}
                data-testid={`studio-script-${script.scriptId}`}
                onClick={() => setSelected(script.scriptId)}
              >
                <span className="studio__script-id">{script.scriptId}</span>
                <span className="studio__script-meta">
                  {script.current ? t('studio.scripts.version', { version: script.current.version }) : t('studio.scripts.unpublished')}
                  {script.draft && ` · ${t('studio.scripts.draft')}`}
                </span>
              </button>
            </li>
          ))}
        </ul>
        <label className="studio__import">
          {t('studio.import.label')}
          <input
            type="file"
            accept=".yaml,.yml,application/yaml,text/yaml"
            onChange={(event) => {
              const file = event.target.files?.[0];
              if (file) void importFile(file);
              event.target.value = '';
            }}
          />
        </label>
        {problem && (
          <p className="studio__problem" role="alert">
            {problem}
          </p>
        )}
      </nav>
      {selected && scripts && (
        <ScriptWorkspace
          key={selected}
          summary={scripts.find((script) => script.scriptId === selected) ?? null}
          scriptId={selected}
          onChanged={reload}
        />
      )}
    </main>
  );
}

export default StudioPage;
