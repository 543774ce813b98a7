/** Admin: the staff accounts, a form to add one, role changes and disabling. */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { ApiError } from '../http.ts';
import { createStaffAccount, listStaff, updateStaffAccount, type StaffAccount } from './adminApi.ts';
import { useStaffLocale } from './locale.ts';
import type { StaffRole } from './state.ts';
import { useStaff } from './useStaff.ts';

const ROLES: StaffRole[] = ['reviewer', 'script_editor', 'admin'];

export function StaffAccounts({ onChanged }: { onChanged?: () => void }) {
  const { t } = useStaffLocale();
  const { staff: me } = useStaff();
  const [accounts, setAccounts] = useState<StaffAccount[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const reload = useCallback(async () => {
    try {
      setAccounts(await listStaff());
    } catch {
      setError(t('staff.admin.loadFailed'));
    }
  }, [t]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const change = async (account: StaffAccount, patch: { role?: StaffRole; disabled?: boolean; password?: string }): Promise<boolean> => {
    setError(null);
    try {
      await updateStaffAccount(account.id, patch);
      await reload();
      onChanged?.();
      return true;
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : t('staff.admin.saveFailed'));
      return false;
    }
  };

  return (
    <section className="card staff-admin__section" aria-labelledby="staff-accounts-title">
      <h2 id="staff-accounts-title">{t('staff.admin.accounts')}</h2>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {accounts === null ? (
        <p className="loading">{t('staff.loading')}</p>
      ) : (
        <table className="staff-table" data-testid="staff-accounts">
          <thead>
            <tr>
              <th scope="col">{t('staff.login.email')}</th>
              <th scope="col">{t('staff.admin.role')}</th>
              <th scope="col">{t('staff.admin.status')}</th>
              <th scope="col">{t('staff.admin.created')}</th>
              <th scope="col">{t('staff.login.password')}</th>
            </tr>
          </thead>
          <tbody>
            {accounts.map((account) => (
              <tr key={account.id} data-testid="staff-account" data-email={account.email}>
                <td>{account.email}</td>
                <td>
                  <select
                    aria-label={t('staff.admin.roleOf', { email: account.email })}
                    value={account.role}
                    disabled={account.id === me?.id}
                    onChange={(event) => void change(account, { role: event.target.value as StaffRole })}
                  >
                    {ROLES.map((role) => (
                      <option key={role} value={role}>
                        {t(`staff.role.${role}`)}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <label>
                    <input
                      type="checkbox"
                      checked={account.disabled}
                      disabled={account.id === me?.id}
                      onChange={(event) => void change(account, { disabled: event.target.checked })}
                    />{' '}
                    {t('staff.admin.disabled')}
                  </label>
                </td>
                <td>
                  <time dateTime={account.createdAt}>{new Date(account.createdAt).toLocaleString()}</time>
                </td>
                <td>{account.id !== me?.id && <ResetPassword account={account} onReset={(password) => change(account, { password })} />}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <AddAccount
        onAdded={() => {
          void reload();
          onChanged?.();
        }}
      />
    </section>
  );
}

function ResetPassword({ account, onReset }: { account: StaffAccount; onReset: (password: string) => Promise<boolean> }) {
  const { t } = useStaffLocale();
  const [password, setPassword] = useState('');
  const [done, setDone] = useState(false);
  return (
    <details>
      <summary>{t('staff.admin.resetPassword')}</summary>
      <form
        className="staff-admin__reset"
        onSubmit={(event) => {
          event.preventDefault();
          void onReset(password).then((ok) => {
            if (ok) setPassword('');
            setDone(ok);
          });
        }}
      >
        <input
          className="text-input"
          type="password"
          autoComplete="new-password"
          aria-label={t('staff.admin.resetFor', { email: account.email })}
          value={password}
          onChange={(event) => {
            setPassword(event.target.value);
            setDone(false);
          }}
        />
        <button className="button button--small" type="submit" disabled={!password}>
          {t('staff.admin.resetPassword')}
        </button>
        {done && (
          <span className="staff-admin__ok" role="status">
            {t('staff.admin.resetDone', { email: account.email })}
          </span>
        )}
      </form>
    </details>
  );
}

function AddAccount({ onAdded }: { onAdded: () => void }) {
  const { t } = useStaffLocale();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<StaffRole>('reviewer');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ tone: 'error' | 'ok'; text: string } | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setMessage(null);
    try {
      const created = await createStaffAccount({ email, role, password });
      setMessage({ tone: 'ok', text: t('staff.admin.added', { email: created.email }) });
      setEmail('');
      setPassword('');
      onAdded();
    } catch (failure) {
      setMessage({ tone: 'error', text: failure instanceof ApiError ? failure.message : t('staff.admin.saveFailed') });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="staff-admin__add" onSubmit={submit} data-testid="staff-add">
      <h3>{t('staff.admin.add')}</h3>
      <label className="staff-field">
        <span>{t('staff.login.email')}</span>
        <input className="text-input" type="email" value={email} onChange={(e) => setEmail(e.target.value)} required data-testid="staff-add-email" />
      </label>
      <label className="staff-field">
        <span>{t('staff.admin.role')}</span>
        <select value={role} onChange={(e) => setRole(e.target.value as StaffRole)} data-testid="staff-add-role">
          {ROLES.map((option) => (
            <option key={option} value={option}>
              {t(`staff.role.${option}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="staff-field">
        <span>{t('staff.admin.initialPassword')}</span>
        <input
          className="text-input"
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
          data-testid="staff-add-password"
        />
        <small>{t('staff.admin.passwordRules')}</small>
      </label>
      {message && (
        <p className={message.tone === 'error' ? 'form-error' : 'staff-admin__ok'} role={message.tone === 'error' ? 'alert' : 'status'} data-testid="staff-add-result">
          {message.text}
        </p>
      )}
      <button className="button button--primary" type="submit" disabled={busy || !email || !password} data-testid="staff-add-submit">
        {t('staff.admin.addSubmit')}
      </button>
    </form>
  );
}
