import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../errors.ts';
import { makeTempDir } from '../sqlite/test-support.ts';
import { createLocalBlobStore, validateBlobKey } from './local.ts';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('validateBlobKey', () => {
  it.each([
    ['../x', /'\.\.' segment/],
    ['a/../b', /'\.\.' segment/],
    ['./a', /'\.' segment/],
    ['/abs', /absolute/],
    ['C:/x', /absolute/],
    ['a//b', /empty segment/],
    ['a/', /empty segment/],
    ['', /empty/],
    ['a\\b', /only A-Z/],
    ['a b', /only A-Z/],
    ['.hidden', /do not start with \./],
    ['ü', /only A-Z/],
  ])('rejects %j', (key, reason) => {
    expect(() => validateBlobKey(key)).toThrow(InvalidInputError);
    expect(() => validateBlobKey(key)).toThrow(reason);
  });

  it('accepts relative keys of safe segments', () => {
    expect(validateBlobKey('sessions/ses_1/art_AbC-9.webm')).toEqual(['sessions', 'ses_1', 'art_AbC-9.webm']);
  });
});

describe('createLocalBlobStore', () => {
  it('round-trips bytes, returns null for a missing key and deletes idempotently', async () => {
    const blobs = createLocalBlobStore(path.join(makeTempDir(), 'blobs'));
    await blobs.put('a/b/c.bin', bytes('hello'));
    expect(Buffer.from((await blobs.get('a/b/c.bin'))!).toString()).toBe('hello');
    await blobs.put('a/b/c.bin', bytes('replaced'));
    expect(Buffer.from((await blobs.get('a/b/c.bin'))!).toString()).toBe('replaced');
    expect(await blobs.get('a/b/missing')).toBeNull();
    await blobs.delete('a/b/c.bin');
    await blobs.delete('a/b/c.bin');
    expect(await blobs.get('a/b/c.bin')).toBeNull();
  });

  it('writes files 0600 in folders 0700 and leaves no temp files', async () => {
    const root = path.join(makeTempDir(), 'blobs');
    const blobs = createLocalBlobStore(root);
    await blobs.put('sessions/s1/x', bytes('x'));
    const file = blobs.localPath('sessions/s1/x')!;
    expect(file).toBe(path.join(root, 'sessions', 's1', 'x'));
    expect(path.isAbsolute(file)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(root, 'sessions', 's1')).mode & 0o777).toBe(0o700);
    expect(statSync(root).mode & 0o777).toBe(0o700);
    expect(readdirSync(path.dirname(file))).toEqual(['x']);
  });

  it('refuses bad keys on every method', async () => {
    const blobs = createLocalBlobStore(makeTempDir());
    await expect(blobs.put('../escape', bytes('x'))).rejects.toThrow(InvalidInputError);
    await expect(blobs.get('/etc/passwd')).rejects.toThrow(InvalidInputError);
    await expect(blobs.delete('a//b')).rejects.toThrow(InvalidInputError);
    expect(() => blobs.localPath('../x')).toThrow(InvalidInputError);
  });
});
