import { describe, expect, it } from 'vitest';
import { clearCookie, parseCookies, serializeCookie } from './cookie.ts';
import { csrfMatches, csrfTokenFor, hashLoginToken, isLoginTokenShape, newLoginToken } from './tokens.ts';

describe('login tokens and CSRF', () => {
  it('makes 256-bit tokens whose hash is what is stored', () => {
    const token = newLoginToken();
    expect(isLoginTokenShape(token)).toBe(true);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(hashLoginToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(newLoginToken()).not.toBe(token);
  });

  it('accepts only the CSRF token of the same login', () => {
    const a = newLoginToken();
    const b = newLoginToken();
    expect(csrfMatches(a, csrfTokenFor(a))).toBe(true);
    expect(csrfMatches(a, csrfTokenFor(b))).toBe(false);
    expect(csrfMatches(a, undefined)).toBe(false);
    expect(csrfMatches(a, '')).toBe(false);
    expect(csrfMatches(a, [csrfTokenFor(a)])).toBe(false);
    expect(csrfMatches(a, csrfTokenFor(a).slice(0, -1))).toBe(false);
  });
});

describe('cookies', () => {
  it('parses a Cookie header, first occurrence wins', () => {
    const cookies = parseCookies('a=1; attest_staff=abc; attest_staff=evil; q="x y"');
    expect(cookies.get('attest_staff')).toBe('abc');
    expect(cookies.get('q')).toBe('x y');
    expect(parseCookies(undefined).size).toBe(0);
  });

  it('sets HttpOnly, SameSite=Strict, Path=/ and Secure only when asked', () => {
    expect(serializeCookie('attest_staff', 'v', { maxAgeSeconds: 60, secure: false })).toBe('attest_staff=v; Path=/; HttpOnly; SameSite=Strict; Max-Age=60');
    expect(serializeCookie('attest_staff', 'v', { maxAgeSeconds: 60, secure: true })).toMatch(/; Secure$/);
    expect(clearCookie('attest_staff', false)).toMatch(/^attest_staff=; Path=\/; HttpOnly; SameSite=Strict; Max-Age=0; Expires=Thu, 01 Jan 1970/);
  });
});
