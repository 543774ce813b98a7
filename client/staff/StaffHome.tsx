/** /staff (and /staff/login): sign in, then the areas this role may open. */
import { navigate } from '../router.tsx';
import { ChangePassword } from './ChangePassword.tsx';
import { useStaffLocale } from './locale.ts';
import { roleAllowed, type StaffRole } from './state.ts';
import { StaffGate } from './StaffGate.tsx';
import { useStaff } from './useStaff.ts';

const AREAS: { path: string; label: 'staff.home.review' | 'staff.home.studio' | 'staff.home.admin'; roles: StaffRole[] }[] = [
  { path: '/review', label: 'staff.home.review', roles: ['reviewer'] },
  { path: '/studio', label: 'staff.home.studio', roles: ['script_editor'] },
  { path: '/staff/admin', label: 'staff.home.admin', roles: ['admin'] },
];

export function StaffHome() {
  return (
    <StaffGate roles={[]}>
      <StaffAreas />
    </StaffGate>
  );
}

function StaffAreas() {
  const { staff } = useStaff();
  const { t } = useStaffLocale();
  if (!staff) return null;
  const areas = AREAS.filter((area) => roleAllowed(staff.role, area.roles));
  return (
    <main className="staff-page__center staff-home">
      <section className="card" data-testid="staff-home">
        <h1>{t('staff.home.title')}</h1>
        <ul className="staff-areas">
          {areas.map((area) => (
            <li key={area.path}>
              <a
                href={area.path}
                onClick={(event) => {
                  event.preventDefault();
                  navigate(area.path);
                }}
              >
                {t(area.label)}
              </a>
            </li>
          ))}
        </ul>
      </section>
      <ChangePassword />
    </main>
  );
}
