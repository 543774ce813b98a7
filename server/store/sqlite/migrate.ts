/**
 * Migration runner: applies the migrations a database does not have yet, each in its own
 * IMMEDIATE transaction (so two processes opening the same file at once do not both apply one),
 * and refuses a database that is ahead of this build or has a different migration history.
 */
import type Database from 'better-sqlite3';
import { SchemaVersionError } from '../errors.ts';
import { MIGRATIONS, type Migration } from './migrations.ts';

interface AppliedRow {
  version: number;
  name: string;
}

/** Returns the versions applied by this call (empty when the database was up to date). */
export function applyMigrations(
  db: Database.Database,
  migrations: readonly Migration[] = MIGRATIONS,
  now: () => string = () => new Date().toISOString(),
): number[] {
  checkMigrationList(migrations);
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  ) STRICT`);
  const selectApplied = db.prepare<[], AppliedRow>('SELECT version, name FROM schema_migrations ORDER BY version');
  const selectOne = db.prepare<[number], { version: number }>('SELECT version FROM schema_migrations WHERE version = ?');
  const insert = db.prepare<[number, string, string]>(
    'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
  );

  const applied = selectApplied.all();
  checkHistory(db.name, applied, migrations);
  const known = new Set(applied.map((row) => row.version));

  const appliedNow: number[] = [];
  for (const migration of migrations) {
    if (known.has(migration.version)) continue;
    const run = db.transaction(() => {
      // Another process may have applied it while we waited for the write lock.
      if (selectOne.get(migration.version)) return false;
      db.exec(migration.sql);
      insert.run(migration.version, migration.name, now());
      return true;
    });
    try {
      if (run.immediate()) appliedNow.push(migration.version);
    } catch (error) {
      throw new Error(
        `migration ${migration.version} (${migration.name}) failed on ${db.name}; nothing of it was applied`,
        { cause: error },
      );
    }
  }
  return appliedNow;
}

function checkMigrationList(migrations: readonly Migration[]): void {
  let previous = 0;
  for (const migration of migrations) {
    if (!Number.isInteger(migration.version) || migration.version <= previous) {
      throw new Error(`migrations must have increasing integer versions; ${migration.version} follows ${previous}`);
    }
    previous = migration.version;
  }
}

function checkHistory(file: string, applied: AppliedRow[], migrations: readonly Migration[]): void {
  const latestKnown = migrations.at(-1)?.version ?? 0;
  const latestApplied = applied.at(-1)?.version ?? 0;
  if (latestApplied > latestKnown) {
    throw new SchemaVersionError(
      `database ${file} has schema version ${latestApplied}, but this build knows versions up to ` +
        `${latestKnown}. It was written by a newer Attest: run that version or restore a backup. Refusing to start.`,
    );
  }
  const byVersion = new Map(migrations.map((migration) => [migration.version, migration.name]));
  for (const row of applied) {
    const name = byVersion.get(row.version);
    if (name !== row.name) {
      throw new SchemaVersionError(
        `database ${file} records migration ${row.version} as "${row.name}", but this build ` +
          (name === undefined ? 'has no such migration' : `calls it "${name}"`) +
          '. The database comes from a different migration history. Refusing to start.',
      );
    }
  }
}
