/**
 * The SQLite store: one database file (WAL, foreign keys, synchronous=FULL) plus a local blob
 * folder. Opening creates the folders, applies pending migrations and fails with a clear error
 * when the file cannot be used, so a bad data folder stops startup rather than a session.
 */
import { closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createLocalBlobStore } from '../blobs/local.ts';
import type { Store } from '../types.ts';
import { createAccessLogRepository } from './access-log.ts';
import { createArtifactRepository } from './artifacts.ts';
import { createEventRepository, createEventWriter } from './events.ts';
import { applyMigrations } from './migrate.ts';
import { MIGRATIONS } from './migrations.ts';
import { createReviewIndexer } from './review-index.ts';
import { createReviewIndexRepository } from './review-queue.ts';
import { createScriptLibraryRepository } from './script-library.ts';
import { createScriptVersionRepository } from './scripts.ts';
import { createSessionRepository, createSessionWriter } from './sessions.ts';
import { createStaffRepository } from './staff.ts';

export interface SqliteStoreOptions {
  /** Folder for the database and, by default, the blobs. Created (0700) if missing. */
  dataDir: string;
  /** Database file; default `<dataDir>/attest.db`. */
  dbFile?: string;
  /** Blob folder; default `<dataDir>/blobs`. */
  blobDir?: string;
  /** Source of timestamps the store makes itself (updatedAt, artifact createdAt); default: the system clock. */
  clock?: () => Date;
  /** How long a write waits for another connection's lock; default 5000 ms. */
  busyTimeoutMs?: number;
}

export function openSqliteStore(options: SqliteStoreOptions): Store {
  const dataDir = path.resolve(options.dataDir);
  const dbFile = options.dbFile === undefined ? path.join(dataDir, 'attest.db') : path.resolve(options.dbFile);
  const clock = options.clock ?? (() => new Date());
  const now = (): string => clock().toISOString();

  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  mkdirSync(path.dirname(dbFile), { recursive: true, mode: 0o700 });
  // Create the file ourselves so it is 0600; SQLite gives the -wal and -shm files the same mode.
  closeSync(openSync(dbFile, 'a', 0o600));

  const db = new Database(dbFile);
  try {
    configure(db, options.busyTimeoutMs ?? 5000);
    applyMigrations(db, MIGRATIONS, now);
  } catch (error) {
    db.close();
    throw error;
  }

  const blobs = createLocalBlobStore(options.blobDir ?? path.join(dataDir, 'blobs'));
  const reviewIndexer = createReviewIndexer(db);
  reviewIndexer.catchUp();
  const eventWriter = createEventWriter(db, reviewIndexer);
  const sessionWriter = createSessionWriter(db, eventWriter);

  return {
    sessions: createSessionRepository(db, eventWriter, sessionWriter, now),
    events: createEventRepository(db),
    scripts: createScriptVersionRepository(db),
    scriptLibrary: createScriptLibraryRepository(db, createScriptVersionRepository(db)),
    artifacts: createArtifactRepository(db, blobs, sessionWriter, now),
    blobs,
    staff: createStaffRepository(db),
    accessLog: createAccessLogRepository(db, now),
    transaction: (fn) => db.transaction(fn)(),
    review: createReviewIndexRepository(db),
    close() {
      if (!db.open) return;
      db.pragma('optimize');
      db.close();
    },
  };
}

function configure(db: Database.Database, busyTimeoutMs: number): void {
  db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
  const journalMode: unknown = db.pragma('journal_mode = WAL', { simple: true });
  if (journalMode !== 'wal') {
    throw new Error(
      `could not switch ${db.name} to WAL journal mode (got ${String(journalMode)}); ` +
        'the data folder must be on a local filesystem',
    );
  }
  // FULL: a committed audit event survives power loss, not only a process crash.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  if (db.pragma('foreign_keys', { simple: true }) !== 1) {
    throw new Error(`could not enable foreign keys on ${db.name}`);
  }
}
