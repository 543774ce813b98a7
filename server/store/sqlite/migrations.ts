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
  {
    version: 2,
    name: 'staff accounts and access log',
    sql: `
      CREATE TABLE staff_users (
        id TEXT PRIMARY KEY,
        -- Stored lowercased; compared exactly.
        email TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL CHECK (role IN ('reviewer', 'script_editor', 'admin')),
        -- 'scrypt$<log2 N>$<r>$<p>$<salt b64>$<hash b64>': parameters stored with each hash.
        password_hash TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        disabled_at TEXT
      ) STRICT;

      -- A signed-in browser. Only the sha256 of the cookie value is stored.
      CREATE TABLE staff_logins (
        token_hash TEXT PRIMARY KEY,
        staff_id TEXT NOT NULL REFERENCES staff_users (id),
        created_at TEXT NOT NULL,
        last_seen_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX staff_logins_staff_id ON staff_logins (staff_id);

      -- Failed sign-ins per key (sha256 of 'email:<address>' or 'ip:<address>'), kept in the
      -- database so a restart does not reset the throttle.
      CREATE TABLE staff_login_failures (
        key_hash TEXT PRIMARY KEY,
        failures INTEGER NOT NULL CHECK (failures >= 0),
        last_failure_at TEXT NOT NULL,
        locked_until TEXT
      ) STRICT;

      -- Who looked at or changed what. Append-only like events.
      CREATE TABLE access_log (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        staff_id TEXT NOT NULL REFERENCES staff_users (id),
        action TEXT NOT NULL,
        session_id TEXT,
        detail_json TEXT NOT NULL
      ) STRICT;
      CREATE INDEX access_log_session_id ON access_log (session_id, id);
      CREATE INDEX access_log_staff_id ON access_log (staff_id, id);
      CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log
      BEGIN
        SELECT RAISE(ABORT, 'the access log is append-only: UPDATE is not allowed');
      END;
      CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log
      BEGIN
        SELECT RAISE(ABORT, 'the access log is append-only: DELETE is not allowed');
      END;
      CREATE TRIGGER access_log_no_replace BEFORE INSERT ON access_log
      WHEN EXISTS (SELECT 1 FROM access_log WHERE id = NEW.id)
      BEGIN
        SELECT RAISE(ABORT, 'the access log is append-only: an entry with this id exists');
      END;
    `,
  },
  {
    version: 3,
    name: 'review queue index',
    sql: `
      -- Maintained by the event writer in the same transaction as every append
      -- (server/review/flags.ts says which events raise which flag or decision).
      CREATE TABLE review_index (
        session_id TEXT PRIMARY KEY REFERENCES sessions (id),
        -- Last event seq folded in; behind head_seq only for sessions stored before this table.
        indexed_seq INTEGER NOT NULL DEFAULT 0,
        -- Space-separated, sorted: what the queue shows.
        flags TEXT NOT NULL DEFAULT '',
        decision TEXT,
        decided_at TEXT
      ) STRICT;
      CREATE INDEX review_index_decision ON review_index (decision);
      CREATE TABLE review_flags (
        session_id TEXT NOT NULL REFERENCES sessions (id),
        flag TEXT NOT NULL,
        PRIMARY KEY (session_id, flag)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX review_flags_flag ON review_flags (flag, session_id);
      -- The queue is newest first, paged by (created_at, id).
      CREATE INDEX sessions_created_at_id ON sessions (created_at, id);
    `,
  },
  {
    version: 4,
    name: 'script studio: drafts and published versions',
    sql: `
      -- Every publication of a script, numbered per script id. Immutable: a rollback is a new
      -- row naming an older hash. The source is in script_versions (by content hash).
      CREATE TABLE script_publications (
        script_id TEXT NOT NULL,
        version INTEGER NOT NULL CHECK (version >= 1),
        hash TEXT NOT NULL REFERENCES script_versions (hash),
        -- Staff id and email at the time; NULL = imported from the script files at startup.
        published_by TEXT,
        published_by_email TEXT,
        published_at TEXT NOT NULL,
        note TEXT,
        PRIMARY KEY (script_id, version)
      ) STRICT;
      CREATE TRIGGER script_publications_no_update BEFORE UPDATE ON script_publications
      BEGIN
        SELECT RAISE(ABORT, 'script publications are immutable: UPDATE is not allowed');
      END;
      CREATE TRIGGER script_publications_no_delete BEFORE DELETE ON script_publications
      BEGIN
        SELECT RAISE(ABORT, 'script publications are immutable: DELETE is not allowed');
      END;
      CREATE TRIGGER script_publications_no_replace BEFORE INSERT ON script_publications
      WHEN EXISTS (SELECT 1 FROM script_publications WHERE script_id = NEW.script_id AND version = NEW.version)
      BEGIN
        SELECT RAISE(ABORT, 'script publications are immutable: this version exists');
      END;

      -- The one working draft per script (saved even with lint errors; publishing checks it).
      CREATE TABLE script_drafts (
        script_id TEXT PRIMARY KEY,
        source TEXT NOT NULL,
        saved_by TEXT,
        saved_by_email TEXT,
        saved_at TEXT NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 5,
    name: 'review queue covering indexes',
    sql: `
      -- The queue picks a page's ids from these without reading the (wide) session rows.
      CREATE INDEX sessions_queue ON sessions (status, created_at, id, script_id);
      CREATE INDEX review_index_session_decision ON review_index (session_id, decision);
    `,
  },
];
