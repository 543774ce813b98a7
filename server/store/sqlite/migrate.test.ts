import { statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SchemaVersionError } from '../errors.ts';
import { applyMigrations } from './migrate.ts';
import { MIGRATIONS } from './migrations.ts';
import { openSqliteStore } from './store.ts';
import { makeTempDir, openTestStore } from './test-support.ts';

function appliedRows(file: string): { version: number; name: string; applied_at: string }[] {
  const db = new Database(file);
  try {
    return db.prepare('SELECT version, name, applied_at FROM schema_migrations ORDER BY version').all() as {
      version: number;
      name: string;
      applied_at: string;
    }[];
  } finally {
    db.close();
  }
}

describe('migrations', () => {
  it('apply once on a new database and not again on reopen', () => {
    const dir = makeTempDir();
    const file = path.join(dir, 'attest.db');
    openSqliteStore({ dataDir: dir, clock: () => new Date('2025-01-01T00:00:00Z') }).close();
    const first = appliedRows(file);
    expect(first.map((row) => row.version)).toEqual(MIGRATIONS.map((migration) => migration.version));
    expect(first[0]!.applied_at).toBe('2025-01-01T00:00:00.000Z');

    openSqliteStore({ dataDir: dir, clock: () => new Date('2026-01-01T00:00:00Z') }).close();
    expect(appliedRows(file)).toEqual(first);
  });

  it('creates the data folder 0700, the database file 0600, in WAL mode with foreign keys', () => {
    const dir = path.join(makeTempDir(), 'nested', 'data');
    const store = openTestStore(dir);
    const file = path.join(dir, 'attest.db');
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const db = new Database(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    store.close();
    store.close(); // idempotent
  });

  it('honours dbFile', () => {
    const dir = makeTempDir();
    const file = path.join(dir, 'elsewhere', 'custom.db');
    openSqliteStore({ dataDir: path.join(dir, 'data'), dbFile: file }).close();
    expect(appliedRows(file).length).toBe(MIGRATIONS.length);
  });

  it('refuses a database with a newer schema version, with a clear message', () => {
    const dir = makeTempDir();
    const file = path.join(dir, 'attest.db');
    openSqliteStore({ dataDir: dir }).close();
    const db = new Database(file);
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
      999,
      'from the future',
      '2030-01-01T00:00:00.000Z',
    );
    db.close();
    expect(() => openSqliteStore({ dataDir: dir })).toThrow(SchemaVersionError);
    expect(() => openSqliteStore({ dataDir: dir })).toThrow(new RegExp(`schema version 999.*knows versions up to ${MIGRATIONS.at(-1)?.version}\\b`));
  });

  it('refuses a database whose history names a migration differently', () => {
    const dir = makeTempDir();
    const file = path.join(dir, 'attest.db');
    openSqliteStore({ dataDir: dir }).close();
    const db = new Database(file);
    db.prepare("UPDATE schema_migrations SET name = 'something else' WHERE version = 1").run();
    db.close();
    expect(() => openSqliteStore({ dataDir: dir })).toThrow(/different migration history/);
  });

  it('rolls back a failing migration entirely and keeps the ones before it', () => {
    const db = new Database(path.join(makeTempDir(), 'test.db'));
    const migrations = [
      { version: 1, name: 'one', sql: 'CREATE TABLE a (x INTEGER)' },
      { version: 2, name: 'two', sql: 'CREATE TABLE b (x INTEGER); INSERT INTO nowhere VALUES (1);' },
    ];
    expect(() => applyMigrations(db, migrations)).toThrow(/migration 2 \(two\) failed/);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(['a', 'schema_migrations']);
    expect(db.prepare('SELECT version FROM schema_migrations').pluck().all()).toEqual([1]);

    expect(applyMigrations(db, [migrations[0]!, { version: 2, name: 'two', sql: 'CREATE TABLE b (x INTEGER)' }])).toEqual([2]);
    expect(applyMigrations(db, migrations)).toEqual([]);
    db.close();
  });

  it('rejects a migration list that is not in increasing order', () => {
    const db = new Database(':memory:');
    expect(() =>
      applyMigrations(db, [
        { version: 2, name: 'b', sql: '' },
        { version: 1, name: 'a', sql: '' },
      ]),
    ).toThrow(/increasing/);
    db.close();
  });
});
