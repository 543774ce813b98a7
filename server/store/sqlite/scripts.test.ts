import { createHash } from 'node:crypto';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { IntegrityError, InvalidInputError } from '../errors.ts';
import { makeTempDir, openTestStore } from './test-support.ts';

const source = 'id: account-opening\ntitle: { en: Open an account }\n';
const hash = createHash('sha256').update(source, 'utf8').digest('hex');
const AT = '2025-01-01T00:00:00.000Z';

describe('script versions', () => {
  it('stores a source by its hash, idempotently, and survives a reopen', () => {
    const dir = makeTempDir();
    const store = openTestStore(dir);
    store.scripts.save(hash, 'account-opening', source, AT);
    store.scripts.save(hash, 'account-opening', source, '2025-02-01T00:00:00.000Z');
    expect(store.scripts.get(hash)).toEqual({ hash, scriptId: 'account-opening', source, createdAt: AT });
    expect(store.scripts.get('0'.repeat(64))).toBeNull();
    store.close();
    expect(openTestStore(dir).scripts.get(hash)?.source).toBe(source);
  });

  it('refuses a hash that is not the sha256 of the source', () => {
    const store = openTestStore(makeTempDir());
    expect(() => store.scripts.save(hash, 'account-opening', `${source} `, AT)).toThrow(InvalidInputError);
  });

  it('throws IntegrityError when the stored source was changed', () => {
    const dir = makeTempDir();
    const store = openTestStore(dir);
    store.scripts.save(hash, 'account-opening', source, AT);
    const raw = new Database(path.join(dir, 'attest.db'));
    raw.prepare('UPDATE script_versions SET source = ? WHERE hash = ?').run(`${source}# edited\n`, hash);
    raw.close();
    expect(() => store.scripts.get(hash)).toThrow(IntegrityError);
  });
});
