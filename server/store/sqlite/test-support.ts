/** Helpers for the store's unit tests: a fresh temp folder per test, removed afterwards. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { onTestFinished } from 'vitest';
import type { NewEvent, NewSession, Store } from '../types.ts';
import { openSqliteStore, type SqliteStoreOptions } from './store.ts';

export function makeTempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'attest-store-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Opens a store in `dataDir` and closes it when the test ends. */
export function openTestStore(dataDir: string, options: Partial<SqliteStoreOptions> = {}): Store {
  const store = openSqliteStore({ dataDir, ...options });
  onTestFinished(() => store.close());
  return store;
}

let counter = 0;

export function newSession(overrides: Partial<NewSession> = {}): NewSession {
  counter++;
  return {
    id: `ses_test${counter}`,
    reference: `ATT-TEST-${String(counter).padStart(4, '0')}`,
    tokenHash: counter.toString(16).padStart(64, '0'),
    status: 'pending',
    locale: 'en',
    scriptId: 'account-opening',
    scriptHash: 'a'.repeat(64),
    externalRef: null,
    state: { stepId: null, answers: {} },
    createdAt: '2025-01-01T10:00:00.000Z',
    expiresAt: '2025-01-02T10:00:00.000Z',
    ...overrides,
  };
}

export function event(type: string, payload: unknown, at = '2025-01-01T10:00:01.000Z'): NewEvent {
  return { type, payload, at };
}
