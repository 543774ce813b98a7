import { createHash } from 'node:crypto';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConflictError, IntegrityError, NotFoundError } from '../errors.ts';
import { event, makeTempDir, newSession, openTestStore } from './test-support.ts';

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const AT = '2025-01-01T10:03:00.000Z';

describe('artifacts', () => {
  it('round-trips bytes and records them in the session chain', async () => {
    const dir = makeTempDir();
    const store = openTestStore(dir);
    const input = newSession();
    store.sessions.create(input, event('SessionCreated', {}));
    const bytes = new Uint8Array([0, 1, 2, 250, 255]);

    const record = await store.artifacts.put(input.id, 'document-front', 'image/jpeg', bytes, { at: AT });
    expect(record).toEqual({
      id: expect.stringMatching(/^art_[A-Za-z0-9_-]{22}$/),
      sessionId: input.id,
      kind: 'document-front',
      mime: 'image/jpeg',
      size: 5,
      sha256: sha256(bytes),
      blobKey: `sessions/${input.id}/${record.id}`,
      createdAt: AT,
    });
    expect(store.blobs.localPath(record.blobKey)).toBe(path.join(dir, 'blobs', 'sessions', input.id, record.id));

    const read = await store.artifacts.read(record.id);
    expect(read?.record).toEqual(record);
    expect(Buffer.from(read!.bytes).equals(Buffer.from(bytes))).toBe(true);
    expect(store.artifacts.list(input.id)).toEqual([record]);
    expect(await store.artifacts.read('art_unknown')).toBeNull();

    const events = store.events.list(input.id);
    expect(events.at(-1)).toMatchObject({
      seq: 2,
      type: 'ArtifactStored',
      at: AT,
      payload: { artifactId: record.id, kind: 'document-front', mime: 'image/jpeg', size: 5, sha256: sha256(bytes) },
    });
    expect(store.events.verifyChain(input.id)).toMatchObject({ ok: true, count: 2 });
    expect(store.sessions.findById(input.id)).toMatchObject({ version: 2, updatedAt: AT });
  });

  it('throws IntegrityError when the blob file was changed or removed', async () => {
    const store = openTestStore(makeTempDir());
    const input = newSession();
    store.sessions.create(input, event('SessionCreated', {}));
    const record = await store.artifacts.put(input.id, 'selfie', 'image/png', new TextEncoder().encode('picture'));
    const file = store.blobs.localPath(record.blobKey)!;

    writeFileSync(file, 'pictura');
    await expect(store.artifacts.read(record.id)).rejects.toThrow(IntegrityError);
    await store.blobs.delete(record.blobKey);
    await expect(store.artifacts.read(record.id)).rejects.toThrow(/missing/);
  });

  it('writes nothing for an unknown session or a stale expected version', async () => {
    const dir = makeTempDir();
    const store = openTestStore(dir);
    await expect(store.artifacts.put('ses_missing', 'selfie', 'image/png', new Uint8Array([1]))).rejects.toThrow(
      NotFoundError,
    );

    const input = newSession();
    store.sessions.create(input, event('SessionCreated', {}));
    store.sessions.update(input.id, 1, {}, [event('Moved', {})]);
    await expect(
      store.artifacts.put(input.id, 'selfie', 'image/png', new Uint8Array([1]), { expectedVersion: 1 }),
    ).rejects.toThrow(ConflictError);

    expect(store.artifacts.list(input.id)).toEqual([]);
    expect(store.events.list(input.id)).toHaveLength(2);
    expect(existsSync(path.join(dir, 'blobs', 'sessions'))).toBe(false);

    const stored = await store.artifacts.put(input.id, 'selfie', 'image/png', new Uint8Array([1]), { expectedVersion: 2 });
    expect(store.sessions.findById(input.id)?.version).toBe(3);
    expect(readdirSync(path.join(dir, 'blobs', 'sessions', input.id))).toEqual([stored.id]);
  });

  it('keeps artifacts and their chain across a reopen', async () => {
    const dir = makeTempDir();
    const first = openTestStore(dir);
    const input = newSession();
    first.sessions.create(input, event('SessionCreated', {}));
    const record = await first.artifacts.put(input.id, 'recording', 'video/webm', new Uint8Array(4096).fill(7));
    first.close();

    const second = openTestStore(dir);
    expect(second.artifacts.list(input.id)).toEqual([record]);
    expect((await second.artifacts.read(record.id))?.bytes.byteLength).toBe(4096);
    expect(second.events.verifyChain(input.id)).toMatchObject({ ok: true, count: 2 });
  });
});
