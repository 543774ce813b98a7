/**
 * Staff HTTP API:
 *   POST /api/staff/login {email, password}   -> {staff, csrfToken} + the attest_staff cookie
 *   POST /api/staff/logout                     -> {ok:true}, cookie cleared, login ended
 *   GET  /api/staff/me                         -> {staff, csrfToken} | 401
 *   POST /api/staff/password {currentPassword, newPassword} -> {ok:true} (other logins end)
 *   GET  /api/admin/staff                      -> {staff:[...]}           (admin)
 *   POST /api/admin/staff {email, role, password} -> 201 {staff}          (admin)
 *   PATCH /api/admin/staff/:id {role?, password?, disabled?} -> {staff}   (admin)
 *   GET  /api/admin/access-log?limit&before&sessionId&staffId -> {entries, nextBefore} (admin)
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../http/errors.ts';
import { MAX_ACCESS_LOG_PAGE, type Store } from '../store/index.ts';
import { clearCookie, serializeCookie } from './cookie.ts';
import { loginTokenOf, requireStaff, staffOf } from './guard.ts';
import { PASSWORD_MAX_LENGTH } from './password.ts';
import { ZStaffEmail, ZStaffRole } from './roles.ts';
import type { StaffService } from './service.ts';
import { csrfMatches, CSRF_HEADER, STAFF_COOKIE } from './tokens.ts';

const ZLoginBody = z.object({
  email: z.string().max(320, 'too long'),
  password: z.string().max(1024, 'too long'),
});

const ZChangePasswordBody = z
  .object({ currentPassword: z.string().max(1024, 'too long'), newPassword: z.string().max(1024, 'too long') })
  .strict();

const ZPassword = z.string().max(PASSWORD_MAX_LENGTH, `at most ${PASSWORD_MAX_LENGTH} characters`);

const ZCreateStaffBody = z
  .object({ email: ZStaffEmail, role: ZStaffRole, password: ZPassword })
  .strict();

const ZUpdateStaffBody = z
  .object({ role: ZStaffRole.optional(), password: ZPassword.optional(), disabled: z.boolean().optional() })
  .strict()
  .refine((body) => Object.keys(body).length > 0, 'name at least one of role, password, disabled');

const ZAccessLogQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(MAX_ACCESS_LOG_PAGE).default(50),
    before: z.coerce.number().int().min(1).optional(),
    sessionId: z.string().min(1).max(200).optional(),
    staffId: z.string().min(1).max(200).optional(),
  })
  .strict();

export function registerStaffRoutes(app: FastifyInstance, deps: { staff: StaffService; store: Store; secureCookie: boolean }): void {
  const { staff } = deps;

  app.post('/api/staff/login', async (request, reply) => {
    requireJson(request);
    const body = parse(ZLoginBody, request.body);
    const signedIn = await staff.login(body.email, body.password, request.ip);
    return reply
      .header('set-cookie', serializeCookie(STAFF_COOKIE, signedIn.token, { maxAgeSeconds: signedIn.maxAgeSeconds, secure: deps.secureCookie }))
      .header('cache-control', 'no-store')
      .send({ staff: signedIn.staff, csrfToken: signedIn.csrfToken });
  });

  app.post('/api/staff/logout', async (request, reply) => {
    const token = loginTokenOf(request);
    const signedIn = staff.authenticate(token);
    if (signedIn && token) {
      // A cross-site page must not be able to sign staff out either.
      if (!csrfMatches(token, request.headers[CSRF_HEADER])) throw new AppError('csrf_failed');
      staff.logout(token, signedIn.staff);
    }
    return reply.header('set-cookie', clearCookie(STAFF_COOKIE, deps.secureCookie)).header('cache-control', 'no-store').send({ ok: true });
  });

  app.get('/api/staff/me', { preHandler: requireStaff() }, async (request) => {
    const me = staffOf(request);
    const signedIn = staff.authenticate(loginTokenOf(request));
    if (!signedIn) throw new AppError('login_required');
    return { staff: me, csrfToken: signedIn.csrfToken };
  });

  app.post('/api/staff/password', { preHandler: requireStaff() }, async (request) => {
    const body = parse(ZChangePasswordBody, request.body);
    const token = loginTokenOf(request);
    if (!token) throw new AppError('login_required');
    await staff.changeOwnPassword(token, staffOf(request), body.currentPassword, body.newPassword, request.ip);
    return { ok: true };
  });

  app.get('/api/admin/staff', { preHandler: requireStaff('admin') }, async () => ({ staff: staff.list() }));

  app.post('/api/admin/staff', { preHandler: requireStaff('admin') }, async (request, reply) => {
    const body = parse(ZCreateStaffBody, request.body);
    const created = await staff.create(body, staffOf(request));
    return reply.code(201).send({ staff: created });
  });

  app.patch<{ Params: { id: string } }>('/api/admin/staff/:id', { preHandler: requireStaff('admin') }, async (request) => {
    const body = parse(ZUpdateStaffBody, request.body);
    const updated = await staff.update(request.params.id, {
      ...(body.role !== undefined ? { role: body.role } : {}),
      ...(body.password !== undefined ? { password: body.password } : {}),
      ...(body.disabled !== undefined ? { disabled: body.disabled } : {}),
    }, staffOf(request));
    return { staff: updated };
  });

  app.get('/api/admin/access-log', { preHandler: requireStaff('admin') }, async (request) => {
    const query = parse(ZAccessLogQuery, request.query);
    const entries = deps.store.accessLog.list({
      limit: query.limit,
      ...(query.before !== undefined ? { before: query.before } : {}),
      ...(query.sessionId !== undefined ? { sessionId: query.sessionId } : {}),
      ...(query.staffId !== undefined ? { staffId: query.staffId } : {}),
    });
    const emails = new Map(staff.list().map((account) => [account.id, account.email]));
    return {
      entries: entries.map((entry) => ({ ...entry, staffEmail: emails.get(entry.staffId) ?? null })),
      nextBefore: entries.length === query.limit ? (entries.at(-1)?.id ?? null) : null,
    };
  });
}

/** A cross-site form can post text/plain or form data without a preflight: only JSON is accepted. */
function requireJson(request: FastifyRequest): void {
  const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') throw new AppError('unsupported_media_type');
}

function parse<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : 'body';
    throw new AppError('bad_request', `${where}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}
