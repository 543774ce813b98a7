/**
 * Login cookie tokens and their CSRF tokens. The cookie value is 256 random bits; only its
 * sha256 is stored. The CSRF token is an HMAC of the cookie value, so it needs no storage and
 * cannot be computed without the (HttpOnly) cookie.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const STAFF_COOKIE = 'attest_staff';
export const CSRF_HEADER = 'x-csrf-token';

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export function newLoginToken(): string {
  return randomBytes(32).toString('base64url');
}

export function isLoginTokenShape(value: string): boolean {
  return TOKEN_SHAPE.test(value);
}

export function hashLoginToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function csrfTokenFor(loginToken: string): string {
  return createHmac('sha256', loginToken).update('attest csrf v1').digest('base64url');
}

/** Timing-safe comparison of a presented CSRF token with the one the login expects. */
export function csrfMatches(loginToken: string, presented: unknown): boolean {
  if (typeof presented !== 'string' || presented.length === 0 || presented.length > 100) return false;
  const expected = Buffer.from(csrfTokenFor(loginToken));
  const given = Buffer.from(presented);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
