/** Email + password sign-in for staff, with the server's reasons (wrong details, throttled). */
import { useState, type FormEvent } from 'react';
import { ApiError } from '../http.ts';
import { useFocusOnMount } from '../ui.tsx';
import { useStaffLocale } from './locale.ts';
import { signIn } from './state.ts';

export function LoginForm({ onSignedIn }: { onSignedIn?: () => void }) {
  const { t } = useStaffLocale();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const heading = useFocusOnMount<HTMLHeadingElement>();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(email, password);
      setPassword('');
      onSignedIn?.();
    } catch (failure) {
      setError(describe(failure, t));
      setBusy(false);
    }
  };

  return (
    <form className="card staff-login" onSubmit={submit} data-testid="staff-login" noValidate>
      <h1 ref={heading} tabIndex={-1}>
        {t('staff.login.title')}
      </h1>
      <label className="staff-field">
        <span>{t('staff.login.email')}</span>
        <input
          className="text-input"
          type="email"
          name="email"
          autoComplete="username"
          required
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          data-testid="staff-email"
        />
      </label>
      <label className="staff-field">
        <span>{t('staff.login.password')}</span>
        <input
          className="text-input"
          type="password"
          name="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          data-testid="staff-password"
        />
      </label>
      {error && (
        <p className="form-error" role="alert" data-testid="staff-login-error">
          {error}
        </p>
      )}
      <button className="button button--primary" type="submit" disabled={busy || !email || !password} data-testid="staff-login-submit">
        {busy ? t('staff.login.signingIn') : t('staff.login.submit')}
      </button>
    </form>
  );
}

function describe(failure: unknown, t: ReturnType<typeof useStaffLocale>['t']): string {
  if (failure instanceof ApiError) {
    if (failure.code === 'invalid_credentials') return t('staff.login.invalid');
    if (failure.code === 'too_many_attempts') {
      const seconds = (failure as ApiError & { retryAfterSeconds?: number }).retryAfterSeconds;
      return seconds ? t('staff.login.throttledFor', { minutes: Math.max(1, Math.ceil(seconds / 60)) }) : t('staff.login.throttled');
    }
  }
  return t('staff.login.failed');
}
