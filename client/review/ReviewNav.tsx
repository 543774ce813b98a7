/** The review area's own links: the queue, and for admins the access log (on the admin page). */
import { navigate } from '../router.tsx';
import { useStaff, useStaffLocale } from '../staff/index.ts';

export function ReviewNav({ current }: { current: 'queue' | 'session' }) {
  const { t } = useStaffLocale();
  const { staff } = useStaff();
  const link = (path: string, label: string, active: boolean) => (
    <a
      href={path}
      aria-current={active ? 'page' : undefined}
      onClick={(event) => {
        if (event.metaKey || event.ctrlKey || event.shiftKey) return;
        event.preventDefault();
        navigate(path);
      }}
    >
      {label}
    </a>
  );
  return (
    <nav className="review-nav" aria-label={t('review.nav.label')}>
      {link('/review', t('review.nav.queue'), current === 'queue')}
      {staff?.role === 'admin' && link('/staff/admin', t('review.nav.accessLog'), false)}
    </nav>
  );
}
