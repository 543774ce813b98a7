import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { dosDateTime, ZipWriter } from './zip.ts';

const hasUnzip = spawnSync('unzip', ['-v']).status === 0;
if (!hasUnzip) console.warn('zip test: `unzip` is not installed (apt-get install unzip); checking with the archive reader below only');

function build(entries: [string, Uint8Array, boolean?][]): Buffer {
  const zip = new ZipWriter();
  const chunks: Buffer[] = [];
  for (const [name, bytes, compress] of entries) {
    if (name.endsWith('.mp4')) {
      // As a file streamed from disk: header first, then the bytes in pieces.
      const crc = crc32(bytes.subarray(1000), crc32(bytes.subarray(0, 1000)));
      chunks.push(...zip.addStoredHeader(name, { size: bytes.byteLength, crc, date: new Date('2026-11-28T10:20:30Z') }));
      chunks.push(Buffer.from(bytes.subarray(0, 1000)), Buffer.from(bytes.subarray(1000)));
    } else chunks.push(...zip.add(name, bytes, { compress: compress ?? true, date: new Date('2026-11-28T10:20:30Z') }));
  }
  chunks.push(zip.finish());
  return Buffer.concat(chunks);
}

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('zip writer', () => {
  const text = Buffer.from('WEBVTT\n\n'.repeat(500) + '中文 transcript\n');
  const media = randomBytes(70_000);
  const archive = build([
    ['timeline.vtt', text],
    ['recording/segment-1.mp4', media, false],
    ['empty.txt', new Uint8Array(0)],
  ]);

  it.skipIf(!hasUnzip)('writes archives that Info-ZIP lists, tests and extracts byte for byte', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attest-zip-'));
    const file = path.join(dir, 'bundle.zip');
    fs.writeFileSync(file, archive);
    expect(execFileSync('unzip', ['-t', file], { encoding: 'utf8' })).toContain('No errors detected');
    expect(execFileSync('unzip', ['-Z1', file], { encoding: 'utf8' }).trim().split('\n')).toEqual(['timeline.vtt', 'recording/segment-1.mp4', 'empty.txt']);
    expect(sha(execFileSync('unzip', ['-p', file, 'timeline.vtt']))).toBe(sha(text));
    expect(sha(execFileSync('unzip', ['-p', file, 'recording/segment-1.mp4'], { maxBuffer: 1e7 }))).toBe(sha(media));
    // Text is deflated, media stored.
    const verbose = execFileSync('unzip', ['-v', file], { encoding: 'utf8' });
    expect(verbose).toMatch(/Defl:N.*timeline\.vtt/);
    expect(verbose).toMatch(/Stored.*segment-1\.mp4/);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('ends with an end-of-central-directory record counting every entry', () => {
    const end = archive.subarray(archive.length - 22);
    expect(end.readUInt32LE(0)).toBe(0x06054b50);
    expect(end.readUInt16LE(10)).toBe(3);
    const centralOffset = end.readUInt32LE(16);
    expect(archive.readUInt32LE(centralOffset)).toBe(0x02014b50);
  });

  it('refuses unsafe and duplicate names', () => {
    const zip = new ZipWriter();
    expect(() => zip.add('../x', new Uint8Array(1))).toThrow(/unsafe/);
    expect(() => zip.add('/etc/x', new Uint8Array(1))).toThrow(/unsafe/);
    zip.add('a', new Uint8Array(1));
    expect(() => zip.add('a', new Uint8Array(1))).toThrow(/duplicate/);
  });

  it('encodes DOS dates', () => {
    expect(dosDateTime(new Date('1980-01-01T00:00:00Z'))).toEqual({ time: 0, day: (1 << 5) | 1 });
    expect(dosDateTime(new Date('2026-11-28T10:20:31Z'))).toEqual({ time: (10 << 11) | (20 << 5) | 15, day: (46 << 9) | (11 << 5) | 28 });
  });
});
