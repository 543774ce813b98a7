/** Line diff between any two versions (or a version and the saved draft). */
import { useEffect, useState } from 'react';
import { useStaffLocale } from '../staff/index.ts';
import { studioApi, type DiffLine, type Publication, type VersionRef } from './api.ts';

function parseRef(value: string): VersionRef {
  return value === 'draft' ? 'draft' : Number(value);
}

export function DiffPanel({ scriptId, hasDraft }: { scriptId: string; hasDraft: boolean }) {
  const { t } = useStaffLocale();
  const [versions, setVersions] = useState<Publication[]>([]);
  const [from, setFrom] = useState<VersionRef | null>(null);
  const [to, setTo] = useState<VersionRef | null>(null);
  const [diff, setDiff] = useState<{ added: number; removed: number; lines: DiffLine[] } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    studioApi
      .versions(scriptId)
      .then((list) => {
        setVersions(list);
        const newest = list[0]?.version;
        setTo(hasDraft ? 'draft' : (newest ?? null));
        setFrom(hasDraft ? (newest ?? null) : (list[1]?.version ?? newest ?? null));
      })
      .catch((error: unknown) => setProblem(error instanceof Error ? error.message : String(error)));
  }, [scriptId, hasDraft]);

  useEffect(() => {
    if (from === null || to === null) return;
    studioApi
      .diff(scriptId, from, to)
      .then((result) => {
        setDiff(result);
        setProblem(null);
      })
      .catch((error: unknown) => setProblem(error instanceof Error ? error.message : String(error)));
  }, [scriptId, from, to]);

  const options = [...(hasDraft ? [{ value: 'draft', label: t('studio.diff.draft') }] : []), ...versions.map((v) => ({ value: String(v.version), label: `v${v.version}` }))];

  return (
    <div className="studio__diff" data-testid="studio-diff">
      <div className="studio__diff-pick">
        <label>
          {t('studio.diff.from')}{' '}
          <select value={String(from ?? '')} onChange={(event) => setFrom(parseRef(event.target.value))}>
            {options.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('studio.diff.to')}{' '}
          <select value={String(to ?? '')} onChange={(event) => setTo(parseRef(event.target.value))}>
            {options.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </label>
        {diff && <span>{t('studio.diff.summary', { added: diff.added, removed: diff.removed })}</span>}
      </div>
      {problem && <p role="alert">{problem}</p>}
      {diff && (
        <pre className="studio__diff-lines">
          {diff.lines.map((line, index) => (
            <div key={index} className={`studio__diff-line studio__diff-line--${line.op}`}>
              <span className="studio__diff-no">{line.oldLine ?? ''}</span>
              <span className="studio__diff-no">{line.newLine ?? ''}</span>
              <span>{line.op === 'add' ? '+' : line.op === 'del' ? '-' : ' '} {line.text}</span>
            </div>
          ))}
        </pre>
      )}
    </div>
  );
}
