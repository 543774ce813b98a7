import { describe, expect, it } from 'vitest';
import { makeTempDir, openTestStore } from '../store/sqlite/test-support.ts';
import { decideFailure, EMAIL_POLICY, LoginThrottle, lockRemainingMs, throttleKey } from './throttle.ts';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');

describe('decideFailure (backoff policy)', () => {
  it('allows the free failures, then locks for 30 s, doubling up to the cap', () => {
    let record = null;
    const locks: number[] = [];
    for (let i = 1; i <= 12; i++) {
      record = decideFailure(record, 'k', T0, EMAIL_POLICY);
      locks.push(lockRemainingMs(record, T0) / 1000);
    }
    expect(locks).toEqual([0, 0, 0, 0, 30, 60, 120, 240, 480, 900, 900, 900]);
  });

  it('forgets failures after an hour without one', () => {
    let record = null;
    for (let i = 0; i < 4; i++) record = decideFailure(record, 'k', T0, EMAIL_POLICY);
    expect(decideFailure(record, 'k', T0 + 61 * 60_000, EMAIL_POLICY).failures).toBe(1);
    expect(decideFailure(record, 'k', T0 + 59 * 60_000, EMAIL_POLICY).failures).toBe(5);
  });
});

describe('LoginThrottle (stored)', () => {
  it('locks per email and per IP, survives reopening the database, and a success clears only the email', () => {
    const dir = makeTempDir();
    const store = openTestStore(dir);
    const throttle = new LoginThrottle(store.staff, {
      email: { ...EMAIL_POLICY, freeFailures: 2 },
      ip: { ...EMAIL_POLICY, freeFailures: 3 },
    });
    throttle.recordFailure('a@example.test', '10.0.0.1', T0);
    expect(throttle.retryAfterSeconds('a@example.test', '10.0.0.1', T0)).toBe(0);
    throttle.recordFailure('A@example.test', '10.0.0.1', T0);
    expect(throttle.retryAfterSeconds('a@example.test', '10.0.0.9', T0)).toBe(30);
    // Another address from the same IP is still free, until the IP's own limit.
    expect(throttle.retryAfterSeconds('b@example.test', '10.0.0.1', T0)).toBe(0);
    throttle.recordFailure('b@example.test', '10.0.0.1', T0);
    expect(throttle.retryAfterSeconds('c@example.test', '10.0.0.1', T0)).toBe(30);
    expect(throttle.retryAfterSeconds('a@example.test', '10.0.0.9', T0 + 30_000)).toBe(0);

    store.close();
    const reopened = openTestStore(dir);
    const again = new LoginThrottle(reopened.staff);
    expect(again.retryAfterSeconds('a@example.test', '10.0.0.2', T0 + 1000)).toBe(29);
    again.recordSuccess('a@example.test');
    expect(again.retryAfterSeconds('a@example.test', '10.0.0.2', T0 + 1000)).toBe(0);
    expect(again.retryAfterSeconds('x@example.test', '10.0.0.1', T0 + 1000)).toBe(29);
  });

  it('stores keys hashed, not the addresses tried', () => {
    expect(throttleKey('email', 'Someone@Example.test')).toMatch(/^[0-9a-f]{64}$/);
    expect(throttleKey('email', 'someone@example.test')).toBe(throttleKey('email', 'Someone@Example.test'));
    expect(throttleKey('ip', '10.0.0.1')).not.toBe(throttleKey('email', '10.0.0.1'));
  });
});
