/**
 * Blob store in a local folder. Keys are relative paths of [A-Za-z0-9._-] segments joined by
 * '/'; a segment may not start with '.' (that rules out '.' and '..' and keeps the names used
 * for temporary files apart). Writes are atomic: a temp file in the same folder is written,
 * fsynced and renamed over the target, then the folder is fsynced. Files are 0600, folders 0700.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { InvalidInputError } from '../errors.ts';
import type { BlobStore } from '../types.ts';

const SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;
const MAX_KEY_LENGTH = 512;

/** Throws an InvalidInputError saying what is wrong with `key`, or returns its segments. */
export function validateBlobKey(key: string): string[] {
  const fail = (reason: string): never => {
    throw new InvalidInputError(`invalid blob key ${JSON.stringify(key)}: ${reason}`);
  };
  if (typeof key !== 'string' || key.length === 0) return fail('empty');
  if (key.length > MAX_KEY_LENGTH) return fail(`longer than ${MAX_KEY_LENGTH} characters`);
  if (key.startsWith('/') || key.startsWith('\\') || /^[A-Za-z]:/.test(key)) return fail('absolute path');
  const segments = key.split('/');
  for (const segment of segments) {
    if (segment === '') return fail('empty segment');
    if (segment === '.' || segment === '..') return fail(`'${segment}' segment`);
    if (!SEGMENT.test(segment)) return fail('segments use only A-Z a-z 0-9 . _ - and do not start with .');
  }
  return segments;
}

export function createLocalBlobStore(rootDir: string): BlobStore {
  const root = path.resolve(rootDir);
  mkdirSync(root, { recursive: true, mode: 0o700 });

  const resolve = (key: string): string => path.join(root, ...validateBlobKey(key));

  return {
    async put(key, bytes) {
      const target = resolve(key);
      const folder = path.dirname(target);
      await mkdir(folder, { recursive: true, mode: 0o700 });
      const temp = path.join(folder, `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
      const file = await open(temp, 'wx', 0o600);
      try {
        await file.writeFile(bytes);
        await file.sync();
      } catch (error) {
        await file.close();
        await unlink(temp).catch(() => undefined);
        throw error;
      }
      await file.close();
      try {
        await rename(temp, target);
      } catch (error) {
        await unlink(temp).catch(() => undefined);
        throw error;
      }
      await syncFolder(folder);
    },

    async get(key) {
      try {
        return await readFile(resolve(key));
      } catch (error) {
        if (isNotFound(error)) return null;
        throw error;
      }
    },

    async delete(key) {
      try {
        await unlink(resolve(key));
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    },

    localPath(key) {
      return resolve(key);
    },
  };
}

/** Makes the rename durable. Some platforms cannot fsync a folder; the data itself is synced. */
async function syncFolder(folder: string): Promise<void> {
  let handle;
  try {
    handle = await open(folder, 'r');
    await handle.sync();
  } catch {
    // best effort
  } finally {
    await handle?.close();
  }
}

function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}
