/**
 * Password hashing with node:crypto scrypt. The hash is self-describing
 * (`scrypt$<log2 N>$<r>$<p>$<salt>$<hash>`, base64url), so the cost can be raised later and old
 * hashes still verify. Comparison is timing-safe; unknown accounts are checked against a dummy
 * hash with the same cost so the answer takes as long as for a known one.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export interface ScryptCost {
  log2N: number;
  r: number;
  p: number;
}

/** 2^15 x 8 x 128 B = 32 MiB and ~100-300 ms per check on a small server. */
export const DEFAULT_COST: ScryptCost = { log2N: 15, r: 8, p: 1 };
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
/** Bounds for parameters read back from the database (a tampered row must not hang the server). */
const MAX_LOG2N = 20;

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

export type PasswordProblem = 'empty' | 'too_short' | 'too_long' | 'too_simple' | 'contains_email';

/** Why a new password is refused, or null when it is acceptable. */
export function checkPasswordRules(password: string, email?: string): PasswordProblem | null {
  if (password.length === 0) return 'empty';
  if ([...password].length < PASSWORD_MIN_LENGTH) return 'too_short';
  if (password.length > PASSWORD_MAX_LENGTH) return 'too_long';
  if (new Set(password).size < 5) return 'too_simple';
  const local = email?.split('@')[0]?.toLowerCase();
  if (local && local.length >= 4 && password.toLowerCase().includes(local)) return 'contains_email';
  return null;
}

export const PASSWORD_PROBLEM_TEXT: Record<PasswordProblem, string> = {
  empty: 'the password is empty',
  too_short: `the password must be at least ${PASSWORD_MIN_LENGTH} characters`,
  too_long: `the password must be at most ${PASSWORD_MAX_LENGTH} characters`,
  too_simple: 'the password must use at least 5 different characters',
  contains_email: 'the password must not contain the email address',
};

function derive(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  const N = 2 ** cost.log2N;
  const options: ScryptOptions = { N, r: cost.r, p: cost.p, maxmem: 128 * N * cost.r * cost.p + 16 * 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

export async function hashPassword(password: string, cost: ScryptCost = DEFAULT_COST): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const key = await derive(password, salt, cost);
  return ['scrypt', cost.log2N, cost.r, cost.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

interface ParsedHash {
  cost: ScryptCost;
  salt: Buffer;
  key: Buffer;
}

export function parseHash(stored: string): ParsedHash | null {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [log2N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![log2N, r, p].every(Number.isInteger) || log2N < 10 || log2N > MAX_LOG2N || r < 1 || r > 32 || p < 1 || p > 16) return null;
  const salt = Buffer.from(parts[4] ?? '', 'base64url');
  const key = Buffer.from(parts[5] ?? '', 'base64url');
  if (salt.length < 8 || key.length !== KEY_LENGTH) return null;
  return { cost: { log2N, r, p }, salt, key };
}

/** True when `password` matches `stored`; false for a wrong password or an unreadable hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed) {
    // Spend the same time as a real check.
    await derive(password, randomBytes(SALT_LENGTH), DEFAULT_COST);
    return false;
  }
  const key = await derive(password, parsed.salt, parsed.cost);
  return timingSafeEqual(key, parsed.key);
}

/** Whether a stored hash uses less than the current cost (rehash it at the next sign-in). */
export function needsRehash(stored: string, cost: ScryptCost = DEFAULT_COST): boolean {
  const parsed = parseHash(stored);
  return !parsed || parsed.cost.log2N < cost.log2N || parsed.cost.r < cost.r;
}
