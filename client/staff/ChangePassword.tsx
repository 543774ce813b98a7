/** A signed-in staff member changes their own password (their other browsers are signed out). */
import { useState, type FormEvent } from 'react';
import { ApiError, errorFromResponse } from '../http.ts';
import { useStaffLocale } from './locale.ts';
import { staffFetch } from './state.ts';

export function ChangePassword() {
  const { t } = useStaffLocale();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ tone: 'error' | 'ok'; text: string } | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setMessage(null);
    try {
      const response = await staffFetch('/api/staff/password', { method: 'POST', body: JSON.stringify({ currentPassword: current, newPassword: next }) });
      if (!response.ok) throw await errorFromResponse(response);
      setCurrent('');
      setNext('');
      setMessage({ tone: 'ok', text: t('staff.password.changed') });
    } catch (failure) {
      const text =
        failure instanceof ApiError && failure.code === 'invalid_credentials'
          ? t('staff.password.wrongCurrent')
          : failure instanceof ApiError && failure.code === 'too_many_attempts'
            ? t('staff.login.throttled')
            : failure instanceof ApiError
              ? failure.message
              : t('staff.admin.saveFailed');
      setMessage({ tone: 'error', text });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card staff-login" onSubmit={submit} data-testid="staff-change-password">
      <h2>{t('staff.password.title')}</h2>
      <label className="staff-field">
        <span>{t('staff.password.current')}</span>
        <input className="text-input" type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} required />
      </label>
      <label className="staff-field">
        <span>{t('staff.password.new')}</span>
        <input className="text-input" type="password" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} required />
        <small>{t('staff.admin.passwordRules')}</small>
      </label>
      {message && (
        <p className={message.tone === 'error' ? 'form-error' : 'staff-admin__ok'} role={message.tone === 'error' ? 'alert' : 'status'}>
          {message.text}
        </p>
      )}
      <button className="button" type="submit" disabled={busy || !current || !next}>
        {t('staff.password.submit')}
      </button>
    </form>
  );
}
