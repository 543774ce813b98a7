/** Staff accounts, sign-in, CSRF and role checks for staff endpoints (contract: docs/security.md). */
export { installStaffAuth, requireStaff, staffOf } from './guard.ts';
export { registerStaffRoutes } from './routes.ts';
export { StaffService, type SignedIn, type StaffAccount, type StaffServiceOptions } from './service.ts';
export { STAFF_ROLES, ZStaffRole, ZStaffEmail, roleAllows, type StaffIdentity, type StaffRole } from './roles.ts';
export { checkPasswordRules, hashPassword, verifyPassword, PASSWORD_PROBLEM_TEXT, type PasswordProblem } from './password.ts';
export { CSRF_HEADER, STAFF_COOKIE } from './tokens.ts';
