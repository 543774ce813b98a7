/**
 * The studio's script library: immutable publications numbered per script (the source lives in
 * script_versions by hash) and one draft per script. Callers wrap a publish and its access-log
 * entry in `store.transaction`.
 */
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { InvalidInputError } from '../errors.ts';
import type { ScriptDraft, ScriptLibraryRepository, ScriptPublication, ScriptVersionRepository } from '../types.ts';
import { requireText, requireTimestamp } from './validate.ts';

interface PublicationRow {
  script_id: string;
  version: number;
  hash: string;
  published_by: string | null;
  published_by_email: string | null;
  published_at: string;
  note: string | null;
}

interface DraftRow {
  script_id: string;
  source: string;
  saved_by: string | null;
  saved_by_email: string | null;
  saved_at: string;
}

const COLUMNS = 'script_id, version, hash, published_by, published_by_email, published_at, note';

function publication(row: PublicationRow): ScriptPublication {
  return {
    scriptId: row.script_id,
    version: row.version,
    hash: row.hash,
    publishedBy: row.published_by,
    publishedByEmail: row.published_by_email,
    publishedAt: row.published_at,
    note: row.note,
  };
}

function draft(row: DraftRow): ScriptDraft {
  return { scriptId: row.script_id, source: row.source, savedBy: row.saved_by, savedByEmail: row.saved_by_email, savedAt: row.saved_at };
}

export function createScriptLibraryRepository(db: Database.Database, versions: ScriptVersionRepository): ScriptLibraryRepository {
  const latest = db.prepare<[string], PublicationRow>(`SELECT ${COLUMNS} FROM script_publications WHERE script_id = ? ORDER BY version DESC LIMIT 1`);
  const latestAll = db.prepare<[], PublicationRow>(
    `SELECT ${COLUMNS} FROM script_publications p
     WHERE version = (SELECT MAX(version) FROM script_publications q WHERE q.script_id = p.script_id)
     ORDER BY script_id`,
  );
  const all = db.prepare<[string], PublicationRow>(`SELECT ${COLUMNS} FROM script_publications WHERE script_id = ? ORDER BY version DESC`);
  const one = db.prepare<[string, number], PublicationRow>(`SELECT ${COLUMNS} FROM script_publications WHERE script_id = ? AND version = ?`);
  const insert = db.prepare<[string, number, string, string | null, string | null, string, string | null]>(
    `INSERT INTO script_publications (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const upsertDraft = db.prepare<[string, string, string | null, string | null, string]>(
    `INSERT INTO script_drafts (script_id, source, saved_by, saved_by_email, saved_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (script_id) DO UPDATE SET source = excluded.source, saved_by = excluded.saved_by,
       saved_by_email = excluded.saved_by_email, saved_at = excluded.saved_at`,
  );
  const selectDraft = db.prepare<[string], DraftRow>('SELECT * FROM script_drafts WHERE script_id = ?');
  const selectDrafts = db.prepare<[], DraftRow>('SELECT * FROM script_drafts ORDER BY script_id');
  const removeDraft = db.prepare<[string]>('DELETE FROM script_drafts WHERE script_id = ?');

  const publish = db.transaction((input: Parameters<ScriptLibraryRepository['publish']>[0]): ScriptPublication => {
    const hash = createHash('sha256').update(input.source, 'utf8').digest('hex');
    versions.save(hash, input.scriptId, input.source, input.at);
    const version = (latest.get(input.scriptId)?.version ?? 0) + 1;
    insert.run(input.scriptId, version, hash, input.by?.id ?? null, input.by?.email ?? null, input.at, input.note);
    return publication({
      script_id: input.scriptId,
      version,
      hash,
      published_by: input.by?.id ?? null,
      published_by_email: input.by?.email ?? null,
      published_at: input.at,
      note: input.note,
    });
  });

  return {
    publish(input) {
      requireText(input.scriptId, 'scriptId');
      requireTimestamp(input.at, 'at');
      if (typeof input.source !== 'string') throw new InvalidInputError('source must be a string');
      return publish(input);
    },
    currentAll: () => latestAll.all().map(publication),
    current(scriptId) {
      const row = latest.get(scriptId);
      return row ? publication(row) : null;
    },
    versions: (scriptId) => all.all(scriptId).map(publication),
    version(scriptId, version) {
      const row = one.get(scriptId, version);
      return row ? publication(row) : null;
    },
    saveDraft(input) {
      requireText(input.scriptId, 'scriptId');
      requireTimestamp(input.savedAt, 'savedAt');
      if (typeof input.source !== 'string') throw new InvalidInputError('source must be a string');
      upsertDraft.run(input.scriptId, input.source, input.savedBy, input.savedByEmail, input.savedAt);
    },
    draft(scriptId) {
      const row = selectDraft.get(scriptId);
      return row ? draft(row) : null;
    },
    drafts: () => selectDrafts.all().map(draft),
    deleteDraft(scriptId) {
      removeDraft.run(scriptId);
    },
  };
}
