/**
 * Staff area building blocks (contract: /work/briefs/staff-api.md, docs/security.md):
 * - `staffFetch(path, init)`: cookie + `x-csrf-token` + JSON accept; a 401 signs the tab out;
 * - `useStaff()`: `{ staff, csrfToken, loading, error, signOut, refresh }` (staff null = signed out);
 * - `<StaffGate roles={[...]}>`: login form / "not allowed" / the children, under `<StaffHeader>`;
 * - `useStaffLocale()`: `{ locale, t, setLocale }` for staff pages (header has the picker).
 */
export { staffFetch, signIn, signOut, refreshStaff, roleAllowed, type StaffIdentity, type StaffRole, type StaffState } from './state.ts';
export { useStaff } from './useStaff.ts';
export { useStaffLocale } from './locale.ts';
export { StaffGate } from './StaffGate.tsx';
export { StaffHeader } from './StaffHeader.tsx';
export { LoginForm } from './LoginForm.tsx';
