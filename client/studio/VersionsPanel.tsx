/** Published versions with author and time; export, and rollback (publishes an older version again). */
import { useEffect, useState } from 'react';
import { useStaffLocale } from '../staff/index.ts';
import { studioApi, type Publication } from './api.ts';

export function VersionsPanel({ scriptId, revision, onRolledBack }: { scriptId: string; revision: number; onRolledBack(version: number): Promise<void> }) {
  const { t } = useStaffLocale();
  const [versions, setVersions] = useState<Publication[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    studioApi
      .versions(scriptId)
      .then((list) => !cancelled && setVersions(list))
      .catch((error: unknown) => !cancelled && setProblem(error instanceof Error ? error.message : String(error)));
    return () => {
      cancelled = true;
    };
  }, [scriptId, revision]);

  const rollback = async (version: number) => {
    if (!window.confirm(t('studio.versions.confirmRollback', { version }))) return;
    try {
      const { publication } = await studioApi.rollback(scriptId, version);
      setVersions((list) => [publication, ...(list ?? [])]);
      await onRolledBack(version);
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    }
  };

  return (
    <div className="studio__versions" data-testid="studio-versions">
      {problem && <p role="alert">{problem}</p>}
      {versions === null ? (
        <p role="status">{t('studio.loading')}</p>
      ) : versions.length === 0 ? (
        <p>{t('studio.versions.none')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>{t('studio.versions.version')}</th>
              <th>{t('studio.versions.by')}</th>
              <th>{t('studio.versions.when')}</th>
              <th>{t('studio.versions.note')}</th>
              <th>{t('studio.versions.hash')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {versions.map((version, index) => (
              <tr key={version.version} data-testid={`studio-version-${version.version}`}>
                <td>v{version.version}</td>
                <td>{version.publishedByEmail ?? t('studio.versions.imported')}</td>
                <td>{new Date(version.publishedAt).toLocaleString()}</td>
                <td>{version.note ?? ''}</td>
                <td>
                  <code>{version.hash.slice(0, 12)}</code>
                </td>
                <td className="studio__version-actions">
                  <a href={studioApi.exportUrl(scriptId, version.version)} download>
                    {t('studio.versions.export')}
                  </a>
                  {index > 0 && (
                    <button type="button" className="button button--secondary" onClick={() => void rollback(version.version)}>
                      {t('studio.versions.rollback')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
