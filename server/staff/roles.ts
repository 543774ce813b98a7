/** Staff roles and the identity a signed-in request carries. */
import { z } from 'zod';
import type { StaffRole } from '../store/index.ts';

export type { StaffRole };

export const STAFF_ROLES: readonly StaffRole[] = ['reviewer', 'script_editor', 'admin'];

export const ZStaffRole = z.enum(['reviewer', 'script_editor', 'admin']);

/** What `request.staff` holds after `requireStaff` let the request through. */
export interface StaffIdentity {
  id: string;
  email: string;
  role: StaffRole;
}

/** Admins may do everything; others only what their own role allows. */
export function roleAllows(role: StaffRole, allowed: readonly StaffRole[]): boolean {
  return role === 'admin' || allowed.length === 0 || allowed.includes(role);
}

/** Lowercased, trimmed; a plain shape check (the address is a login name, not mailed). */
export const ZStaffEmail = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, 'the email address is too long')
  .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'not an email address');
