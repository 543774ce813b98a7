import { useEffect, useSyncExternalStore } from 'react';
import { getStaffState, refreshStaff, signOut, subscribeStaff, type StaffState } from './state.ts';

let firstCheck = false;

/**
 * `{ staff, csrfToken, loading, error, signOut }`: staff is null when signed out. The first
 * component to use it asks the server once.
 */
export function useStaff(): StaffState & { signOut: () => Promise<void>; refresh: () => Promise<void> } {
  const current = useSyncExternalStore(subscribeStaff, getStaffState, getStaffState);
  useEffect(() => {
    if (firstCheck) return;
    firstCheck = true;
    void refreshStaff();
  }, []);
  return { ...current, signOut, refresh: refreshStaff };
}
