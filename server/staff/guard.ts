/**
 * `requireStaff(...roles)`: the preHandler every staff endpoint uses. It reads the login cookie,
 * checks the CSRF header on state-changing methods and the role, and sets `request.staff`.
 *   - no or expired login        -> 401 login_required
 *   - POST/PUT/PATCH/DELETE without the login's x-csrf-token -> 403 csrf_failed
 *   - a role not in `roles` (admins pass every check) -> 403 forbidden
 * The staff service is found on the Fastify instance (`installStaffAuth`), so route modules need
 * nothing but this import.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { AppError } from '../http/errors.ts';
import { parseCookies } from './cookie.ts';
import { roleAllows, type StaffIdentity, type StaffRole } from './roles.ts';
import type { StaffService } from './service.ts';
import { CSRF_HEADER, csrfMatches, STAFF_COOKIE } from './tokens.ts';

declare module 'fastify' {
  interface FastifyInstance {
    staffAuth: StaffService | null;
  }
  interface FastifyRequest {
    /** Set by requireStaff; null on requests it did not guard. */
    staff: StaffIdentity | null;
  }
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Call once on the root instance, before routes that use requireStaff are registered. */
export function installStaffAuth(app: FastifyInstance, service: StaffService): void {
  app.decorate('staffAuth', service);
  app.decorateRequest('staff', null);
}

export function loginTokenOf(request: FastifyRequest): string | undefined {
  return parseCookies(request.headers.cookie).get(STAFF_COOKIE);
}

export function requireStaff(...roles: StaffRole[]): preHandlerAsyncHookHandler {
  return async function staffGuard(this: FastifyInstance, request: FastifyRequest, reply: FastifyReply) {
    const service = request.server.staffAuth;
    if (!service) throw new Error('requireStaff used without installStaffAuth');
    // Staff answers hold personal data: never cached.
    reply.header('cache-control', 'no-store');
    const token = loginTokenOf(request);
    const signedIn = service.authenticate(token);
    if (!signedIn || !token) throw new AppError('login_required');
    if (MUTATING.has(request.method) && !csrfMatches(token, request.headers[CSRF_HEADER])) throw new AppError('csrf_failed');
    if (!roleAllows(signedIn.staff.role, roles)) throw new AppError('forbidden');
    request.staff = signedIn.staff;
  };
}

/** The staff member on a request that requireStaff guarded (a 401 if it was not). */
export function staffOf(request: FastifyRequest): StaffIdentity {
  if (!request.staff) throw new AppError('login_required');
  return request.staff;
}
