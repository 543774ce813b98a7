/**
 * Artifacts: bytes in the blob store, metadata in SQLite, and an 'ArtifactStored' event in the
 * session's chain. The blob is written first; the row and the event follow in one transaction,
 * so a crash in between leaves at worst an unreferenced blob, never a row without bytes.
 */
import { createHash, randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import { ConflictError, IntegrityError, InvalidInputError } from '../errors.ts';
import type { ArtifactRecord, ArtifactRepository, BlobStore } from '../types.ts';
import { prepareEvents, type PreparedEvent } from './events.ts';
import type { SessionWriter } from './sessions.ts';
import { requireText, requireTimestamp } from './validate.ts';

export const ARTIFACT_STORED = 'ArtifactStored';

interface ArtifactRow {
  id: string;
  session_id: string;
  kind: string;
  mime: string;
  size: number;
  sha256: string;
  blob_key: string;
  created_at: string;
}

const COLUMNS = 'id, session_id, kind, mime, size, sha256, blob_key, created_at';

export function newArtifactId(): string {
  return `art_${randomBytes(16).toString('base64url')}`;
}

export function createArtifactRepository(
  db: Database.Database,
  blobs: BlobStore,
  sessions: SessionWriter,
  now: () => string,
): ArtifactRepository {
  const insert = db.prepare<[string, string, string, string, number, string, string, string]>(
    `INSERT INTO artifacts (id, session_id, kind, mime, size, sha256, blob_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const selectById = db.prepare<[string], ArtifactRow>(`SELECT ${COLUMNS} FROM artifacts WHERE id = ?`);
  const selectBySession = db.prepare<[string], ArtifactRow>(
    `SELECT ${COLUMNS} FROM artifacts WHERE session_id = ? ORDER BY created_at, rowid`,
  );

  const record = db.transaction((artifact: ArtifactRecord, expectedVersion: number | null, events: PreparedEvent[]) => {
    insert.run(
      artifact.id,
      artifact.sessionId,
      artifact.kind,
      artifact.mime,
      artifact.size,
      artifact.sha256,
      artifact.blobKey,
      artifact.createdAt,
    );
    sessions.commit(artifact.sessionId, expectedVersion, {}, events, artifact.createdAt);
  });

  return {
    async put(sessionId, kind, mime, bytes, options = {}) {
      requireText(kind, 'kind');
      requireText(mime, 'mime');
      if (!(bytes instanceof Uint8Array)) throw new InvalidInputError('bytes must be a Uint8Array');
      const createdAt = options.at === undefined ? now() : requireTimestamp(options.at, 'options.at');
      const expectedVersion = options.expectedVersion ?? null;

      // Fail before writing any bytes when the session is unknown or already moved on.
      const current = sessions.version(sessionId);
      if (expectedVersion !== null && current !== expectedVersion) {
        throw new ConflictError(sessionId, expectedVersion, current);
      }

      const id = newArtifactId();
      const artifact: ArtifactRecord = {
        id,
        sessionId,
        kind,
        mime,
        size: bytes.byteLength,
        sha256: sha256Hex(bytes),
        blobKey: `sessions/${sessionId}/${id}`,
        createdAt,
      };
      const events = prepareEvents([
        {
          type: ARTIFACT_STORED,
          at: createdAt,
          payload: { artifactId: id, kind, mime, size: artifact.size, sha256: artifact.sha256 },
        },
      ]);

      await blobs.put(artifact.blobKey, bytes);
      try {
        record.immediate(artifact, expectedVersion, events);
      } catch (error) {
        await blobs.delete(artifact.blobKey).catch(() => undefined);
        throw error;
      }
      return artifact;
    },

    list(sessionId) {
      return selectBySession.all(sessionId).map(toRecord);
    },

    async read(artifactId) {
      const row = selectById.get(artifactId);
      if (!row) return null;
      const artifact = toRecord(row);
      const bytes = await blobs.get(artifact.blobKey);
      if (!bytes) throw new IntegrityError(`artifact ${artifactId}: its blob is missing`);
      if (bytes.byteLength !== artifact.size || sha256Hex(bytes) !== artifact.sha256) {
        throw new IntegrityError(`artifact ${artifactId}: its bytes do not match the recorded sha256`);
      }
      return { record: artifact, bytes };
    },
  };
}

function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function toRecord(row: ArtifactRow): ArtifactRecord {
  return {
    id: row.id,
    sessionId: row.session_id,
    kind: row.kind,
    mime: row.mime,
    size: row.size,
    sha256: row.sha256,
    blobKey: row.blob_key,
    createdAt: row.created_at,
  };
}
