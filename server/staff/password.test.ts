import { describe, expect, it } from 'vitest';
import { checkPasswordRules, hashPassword, needsRehash, parseHash, verifyPassword } from './password.ts';

const CHEAP = { log2N: 10, r: 8, p: 1 };

describe('password hashing (scrypt)', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const hash = await hashPassword('correct horse battery', CHEAP);
    expect(hash).toMatch(/^scrypt\$10\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('correct horse batterY', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('salts every hash', async () => {
    const a = await hashPassword('same password here', CHEAP);
    const b = await hashPassword('same password here', CHEAP);
    expect(a).not.toBe(b);
    expect(await verifyPassword('same password here', b)).toBe(true);
  });

  it('treats unicode forms of the same password alike (NFC)', async () => {
    const hash = await hashPassword('caf\u00e9 au lait 1234', CHEAP);
    expect(await verifyPassword('cafe\u0301 au lait 1234', hash)).toBe(true);
  });

  it('refuses unreadable or out-of-bounds stored hashes instead of hanging or throwing', async () => {
    expect(parseHash('plain')).toBeNull();
    expect(parseHash('scrypt$30$8$1$AAAAAAAAAAAAAAAAAAAAAA$' + 'A'.repeat(43))).toBeNull();
    expect(await verifyPassword('anything at all', 'bcrypt$whatever')).toBe(false);
  });

  it('asks for a rehash when the stored cost is below the current one', async () => {
    const cheap = await hashPassword('correct horse battery', CHEAP);
    expect(needsRehash(cheap)).toBe(true);
    expect(needsRehash(cheap, CHEAP)).toBe(false);
  });
});

describe('password rules', () => {
  it('names what is wrong', () => {
    expect(checkPasswordRules('')).toBe('empty');
    expect(checkPasswordRules('short pass')).toBe('too_short');
    expect(checkPasswordRules('aaaaaaaaaaaaaaaa')).toBe('too_simple');
    expect(checkPasswordRules('x'.repeat(300))).toBe('too_long');
    expect(checkPasswordRules('janedoe is my password', 'janedoe@example.test')).toBe('contains_email');
    expect(checkPasswordRules('correct horse battery', 'janedoe@example.test')).toBeNull();
  });
});
