/** /staff/admin: staff accounts and the access log (admins only). */
import { useEffect, useState } from 'react';
import { listStaff, type StaffAccount } from './adminApi.ts';
import { AccessLogView } from './AccessLogView.tsx';
import { StaffAccounts } from './StaffAccounts.tsx';
import { StaffGate } from './StaffGate.tsx';
import { useStaffLocale } from './locale.ts';

export function AdminPage() {
  return (
    <StaffGate roles={['admin']}>
      <AdminContent />
    </StaffGate>
  );
}

function AdminContent() {
  const { t } = useStaffLocale();
  const [accounts, setAccounts] = useState<StaffAccount[]>([]);
  const [refreshKey, setRefreshKey] = useState(0);
  useEffect(() => {
    listStaff().then(setAccounts, () => undefined);
  }, [refreshKey]);
  return (
    <main className="staff-admin" data-testid="staff-admin">
      <h1>{t('staff.admin.title')}</h1>
      <StaffAccounts onChanged={() => setRefreshKey((key) => key + 1)} />
      <AccessLogView accounts={accounts} refreshKey={refreshKey} />
    </main>
  );
}
