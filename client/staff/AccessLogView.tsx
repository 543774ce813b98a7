/** Admin: the access log, newest first, filtered by staff member or session, paged backwards. */
import { useCallback, useEffect, useState } from 'react';
import { readAccessLog, type AccessLogEntry, type StaffAccount } from './adminApi.ts';
import { useStaffLocale } from './locale.ts';

const PAGE = 50;

export function AccessLogView({ accounts, refreshKey }: { accounts: StaffAccount[]; refreshKey: number }) {
  const { t } = useStaffLocale();
  const [staffId, setStaffId] = useState('');
  const [sessionId, setSessionId] = useState('');
  const [applied, setApplied] = useState<{ staffId: string; sessionId: string }>({ staffId: '', sessionId: '' });
  const [entries, setEntries] = useState<AccessLogEntry[] | null>(null);
  const [nextBefore, setNextBefore] = useState<number | null>(null);
  const [error, setError] = useState(false);

  const load = useCallback(
    async (before?: number) => {
      setError(false);
      try {
        const page = await readAccessLog({ ...applied, limit: PAGE, ...(before !== undefined ? { before } : {}) });
        setEntries((current) => (before !== undefined && current ? [...current, ...page.entries] : page.entries));
        setNextBefore(page.nextBefore);
      } catch {
        setError(true);
      }
    },
    [applied],
  );

  useEffect(() => {
    void load();
  }, [load, refreshKey]);

  return (
    <section className="card staff-admin__section" aria-labelledby="access-log-title">
      <h2 id="access-log-title">{t('staff.log.title')}</h2>
      <form
        className="staff-admin__filters"
        onSubmit={(event) => {
          event.preventDefault();
          setApplied({ staffId, sessionId });
        }}
      >
        <label className="staff-field">
          <span>{t('staff.log.who')}</span>
          <select value={staffId} onChange={(e) => setStaffId(e.target.value)} data-testid="access-log-staff">
            <option value="">{t('staff.log.everyone')}</option>
            {accounts.map((account) => (
              <option key={account.id} value={account.id}>
                {account.email}
              </option>
            ))}
          </select>
        </label>
        <label className="staff-field">
          <span>{t('staff.log.session')}</span>
          <input className="text-input" value={sessionId} onChange={(e) => setSessionId(e.target.value)} data-testid="access-log-session" />
        </label>
        <button className="button" type="submit">
          {t('staff.log.filter')}
        </button>
      </form>
      {error && (
        <p className="form-error" role="alert">
          {t('staff.admin.loadFailed')}
        </p>
      )}
      {entries === null ? (
        <p className="loading">{t('staff.loading')}</p>
      ) : entries.length === 0 ? (
        <p>{t('staff.log.empty')}</p>
      ) : (
        <table className="staff-table" data-testid="access-log">
          <thead>
            <tr>
              <th scope="col">{t('staff.log.when')}</th>
              <th scope="col">{t('staff.log.who')}</th>
              <th scope="col">{t('staff.log.action')}</th>
              <th scope="col">{t('staff.log.session')}</th>
              <th scope="col">{t('staff.log.detail')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <tr key={entry.id} data-testid="access-log-entry" data-action={entry.action}>
                <td>
                  <time dateTime={entry.at}>{new Date(entry.at).toLocaleString()}</time>
                </td>
                <td>{entry.staffEmail ?? entry.staffId}</td>
                <td>
                  <code>{entry.action}</code>
                </td>
                <td>{entry.sessionId ? <code>{entry.sessionId}</code> : '—'}</td>
                <td>
                  <code className="staff-table__detail">{Object.keys(entry.detail).length ? JSON.stringify(entry.detail) : ''}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {nextBefore !== null && (
        <button className="button" type="button" onClick={() => void load(nextBefore)} data-testid="access-log-more">
          {t('staff.log.older')}
        </button>
      )}
    </section>
  );
}
