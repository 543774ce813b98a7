/**
 * A crash mid-session: the real server runs as its own process (`server/main.ts`), an applicant
 * consents over socket.io while a wrtc peer streams camera and microphone, and the server is
 * killed with SIGKILL while recording. On restart the partial recording is stored (playable,
 * marked incomplete), the session is marked `interrupted` (event + queue flag), and the applicant
 * may resume: the session continues, keeping the flag.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { answerFor, completeSession, connectApplicant, createSession, type Applicant } from '../support/applicant.ts';
import { tempDir } from '../support/attest.ts';
import { WrtcTestPeer, stopAllPeers } from '../support/wrtc-peer-process.ts';
import type { SignalingChannel } from '../../server/media/types.ts';

const hasFfprobe = spawnSync('ffprobe', ['-version']).status === 0;
const dataDir = tempDir('attest-crash-');
const children: ChildProcess[] = [];
const applicants: Applicant[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function startServerProcess(port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: {
      ...process.env,
      PORT: String(port),
      ATTEST_DATA_DIR: dataDir,
      ATTEST_DEFAULT_SCRIPT: 'onboarding',
      ATTEST_CLIENT_DIR: path.join(dataDir, 'no-client'),
      LOG_LEVEL: 'silent',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Attest is running')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}: ${output}`));
    });
  });
  return child;
}

/** The applicant's socket as the peer's signaling channel (what the browser's peerLink does). */
function socketChannel(applicant: Applicant): SignalingChannel {
  return {
    send: (message) => applicant.socket.emit('media:signal', message),
    onMessage: (listener) => {
      applicant.socket.on('media:signal', listener);
      return () => applicant.socket.off('media:signal', listener);
    },
  };
}

function readDb<T>(fn: (db: Database.Database) => T): T {
  const db = new Database(path.join(dataDir, 'attest.db'), { readonly: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

const eventsOf = (sessionId: string) =>
  readDb((db) =>
    (db.prepare('SELECT type, payload_json FROM events WHERE session_id = ? ORDER BY seq').all(sessionId) as { type: string; payload_json: string }[]).map(
      (row) => ({ type: row.type, payload: JSON.parse(row.payload_json) as Record<string, unknown> }),
    ),
  );

afterAll(async () => {
  for (const applicant of applicants) applicant.close();
  await stopAllPeers();
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 500));
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe.skipIf(!hasFfprobe)('a crash mid-session', () => {
  it('keeps the partial recording, marks the session interrupted, and lets the applicant resume', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const first = await startServerProcess(port);
    const { sessionId, token } = await createSession(url, { locale: 'en' });

    const applicant = await connectApplicant(url, token, { clientId: 'crash-tab-1' });
    applicants.push(applicant);
    const peer = await WrtcTestPeer.start();
    peer.connect(socketChannel(applicant), { width: 320, height: 240, fps: 15 });
    await peer.waitForState('connected', 20_000);
    await applicant.emitAck('session:begin', {});
    const consent = await applicant.waitForView((v) => v.prompt !== null);
    expect(await applicant.emitAck('dialogue:answer', answerFor(consent))).toEqual({ ok: true });
    await expect.poll(() => eventsOf(sessionId).some((e) => e.type === 'RecordingStarted'), { timeout: 20_000 }).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 3000));

    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    applicant.close();
    await peer.stop();
    // Nothing was stored for the segment before the crash: it is still a growing file.
    expect(eventsOf(sessionId).some((e) => e.type === 'RecordingSegmentStored')).toBe(false);

    await startServerProcess(port);
    const afterRestart = eventsOf(sessionId);
    const interrupted = afterRestart.find((e) => e.type === 'SessionInterrupted');
    expect(interrupted?.payload).toMatchObject({ reason: 'server-restart' });
    const segment = afterRestart.find((e) => e.type === 'RecordingSegmentStored')?.payload;
    expect(segment).toMatchObject({ complete: false, reason: 'server-restart' });
    const row = readDb((db) => db.prepare('SELECT status FROM sessions WHERE id = ?').get(sessionId) as { status: string });
    expect(row.status).toBe('interrupted');
    const flags = readDb((db) => db.prepare('SELECT flags FROM review_index WHERE session_id = ?').get(sessionId) as { flags: string });
    expect(flags.flags.split(' ')).toEqual(expect.arrayContaining(['interrupted', 'recording_incomplete']));

    // The stored partial segment plays: about the 3 s recorded before the crash.
    const blob = readDb((db) => db.prepare('SELECT blob_key FROM artifacts WHERE id = ?').get(segment!.artifactId as string) as { blob_key: string });
    const probe = spawnSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', path.join(dataDir, 'blobs', blob.blob_key)], { encoding: 'utf8' });
    expect(Number(probe.stdout.trim())).toBeGreaterThan(1);

    // The applicant comes back: the session continues where it stopped, the flag stays.
    const back = await connectApplicant(url, token, { clientId: 'crash-tab-1' });
    applicants.push(back);
    const resumed = await back.waitForView(() => true);
    expect(resumed.status).toBe('active');
    expect(resumed.prompt?.stepId).not.toBe(consent.prompt!.stepId);
    const final = await completeSession(back);
    expect(final.status).toBe('completed');
    const types = eventsOf(sessionId).map((e) => e.type);
    expect(types.indexOf('SessionResumed')).toBeGreaterThan(types.indexOf('SessionInterrupted'));
    const after = readDb((db) => db.prepare('SELECT flags FROM review_index WHERE session_id = ?').get(sessionId) as { flags: string });
    expect(after.flags.split(' ')).toContain('interrupted');
  }, 150_000);
});
