/**
 * The evidence bundle: one ZIP with everything a reviewer, auditor or court needs to re-check a
 * session offline. The contract PDF and signed record, every recording segment, the other
 * evidence files (document image, face crops, liveness frame, signature), the timeline (JSON +
 * WebVTT chapters), the transcript, the full event chain, and a verification report (chain,
 * each file's sha256 against the stored one, the contract record's checks). `manifest.json`
 * lists every file with its sha256. Files stream out one at a time; recordings stream from disk
 * (never whole in memory).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { crc32 } from 'node:zlib';
import type { RecordVerification } from '../contract/verify.ts';
import type { ArtifactRecord, Store } from '../store/index.ts';
import { chaptersToWebVtt, vttTime } from './timeline.ts';
import type { SessionDetail } from './types.ts';
import { ZipWriter } from './zip.ts';

export interface BundleInput {
  store: Pick<Store, 'blobs' | 'events'>;
  detail: SessionDetail;
  verification: (RecordVerification & { recordId: string }) | null;
  exportedBy: { id: string; email: string };
  now: Date;
}

/** Media and images are already compressed: store them as they are. */
const STORED_MIMES = /^(video|image|audio)\/|^application\/pdf$/;

const EXTENSIONS: Record<string, string> = {
  'video/mp4': 'mp4',
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'application/pdf': 'pdf',
  'application/json': 'json',
};

export function bundleFileName(detail: SessionDetail): string {
  return `attest-evidence-${detail.session.reference}.zip`;
}

/** Archive path of each artifact (recordings numbered in order, the contract by name). */
export function artifactPaths(detail: SessionDetail): Map<string, string> {
  const paths = new Map<string, string>();
  detail.recordings.forEach((segment, i) => paths.set(segment.artifactId, `recording/segment-${i + 1}.mp4`));
  if (detail.contract) {
    paths.set(detail.contract.pdfArtifactId, 'contract/contract.pdf');
    paths.set(detail.contract.recordArtifactId, 'contract/contract-record.json');
  }
  for (const artifact of detail.artifacts) {
    if (paths.has(artifact.id)) continue;
    const ext = EXTENSIONS[artifact.mime.split(';')[0] ?? ''] ?? 'bin';
    paths.set(artifact.id, `evidence/${artifact.kind}-${artifact.id}.${ext}`);
  }
  return paths;
}

export async function* writeBundle(input: BundleInput, artifacts: ArtifactRecord[]): AsyncGenerator<Buffer> {
  const { detail } = input;
  const zip = new ZipWriter();
  const date = input.now;
  const manifest: { path: string; sha256: string; size: number; artifactId?: string }[] = [];
  const integrity: { artifactId: string; path: string; ok: boolean; detail: string }[] = [];
  const add = (name: string, bytes: Uint8Array, compress: boolean, artifactId?: string) => {
    manifest.push({ path: name, sha256: sha256(bytes), size: bytes.byteLength, ...(artifactId ? { artifactId } : {}) });
    return zip.add(name, bytes, { compress, date });
  };
  const json = (value: unknown) => Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8');

  const paths = artifactPaths(detail);
  for (const artifact of artifacts) {
    const name = paths.get(artifact.id);
    if (!name) continue;
    const file = input.store.blobs.localPath(artifact.blobKey);
    if (file && STORED_MIMES.test(artifact.mime)) {
      // Media streams from disk: one pass for size, CRC and sha256, then the bytes after the header.
      const read = await readFacts(file);
      if (!read) {
        integrity.push({ artifactId: artifact.id, path: name, ok: false, detail: 'missing from storage' });
        continue;
      }
      integrity.push(checked(artifact, name, read.sha256, read.size));
      manifest.push({ path: name, sha256: read.sha256, size: read.size, artifactId: artifact.id });
      yield* zip.addStoredHeader(name, { size: read.size, crc: read.crc, date });
      if (read.size === 0) continue;
      let written = 0;
      for await (const chunk of fs.createReadStream(file, { end: read.size - 1 })) {
        written += (chunk as Buffer).length;
        yield chunk as Buffer;
      }
      if (written !== read.size) throw new Error(`artifact ${artifact.id} changed while it was exported`);
      continue;
    }
    const bytes = await input.store.blobs.get(artifact.blobKey);
    if (!bytes) {
      integrity.push({ artifactId: artifact.id, path: name, ok: false, detail: 'missing from storage' });
      continue;
    }
    integrity.push(checked(artifact, name, sha256(bytes), bytes.byteLength));
    yield* add(name, bytes, !STORED_MIMES.test(artifact.mime), artifact.id);
  }

  yield* add('timeline.json', json(detail.timeline), true);
  yield* add('chapters.vtt', Buffer.from(chaptersToWebVtt(detail.timeline.chapters), 'utf8'), true);
  yield* add('transcript.txt', Buffer.from(transcriptText(detail), 'utf8'), true);
  yield* add('transcript.json', json(detail.transcript), true);
  yield* add('events.json', json(input.store.events.list(detail.session.id)), true);
  yield* add('session.json', json({ ...detail, timeline: undefined, transcript: undefined }), true);
  yield* add(
    'verification.json',
    json({
      checkedAt: input.now.toISOString(),
      eventChain: detail.chain,
      files: integrity,
      contractRecord: input.verification ?? { note: 'no sealed contract in this session' },
      ok: detail.chain.ok && integrity.every((entry) => entry.ok) && (input.verification?.ok ?? true),
    }),
    true,
  );
  const manifestBytes = json({
    sessionId: detail.session.id,
    reference: detail.session.reference,
    exportedAt: input.now.toISOString(),
    exportedBy: input.exportedBy,
    files: manifest,
  });
  yield* zip.add('manifest.json', manifestBytes, { compress: true, date });
  yield zip.finish();
}

/** One line per utterance, time-coded against the recording. */
export function transcriptText(detail: SessionDetail): string {
  const lines = [`Session ${detail.session.reference} (${detail.session.id}), ${detail.session.locale}`, ''];
  for (const entry of detail.transcript) {
    lines.push(`[${vttTime(entry.atMs)}] ${entry.from === 'assistant' ? 'Assistant' : 'Applicant'} (${entry.stepId ?? '-'}): ${entry.text.replace(/\s*\n\s*/g, ' ')}`);
  }
  return `${lines.join('\n')}\n`;
}

function checked(artifact: ArtifactRecord, path: string, actual: string, size: number): { artifactId: string; path: string; ok: boolean; detail: string } {
  return {
    artifactId: artifact.id,
    path,
    ok: actual === artifact.sha256 && size === artifact.size,
    detail: actual === artifact.sha256 ? 'sha256 matches the stored hash (and the event chain)' : `sha256 ${actual} differs from the stored ${artifact.sha256}`,
  };
}

async function readFacts(file: string): Promise<{ size: number; crc: number; sha256: string } | null> {
  const hash = createHash('sha256');
  let crc = 0;
  let size = 0;
  try {
    for await (const chunk of fs.createReadStream(file)) {
      const bytes = chunk as Buffer;
      crc = crc32(bytes, crc);
      hash.update(bytes);
      size += bytes.length;
    }
  } catch {
    return null;
  }
  return { size, crc, sha256: hash.digest('hex') };
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
