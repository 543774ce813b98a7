/**
 * `<StaffGate roles={['reviewer']}>…</StaffGate>`: the children only for a signed-in staff
 * member whose role is listed (admins always pass); the login form when signed out; a "not
 * allowed" page for another role. Renders the staff header above (header={false} to leave it out).
 */
import { useEffect, type ReactNode } from 'react';
import { useDocumentLocale } from '../ui.tsx';
import { LoginForm } from './LoginForm.tsx';
import { StaffHeader } from './StaffHeader.tsx';
import { useStaffLocale } from './locale.ts';
import { roleAllowed, type StaffRole } from './state.ts';
import { useStaff } from './useStaff.ts';
import '../styles/staff.css';

export function StaffGate({ roles, children, header = true }: { roles: readonly StaffRole[]; children: ReactNode; header?: boolean }) {
  const { staff, loading, error, refresh } = useStaff();
  const { t, locale } = useStaffLocale();
  useDocumentLocale(locale);
  useEffect(() => {
    document.title = `${t('app.name')} · ${t('staff.header.area')}`;
  }, [t]);

  let body: ReactNode;
  if (loading) {
    body = (
      <p className="loading" role="status" data-testid="staff-loading">
        {t('staff.loading')}
      </p>
    );
  } else if (!staff && error) {
    body = (
      <section className="card card--warning" data-testid="staff-unavailable">
        <h1>{t('staff.unavailable.title')}</h1>
        <p>{t('staff.unavailable.body')}</p>
        <button className="button" type="button" onClick={() => void refresh()}>
          {t('action.retry')}
        </button>
      </section>
    );
  } else if (!staff) {
    body = <LoginForm />;
  } else if (!roleAllowed(staff.role, roles)) {
    body = (
      <section className="card card--warning" data-testid="staff-forbidden">
        <h1>{t('staff.forbidden.title')}</h1>
        <p>{t('staff.forbidden.body', { role: t(`staff.role.${staff.role}`) })}</p>
      </section>
    );
  } else {
    return (
      <div className="staff-page">
        {header && <StaffHeader />}
        {children}
      </div>
    );
  }
  return (
    <div className="staff-page">
      {header && <StaffHeader />}
      <main className="staff-page__center">{body}</main>
    </div>
  );
}
