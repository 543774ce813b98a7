import { describe, expect, it } from 'vitest';
import { AppError } from '../http/errors.ts';
import { silentLogger } from '../log.ts';
import { makeTempDir, openTestStore } from '../store/sqlite/test-support.ts';
import { StaffService } from './service.ts';

const CHEAP = { log2N: 10, r: 8, p: 1 };

function setup() {
  const store = openTestStore(makeTempDir());
  let now = Date.parse('2026-01-01T08:00:00.000Z');
  const service = new StaffService({
    store,
    logger: silentLogger(),
    idleMs: 30 * 60_000,
    absoluteMs: 8 * 3600_000,
    now: () => new Date(now),
    cost: CHEAP,
  });
  return { store, service, advance: (ms: number) => (now += ms) };
}

async function code(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'no error';
  } catch (error) {
    return error instanceof AppError ? error.code : String(error);
  }
}

describe('StaffService logins', () => {
  it('ends a login after the idle limit, and keeps it alive while used', async () => {
    const { service, advance } = setup();
    await service.create({ email: 'r@example.test', role: 'reviewer', password: 'correct horse battery' }, null);
    const { token } = await service.login('R@example.test', 'correct horse battery', '127.0.0.1');
    for (let i = 0; i < 5; i++) {
      advance(20 * 60_000);
      expect(service.authenticate(token)?.staff.email).toBe('r@example.test');
    }
    advance(31 * 60_000);
    expect(service.authenticate(token)).toBeNull();
  });

  it('ends a login at the absolute limit however busy', async () => {
    const { service, advance } = setup();
    await service.create({ email: 'r@example.test', role: 'reviewer', password: 'correct horse battery' }, null);
    const { token } = await service.login('r@example.test', 'correct horse battery', '127.0.0.1');
    for (let i = 0; i < 15; i++) {
      advance(29 * 60_000);
      expect(service.authenticate(token)).not.toBeNull();
    }
    advance(29 * 60_000); // 16 x 29 min = 7 h 44 min
    advance(20 * 60_000);
    expect(service.authenticate(token)).toBeNull();
  });

  it('throttles after five failures for an address, even with the right password, and logs failures of known accounts', async () => {
    const { service, store, advance } = setup();
    const user = await service.create({ email: 'r@example.test', role: 'reviewer', password: 'correct horse battery' }, null);
    for (let i = 0; i < 5; i++) expect(await code(service.login('r@example.test', 'wrong password!!', '10.0.0.1'))).toBe('invalid_credentials');
    expect(await code(service.login('r@example.test', 'correct horse battery', '10.0.0.2'))).toBe('too_many_attempts');
    advance(31_000);
    expect((await service.login('r@example.test', 'correct horse battery', '10.0.0.2')).staff.id).toBe(user.id);
    expect(store.accessLog.list({ staffId: user.id }).map((e) => e.action).filter((a) => a === 'staff.login_failed')).toHaveLength(5);
  });

  it('rehashes a password stored with a lower cost at sign-in', async () => {
    const { service, store } = setup();
    const user = await service.create({ email: 'r@example.test', role: 'reviewer', password: 'correct horse battery' }, null);
    const stronger = new StaffService({ store, logger: silentLogger(), idleMs: 60_000, absoluteMs: 3600_000, cost: { log2N: 11, r: 8, p: 1 } });
    await stronger.login('r@example.test', 'correct horse battery', '127.0.0.1');
    expect(store.staff.findUserById(user.id)?.passwordHash).toMatch(/^scrypt\$11\$/);
  });
});
