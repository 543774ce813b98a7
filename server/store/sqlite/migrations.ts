/**
 * Schema migrations, applied in order, each in its own transaction, recorded in
 * schema_migrations. A released migration never changes: add a new one instead (the runner
 * refuses a database whose recorded names differ from these).
 */

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const GENESIS_HASH_SQL = `'${'0'.repeat(64)}'`;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
      CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        reference TEXT NOT NULL UNIQUE,
        token_hash TEXT NOT NULL UNIQUE,
        status TEXT NOT NULL,
        locale TEXT NOT NULL,
        script_id TEXT NOT NULL,
        script_hash TEXT NOT NULL,
        external_ref TEXT,
        state_json TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        ended_at TEXT,
        version INTEGER NOT NULL CHECK (version >= 1),
        -- Last event of the chain, kept here so that cutting events off the end is detected.
        head_seq INTEGER NOT NULL DEFAULT 0,
        head_hash TEXT NOT NULL DEFAULT ${GENESIS_HASH_SQL}
      ) STRICT;
      CREATE INDEX sessions_status_created_at ON sessions (status, created_at);
      CREATE INDEX sessions_created_at ON sessions (created_at);

      CREATE TABLE events (
        session_id TEXT NOT NULL REFERENCES sessions (id),
        seq INTEGER NOT NULL CHECK (seq >= 1),
        type TEXT NOT NULL,
        at TEXT NOT NULL,
        payload_json TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL,
        PRIMARY KEY (session_id, seq)
      ) STRICT;

      -- Append-only. This stops mistakes, not an attacker with the file: the hash chain
      -- (events.verifyChain) is what detects tampering.
      CREATE TRIGGER events_no_update BEFORE UPDATE ON events
      BEGIN
        SELECT RAISE(ABORT, 'events are append-only: UPDATE is not allowed');
      END;
      CREATE TRIGGER events_no_delete BEFORE DELETE ON events
      BEGIN
        SELECT RAISE(ABORT, 'events are append-only: DELETE is not allowed');
      END;
      -- INSERT OR REPLACE deletes the old row without firing delete triggers; refuse it here.
      CREATE TRIGGER events_no_replace BEFORE INSERT ON events
      WHEN EXISTS (SELECT 1 FROM events WHERE session_id = NEW.session_id AND seq = NEW.seq)
      BEGIN
        SELECT RAISE(ABORT, 'events are append-only: an event with this seq exists');
      END;

      CREATE TABLE script_versions (
        hash TEXT PRIMARY KEY,
        script_id TEXT NOT NULL,
        source TEXT NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX script_versions_script_id ON script_versions (script_id, created_at);

      CREATE TABLE artifacts (
        id TEXT PRIMARY KEY,
        session_id TEXT NOT NULL REFERENCES sessions (id),
        kind TEXT NOT NULL,
        mime TEXT NOT NULL,
        size INTEGER NOT NULL CHECK (size >= 0),
        sha256 TEXT NOT NULL,
        blob_key TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX artifacts_session_id ON artifacts (session_id, created_at);
      CREATE INDEX artifacts_created_at ON artifacts (created_at);
    `,
  },
];
