/**
 * Staff users, their signed-in browsers (logins) and failed sign-in counters in SQLite. The
 * rules (hashing, expiry, throttling) live in server/staff/; this is storage only.
 */
import type Database from 'better-sqlite3';
import { DuplicateError, InvalidInputError } from '../errors.ts';
import type { LoginFailureRecord, StaffLoginRecord, StaffRepository, StaffRole, StaffUserPatch, StaffUserRecord } from '../types.ts';
import { requireSha256Hex, requireText, requireTimestamp, requireTimestampOrNull } from './validate.ts';

const ROLES: readonly StaffRole[] = ['reviewer', 'script_editor', 'admin'];

interface UserRow {
  id: string;
  email: string;
  role: StaffRole;
  password_hash: string;
  created_at: string;
  updated_at: string;
  disabled_at: string | null;
}

interface LoginRow {
  token_hash: string;
  staff_id: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}

interface FailureRow {
  key_hash: string;
  failures: number;
  last_failure_at: string;
  locked_until: string | null;
}

const USER_COLUMNS = 'id, email, role, password_hash, created_at, updated_at, disabled_at';

export function createStaffRepository(db: Database.Database): StaffRepository {
  const insertUser = db.prepare<[string, string, string, string, string, string]>(
    `INSERT INTO staff_users (id, email, role, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const userById = db.prepare<[string], UserRow>(`SELECT ${USER_COLUMNS} FROM staff_users WHERE id = ?`);
  const userByEmail = db.prepare<[string], UserRow>(`SELECT ${USER_COLUMNS} FROM staff_users WHERE email = ?`);
  const allUsers = db.prepare<[], UserRow>(`SELECT ${USER_COLUMNS} FROM staff_users ORDER BY created_at, id`);
  const countUsers = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM staff_users');
  const updateUser = db.prepare<[string, string, string | null, string, string]>(
    'UPDATE staff_users SET role = ?, password_hash = ?, disabled_at = ?, updated_at = ? WHERE id = ?',
  );

  const insertLogin = db.prepare<[string, string, string, string, string]>(
    'INSERT INTO staff_logins (token_hash, staff_id, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?)',
  );
  const loginByHash = db.prepare<[string], LoginRow>(
    'SELECT token_hash, staff_id, created_at, last_seen_at, expires_at FROM staff_logins WHERE token_hash = ?',
  );
  const touchLogin = db.prepare<[string, string]>('UPDATE staff_logins SET last_seen_at = ? WHERE token_hash = ?');
  const deleteLogin = db.prepare<[string]>('DELETE FROM staff_logins WHERE token_hash = ?');
  const deleteLoginsOf = db.prepare<[string]>('DELETE FROM staff_logins WHERE staff_id = ?');
  const deleteExpired = db.prepare<[string, string]>('DELETE FROM staff_logins WHERE expires_at <= ? OR last_seen_at <= ?');

  const failureByKey = db.prepare<[string], FailureRow>(
    'SELECT key_hash, failures, last_failure_at, locked_until FROM staff_login_failures WHERE key_hash = ?',
  );
  const upsertFailure = db.prepare<[string, number, string, string | null]>(
    `INSERT INTO staff_login_failures (key_hash, failures, last_failure_at, locked_until) VALUES (?, ?, ?, ?)
     ON CONFLICT (key_hash) DO UPDATE SET failures = excluded.failures, last_failure_at = excluded.last_failure_at,
       locked_until = excluded.locked_until`,
  );
  const deleteFailure = db.prepare<[string]>('DELETE FROM staff_login_failures WHERE key_hash = ?');

  return {
    createUser(user) {
      const id = requireText(user.id, 'user.id');
      const email = requireEmail(user.email);
      const role = requireRole(user.role);
      const passwordHash = requireText(user.passwordHash, 'user.passwordHash');
      const createdAt = requireTimestamp(user.createdAt, 'user.createdAt');
      try {
        insertUser.run(id, email, role, passwordHash, createdAt, createdAt);
      } catch (error) {
        if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE' || (error as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
          throw new DuplicateError(/email/.test((error as Error).message) ? 'email' : 'id', 'staff user');
        }
        throw error;
      }
      return toUser(userById.get(id)!);
    },
    findUserById(id) {
      const row = userById.get(id);
      return row ? toUser(row) : null;
    },
    findUserByEmail(email) {
      const row = userByEmail.get(email.toLowerCase());
      return row ? toUser(row) : null;
    },
    listUsers() {
      return allUsers.all().map(toUser);
    },
    countUsers() {
      return countUsers.get()?.n ?? 0;
    },
    updateUser(id, patch: StaffUserPatch, at) {
      const current = userById.get(id);
      if (!current) return null;
      const role = patch.role === undefined ? current.role : requireRole(patch.role);
      const hash = patch.passwordHash === undefined ? current.password_hash : requireText(patch.passwordHash, 'patch.passwordHash');
      const disabledAt = patch.disabledAt === undefined ? current.disabled_at : requireTimestampOrNull(patch.disabledAt, 'patch.disabledAt');
      updateUser.run(role, hash, disabledAt, requireTimestamp(at, 'at'), id);
      return toUser(userById.get(id)!);
    },

    createLogin(login: StaffLoginRecord) {
      insertLogin.run(
        requireSha256Hex(login.tokenHash, 'login.tokenHash'),
        requireText(login.staffId, 'login.staffId'),
        requireTimestamp(login.createdAt, 'login.createdAt'),
        requireTimestamp(login.lastSeenAt, 'login.lastSeenAt'),
        requireTimestamp(login.expiresAt, 'login.expiresAt'),
      );
    },
    findLogin(tokenHash) {
      const row = loginByHash.get(tokenHash);
      return row
        ? { tokenHash: row.token_hash, staffId: row.staff_id, createdAt: row.created_at, lastSeenAt: row.last_seen_at, expiresAt: row.expires_at }
        : null;
    },
    touchLogin(tokenHash, lastSeenAt) {
      touchLogin.run(requireTimestamp(lastSeenAt, 'lastSeenAt'), tokenHash);
    },
    deleteLogin(tokenHash) {
      deleteLogin.run(tokenHash);
    },
    deleteLoginsOf(staffId) {
      return deleteLoginsOf.run(staffId).changes;
    },
    deleteExpiredLogins(now, idleBefore) {
      return deleteExpired.run(requireTimestamp(now, 'now'), requireTimestamp(idleBefore, 'idleBefore')).changes;
    },

    findFailure(keyHash) {
      const row = failureByKey.get(keyHash);
      return row ? { keyHash: row.key_hash, failures: row.failures, lastFailureAt: row.last_failure_at, lockedUntil: row.locked_until } : null;
    },
    saveFailure(failure: LoginFailureRecord) {
      upsertFailure.run(
        requireSha256Hex(failure.keyHash, 'failure.keyHash'),
        failure.failures,
        requireTimestamp(failure.lastFailureAt, 'failure.lastFailureAt'),
        requireTimestampOrNull(failure.lockedUntil, 'failure.lockedUntil'),
      );
    },
    clearFailure(keyHash) {
      deleteFailure.run(keyHash);
    },
  };
}

function toUser(row: UserRow): StaffUserRecord {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    passwordHash: row.password_hash,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    disabledAt: row.disabled_at,
  };
}

function requireEmail(value: unknown): string {
  const email = requireText(value, 'user.email');
  if (email !== email.toLowerCase()) throw new InvalidInputError('user.email must be lowercased');
  return email;
}

function requireRole(value: unknown): StaffRole {
  if (!ROLES.includes(value as StaffRole)) throw new InvalidInputError(`role must be one of ${ROLES.join(', ')}`);
  return value as StaffRole;
}
