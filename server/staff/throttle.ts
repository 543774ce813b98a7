/**
 * Failed sign-in throttling, per email address and per client IP, with exponential backoff.
 * Counters live in the database (hashed keys, so attempted addresses are not kept in clear), so
 * a restart does not reset them. `decideFailure` is the pure policy; LoginThrottle applies it.
 */
import { createHash } from 'node:crypto';
import type { LoginFailureRecord, StaffRepository } from '../store/index.ts';

export interface ThrottlePolicy {
  /** Failures allowed before the first lock. */
  freeFailures: number;
  /** First lock; doubles with each further failure. */
  baseLockMs: number;
  maxLockMs: number;
  /** A counter with no failure for this long starts again from zero. */
  forgetAfterMs: number;
}

export const EMAIL_POLICY: ThrottlePolicy = { freeFailures: 5, baseLockMs: 30_000, maxLockMs: 15 * 60_000, forgetAfterMs: 60 * 60_000 };
/** One office behind one NAT address shares this: more room, same backoff. */
export const IP_POLICY: ThrottlePolicy = { freeFailures: 20, baseLockMs: 30_000, maxLockMs: 15 * 60_000, forgetAfterMs: 60 * 60_000 };

/** The counter after one more failure at `nowMs`. */
export function decideFailure(previous: LoginFailureRecord | null, keyHash: string, nowMs: number, policy: ThrottlePolicy): LoginFailureRecord {
  const stale = !previous || nowMs - Date.parse(previous.lastFailureAt) > policy.forgetAfterMs;
  const failures = (stale ? 0 : previous.failures) + 1;
  const over = failures - policy.freeFailures;
  const lockMs = over >= 0 ? Math.min(policy.baseLockMs * 2 ** over, policy.maxLockMs) : 0;
  return {
    keyHash,
    failures,
    lastFailureAt: new Date(nowMs).toISOString(),
    lockedUntil: lockMs > 0 ? new Date(nowMs + lockMs).toISOString() : null,
  };
}

/** Milliseconds until the record's lock ends (0 when not locked). */
export function lockRemainingMs(record: LoginFailureRecord | null, nowMs: number): number {
  if (!record?.lockedUntil) return 0;
  return Math.max(0, Date.parse(record.lockedUntil) - nowMs);
}

export function throttleKey(kind: 'email' | 'ip', value: string): string {
  return createHash('sha256').update(`${kind}:${value.toLowerCase()}`, 'utf8').digest('hex');
}

export class LoginThrottle {
  constructor(
    private readonly repository: StaffRepository,
    private readonly policies: { email: ThrottlePolicy; ip: ThrottlePolicy } = { email: EMAIL_POLICY, ip: IP_POLICY },
  ) {}

  /** Seconds to wait before another attempt for this email or IP (0 = go ahead). */
  retryAfterSeconds(email: string, ip: string, nowMs: number): number {
    const remaining = Math.max(
      lockRemainingMs(this.repository.findFailure(throttleKey('email', email)), nowMs),
      lockRemainingMs(this.repository.findFailure(throttleKey('ip', ip)), nowMs),
    );
    return Math.ceil(remaining / 1000);
  }

  recordFailure(email: string, ip: string, nowMs: number): void {
    for (const [kind, value, policy] of [
      ['email', email, this.policies.email],
      ['ip', ip, this.policies.ip],
    ] as const) {
      const key = throttleKey(kind, value);
      this.repository.saveFailure(decideFailure(this.repository.findFailure(key), key, nowMs, policy));
    }
  }

  /** A successful sign-in clears the address's counter (not the IP's: one good account must not unlock guessing at others). */
  recordSuccess(email: string): void {
    this.repository.clearFailure(throttleKey('email', email));
  }
}
