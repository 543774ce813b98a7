/**
 * Script versions by content hash: a session pins a hash and can finish on that exact source
 * after the files change. The hash is checked on the way in and on the way out.
 */
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { IntegrityError, InvalidInputError } from '../errors.ts';
import type { ScriptVersionRepository } from '../types.ts';
import { requireSha256Hex, requireText, requireTimestamp } from './validate.ts';

interface ScriptRow {
  hash: string;
  script_id: string;
  source: string;
  created_at: string;
}

export function createScriptVersionRepository(db: Database.Database): ScriptVersionRepository {
  const insert = db.prepare<[string, string, string, string]>(
    `INSERT INTO script_versions (hash, script_id, source, created_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (hash) DO NOTHING`,
  );
  const select = db.prepare<[string], ScriptRow>(
    'SELECT hash, script_id, source, created_at FROM script_versions WHERE hash = ?',
  );

  return {
    save(hash, scriptId, source, at) {
      requireSha256Hex(hash, 'hash');
      requireText(scriptId, 'scriptId');
      if (typeof source !== 'string') throw new InvalidInputError('source must be a string');
      requireTimestamp(at, 'at');
      if (sha256Hex(source) !== hash) {
        throw new InvalidInputError(`script ${scriptId}: hash is not the sha256 of the source text (UTF-8)`);
      }
      insert.run(hash, scriptId, source, at);
    },

    get(hash) {
      const row = select.get(hash);
      if (!row) return null;
      if (sha256Hex(row.source) !== row.hash) {
        throw new IntegrityError(`script version ${row.hash}: stored source does not match its hash`);
      }
      return { hash: row.hash, scriptId: row.script_id, source: row.source, createdAt: row.created_at };
    },
  };
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
