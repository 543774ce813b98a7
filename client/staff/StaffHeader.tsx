/** The staff pages' header: who is signed in, the language, and Sign out. */
import { LOCALE_NAMES, SUPPORTED_LOCALES, isLocale } from '../i18n.ts';
import { navigate } from '../router.tsx';
import { useStaffLocale } from './locale.ts';
import { useStaff } from './useStaff.ts';

export function StaffHeader() {
  const { staff, signOut } = useStaff();
  const { t, locale, setLocale } = useStaffLocale();
  return (
    <header className="staff-header" data-testid="staff-header">
      <a
        className="brand"
        href="/staff"
        onClick={(event) => {
          event.preventDefault();
          navigate('/staff');
        }}
      >
        <span className="brand__mark" aria-hidden="true" />
        {t('app.name')} · {t('staff.header.area')}
      </a>
      <span className="staff-header__right">
        <select
          aria-label={t('language.label')}
          value={locale}
          onChange={(event) => isLocale(event.target.value) && setLocale(event.target.value)}
        >
          {SUPPORTED_LOCALES.map((option) => (
            <option key={option} value={option} lang={option}>
              {LOCALE_NAMES[option]}
            </option>
          ))}
        </select>
        {staff && (
          <>
            <span className="staff-header__who" data-testid="staff-who" title={t(`staff.role.${staff.role}`)}>
              {staff.email} ({t(`staff.role.${staff.role}`)})
            </span>
            <button className="button button--small" type="button" onClick={() => void signOut()} data-testid="staff-signout">
              {t('staff.header.signOut')}
            </button>
          </>
        )}
      </span>
    </header>
  );
}
