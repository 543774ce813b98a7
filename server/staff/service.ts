/**
 * Staff accounts and sign-in: password checks (constant work for unknown addresses), throttling,
 * login tokens with idle and absolute expiry, and account management. Sign-ins and account
 * changes are written to the access log in the same transaction as the change.
 */
import { randomBytes } from 'node:crypto';
import { AppError } from '../http/errors.ts';
import type { Logger } from '../log.ts';
import type { Store, StaffUserRecord } from '../store/index.ts';
import { checkPasswordRules, DEFAULT_COST, hashPassword, needsRehash, PASSWORD_PROBLEM_TEXT, verifyPassword, type ScryptCost } from './password.ts';
import { type StaffIdentity, type StaffRole } from './roles.ts';
import { LoginThrottle, type ThrottlePolicy } from './throttle.ts';
import { csrfTokenFor, hashLoginToken, isLoginTokenShape, newLoginToken } from './tokens.ts';

export interface StaffServiceOptions {
  store: Store;
  logger: Logger;
  /** A login unused for this long ends. */
  idleMs: number;
  /** A login ends this long after sign-in whatever its use. */
  absoluteMs: number;
  now?: () => Date;
  cost?: ScryptCost;
  throttle?: { email: ThrottlePolicy; ip: ThrottlePolicy };
}

export interface SignedIn {
  staff: StaffIdentity;
  /** The cookie value; only its hash is stored. */
  token: string;
  csrfToken: string;
  maxAgeSeconds: number;
}

export interface StaffAccount extends StaffIdentity {
  createdAt: string;
  updatedAt: string;
  disabled: boolean;
}

/** Touching last_seen_at on every request would write on every read; once a minute is enough. */
const TOUCH_EVERY_MS = 60_000;

export class StaffService {
  private readonly store: Store;
  private readonly now: () => Date;
  private readonly cost: ScryptCost;
  private readonly throttle: LoginThrottle;
  /** Checked against when the address is unknown, so both answers cost the same. */
  private readonly dummyHash: Promise<string>;

  constructor(private readonly o: StaffServiceOptions) {
    this.store = o.store;
    this.now = o.now ?? (() => new Date());
    this.cost = o.cost ?? DEFAULT_COST;
    this.throttle = new LoginThrottle(o.store.staff, o.throttle);
    this.dummyHash = hashPassword(randomBytes(18).toString('base64url'), this.cost);
    this.dummyHash.catch(() => undefined);
  }

  async login(emailInput: string, password: string, ip: string): Promise<SignedIn> {
    const email = emailInput.trim().toLowerCase();
    const wait = this.throttle.retryAfterSeconds(email, ip, this.now().getTime());
    if (wait > 0) throw new AppError('too_many_attempts', undefined, wait);
    const user = this.store.staff.findUserByEmail(email);
    const matches = await verifyPassword(password, user?.passwordHash ?? (await this.dummyHash));
    const nowMs = this.now().getTime();
    if (!user || !matches || user.disabledAt !== null) {
      this.store.transaction(() => {
        this.throttle.recordFailure(email, ip, nowMs);
        if (user) this.store.accessLog.append({ staffId: user.id, action: 'staff.login_failed', sessionId: null, detail: {} });
      });
      this.o.logger.info({ known: Boolean(user) }, 'staff sign-in refused');
      throw new AppError('invalid_credentials');
    }
    const token = newLoginToken();
    const at = new Date(nowMs).toISOString();
    this.store.transaction(() => {
      this.throttle.recordSuccess(email);
      this.store.staff.deleteExpiredLogins(at, new Date(nowMs - this.o.idleMs).toISOString());
      this.store.staff.createLogin({
        tokenHash: hashLoginToken(token),
        staffId: user.id,
        createdAt: at,
        lastSeenAt: at,
        expiresAt: new Date(nowMs + this.o.absoluteMs).toISOString(),
      });
      this.store.accessLog.append({ staffId: user.id, action: 'staff.login', sessionId: null, detail: {}, at });
    });
    if (needsRehash(user.passwordHash, this.cost)) {
      const rehashed = await hashPassword(password, this.cost);
      this.store.staff.updateUser(user.id, { passwordHash: rehashed }, this.now().toISOString());
    }
    return { staff: identity(user), token, csrfToken: csrfTokenFor(token), maxAgeSeconds: Math.floor(this.o.absoluteMs / 1000) };
  }

  /** The signed-in staff member for a cookie value, or null (unknown, expired, idle, disabled). */
  authenticate(token: string | undefined): { staff: StaffIdentity; csrfToken: string } | null {
    if (!token || !isLoginTokenShape(token)) return null;
    const tokenHash = hashLoginToken(token);
    const login = this.store.staff.findLogin(tokenHash);
    if (!login) return null;
    const nowMs = this.now().getTime();
    const idle = nowMs - Date.parse(login.lastSeenAt) >= this.o.idleMs;
    if (idle || Date.parse(login.expiresAt) <= nowMs) {
      this.store.staff.deleteLogin(tokenHash);
      return null;
    }
    const user = this.store.staff.findUserById(login.staffId);
    if (!user || user.disabledAt !== null) {
      this.store.staff.deleteLogin(tokenHash);
      return null;
    }
    if (nowMs - Date.parse(login.lastSeenAt) >= TOUCH_EVERY_MS) this.store.staff.touchLogin(tokenHash, new Date(nowMs).toISOString());
    return { staff: identity(user), csrfToken: csrfTokenFor(token) };
  }

  logout(token: string, staff: StaffIdentity): void {
    this.store.transaction(() => {
      this.store.staff.deleteLogin(hashLoginToken(token));
      this.store.accessLog.append({ staffId: staff.id, action: 'staff.logout', sessionId: null, detail: {} });
    });
  }

  /**
   * A signed-in person changes their own password: the current one must be right (a wrong one
   * counts toward the address's throttle), the new one must pass the rules. Their other logins
   * end; this one stays.
   */
  async changeOwnPassword(token: string, staff: StaffIdentity, current: string, next: string, ip: string): Promise<void> {
    const wait = this.throttle.retryAfterSeconds(staff.email, ip, this.now().getTime());
    if (wait > 0) throw new AppError('too_many_attempts', undefined, wait);
    const user = this.store.staff.findUserById(staff.id);
    if (!user) throw new AppError('login_required');
    if (!(await verifyPassword(current, user.passwordHash))) {
      this.store.transaction(() => {
        this.throttle.recordFailure(user.email, ip, this.now().getTime());
        this.store.accessLog.append({ staffId: user.id, action: 'staff.password_failed', sessionId: null, detail: {} });
      });
      throw new AppError('invalid_credentials', 'The current password is not correct.');
    }
    const problem = checkPasswordRules(next, user.email);
    if (problem) throw new AppError('weak_password', `password: ${PASSWORD_PROBLEM_TEXT[problem]}.`);
    const passwordHash = await hashPassword(next, this.cost);
    const keep = hashLoginToken(token);
    const at = this.now().toISOString();
    this.store.transaction(() => {
      this.store.staff.updateUser(user.id, { passwordHash }, at);
      const login = this.store.staff.findLogin(keep);
      this.store.staff.deleteLoginsOf(user.id);
      if (login) this.store.staff.createLogin(login);
      this.store.accessLog.append({ staffId: user.id, action: 'staff.password', sessionId: null, detail: {}, at });
    });
  }

  list(): StaffAccount[] {
    return this.store.staff.listUsers().map(account);
  }

  /**
   * Creates an account after checking the password rules; `by` is the admin doing it (null from
   * the command line, where there may be no admin yet).
   */
  async create(input: { email: string; role: StaffRole; password: string }, by: StaffIdentity | null): Promise<StaffAccount> {
    const email = input.email.trim().toLowerCase();
    const problem = checkPasswordRules(input.password, email);
    if (problem) throw new AppError('weak_password', `password: ${PASSWORD_PROBLEM_TEXT[problem]}.`);
    if (this.store.staff.findUserByEmail(email)) throw new AppError('staff_exists');
    const passwordHash = await hashPassword(input.password, this.cost);
    const at = this.now().toISOString();
    const id = `stf_${randomBytes(9).toString('base64url')}`;
    const created = this.store.transaction(() => {
      if (this.store.staff.findUserByEmail(email)) throw new AppError('staff_exists');
      const user = this.store.staff.createUser({ id, email, role: input.role, passwordHash, createdAt: at });
      this.store.accessLog.append({ staffId: by?.id ?? user.id, action: 'staff.create', sessionId: null, detail: { userId: user.id, role: user.role, by: by ? 'admin' : 'cli' }, at });
      return user;
    });
    return account(created);
  }

  /**
   * Changes role, password or disabled state. Any change ends the user's logins (a new role or
   * password takes effect at once). Refuses to leave no enabled admin.
   */
  async update(
    id: string,
    patch: { role?: StaffRole; password?: string; disabled?: boolean },
    by: StaffIdentity,
  ): Promise<StaffAccount> {
    const current = this.store.staff.findUserById(id);
    if (!current) throw new AppError('not_found', 'No staff account with that id.');
    let passwordHash: string | undefined;
    if (patch.password !== undefined) {
      const problem = checkPasswordRules(patch.password, current.email);
      if (problem) throw new AppError('weak_password', `password: ${PASSWORD_PROBLEM_TEXT[problem]}.`);
      passwordHash = await hashPassword(patch.password, this.cost);
    }
    const at = this.now().toISOString();
    const updated = this.store.transaction(() => {
      const user = this.store.staff.updateUser(
        id,
        {
          ...(patch.role !== undefined ? { role: patch.role } : {}),
          ...(passwordHash !== undefined ? { passwordHash } : {}),
          ...(patch.disabled !== undefined ? { disabledAt: patch.disabled ? (current.disabledAt ?? at) : null } : {}),
        },
        at,
      );
      if (!user) throw new AppError('not_found', 'No staff account with that id.');
      const admins = this.store.staff.listUsers().filter((u) => u.role === 'admin' && u.disabledAt === null);
      if (admins.length === 0) throw new AppError('bad_request', 'This change would leave no enabled admin account.');
      this.store.staff.deleteLoginsOf(id);
      this.store.accessLog.append({
        staffId: by.id,
        action: 'staff.update',
        sessionId: null,
        detail: {
          userId: id,
          ...(patch.role !== undefined ? { role: patch.role } : {}),
          ...(patch.disabled !== undefined ? { disabled: patch.disabled } : {}),
          ...(patch.password !== undefined ? { passwordChanged: true } : {}),
        },
        at,
      });
      return user;
    });
    return account(updated);
  }
}

function identity(user: StaffUserRecord): StaffIdentity {
  return { id: user.id, email: user.email, role: user.role };
}

function account(user: StaffUserRecord): StaffAccount {
  return { ...identity(user), createdAt: user.createdAt, updatedAt: user.updatedAt, disabled: user.disabledAt !== null };
}
