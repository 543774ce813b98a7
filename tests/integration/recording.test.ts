/**
 * Server-side recording over real WebRTC: a wrtc peer in its own process plays the browser
 * (tests/support/wrtc-peer.ts: a 640x480 moving gradient at 15 fps and a 440 Hz tone), the media
 * process pipes every frame and both audio directions into the system ffmpeg, and ffprobe/ffmpeg
 * check what landed in the file.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  checkFfmpeg,
  createEmbeddedTransport,
  type MediaSession,
  type MediaTransport,
  type RecordingEnded,
} from '../../server/media/index.ts';
import { WrtcTestPeer, createSignalingPair, stopAllPeers } from '../support/wrtc-peer-process.ts';

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const WIDTH = 640;
const HEIGHT = 480;
const MIC_HZ = 440;
const ASSISTANT_HZ = 1000;

async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

interface Probe {
  streams: { codec_type: string; codec_name: string; width?: number; height?: number; sample_rate?: string; nb_read_frames?: string }[];
  format: { duration?: string; format_name: string };
}

async function probe(file: string, countFrames = false): Promise<Probe> {
  const args = ['-v', 'error', '-show_streams', '-show_format', '-of', 'json', ...(countFrames ? ['-count_frames'] : []), file];
  const { stdout } = await run('ffprobe', args, { maxBuffer: 10_000_000 });
  return JSON.parse(stdout) as Probe;
}

/** The file's audio as mono 48 kHz samples. */
async function decodeAudio(file: string): Promise<Int16Array> {
  const { stdout } = await run('ffmpeg', ['-v', 'error', '-i', file, '-map', '0:a:0', '-f', 's16le', '-ac', '1', '-ar', '48000', '-'], {
    encoding: 'buffer',
    maxBuffer: 100_000_000,
  });
  const bytes = stdout as Buffer;
  return new Int16Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

/** Amplitude of one frequency in `samples[from, to)` (Goertzel), comparable to the sine's peak. */
function toneLevel(samples: Int16Array, fromSec: number, toSec: number, hz: number): number {
  const from = Math.max(0, Math.round(fromSec * 48_000));
  const to = Math.min(samples.length, Math.round(toSec * 48_000));
  const n = to - from;
  if (n <= 0) return 0;
  const coefficient = 2 * Math.cos((2 * Math.PI * hz) / 48_000);
  let s1 = 0;
  let s2 = 0;
  for (let i = from; i < to; i++) {
    const s0 = (samples[i] as number) + coefficient * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const power = s1 * s1 + s2 * s2 - coefficient * s1 * s2;
  return (2 * Math.sqrt(Math.max(0, power))) / n;
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

function tone(hz: number, seconds: number, amplitude: number): Int16Array {
  const samples = new Int16Array(Math.round(48_000 * seconds));
  for (let i = 0; i < samples.length; i++) samples[i] = Math.round(amplitude * Math.sin((2 * Math.PI * hz * i) / 48_000));
  return samples;
}

/** Process ids whose command line mentions `text` (Linux /proc). */
function pidsMentioning(text: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(text)) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

const folder = mkdtempSync(path.join(os.tmpdir(), 'attest-recording-'));
const transports: MediaTransport[] = [];
const sessions: MediaSession[] = [];

async function startTransport(options: { ffmpegPath?: string } = {}): Promise<MediaTransport> {
  const transport = await createEmbeddedTransport({ logger: pino({ level: 'silent' }), ...options });
  transports.push(transport);
  return transport;
}

async function connect(transport: MediaTransport, sessionId: string) {
  const pair = createSignalingPair();
  const session = await transport.open(sessionId, pair.server, () => undefined);
  sessions.push(session);
  const ended: RecordingEnded[] = [];
  session.onRecordingEnded((event) => ended.push(event));
  const peer = await WrtcTestPeer.start();
  peer.connect(pair.client, { width: WIDTH, height: HEIGHT, fps: 15, toneHz: MIC_HZ, toneAmplitude: 8000 });
  await waitFor(() => session.state === 'connected' && session.stats().framesReceived > 3, `session ${sessionId} to receive video`);
  return { session, peer, ended };
}

async function expectFramesFlowing(session: MediaSession): Promise<void> {
  const before = session.stats().framesReceived;
  await waitFor(() => session.stats().framesReceived > before + 5, 'more frames', 5000);
}

afterEach(async () => {
  await Promise.all(sessions.splice(0).map((session) => session.close()));
  await stopAllPeers();
});

afterAll(async () => {
  await stopAllPeers();
  for (const transport of transports.splice(0)) await transport.shutdown();
  rmSync(folder, { recursive: true, force: true });
});

describe('recording', () => {
  let transport: MediaTransport;

  beforeAll(async () => {
    transport = await startTransport();
  });

  it('records the video and both sides of the audio, on the wall clock, into a fragmented MP4', async () => {
    const { session, peer, ended } = await connect(transport, 'rec-basic');
    const file = path.join(folder, 'basic.mp4');
    const before = Date.now();
    await session.startRecording({ file });
    await sleep(1500);
    // The camera freezes for a second: the timeline must still follow the wall clock.
    peer.pauseVideo(true);
    await sleep(1000);
    peer.pauseVideo(false);
    await sleep(500);
    const assistantAt = Date.now();
    session.sendAudio({ samples: tone(ASSISTANT_HZ, 1.5, 9000), sampleRate: 48_000, channels: 1, timestampMs: assistantAt });
    await sleep(2000);
    const result = await session.stopRecording();
    const after = Date.now();

    expect(result).not.toBeNull();
    if (!result) return;
    expect(result.file).toBe(file);
    expect(result.startedAtMs).toBeGreaterThanOrEqual(before);
    expect(result.endedAtMs).toBeLessThanOrEqual(after);
    expect(result.durationMs).toBe(result.endedAtMs - result.startedAtMs);
    expect(result.durationMs).toBeGreaterThan(4800);
    expect(statSync(file).size).toBe(result.bytes);
    expect(sha256(file)).toBe(result.sha256);
    expect(Math.abs(result.videoFrames - (result.durationMs * 15) / 1000)).toBeLessThanOrEqual(2);
    expect(Math.abs(result.audioSamples - result.durationMs * 48)).toBeLessThanOrEqual(48 * 5);
    expect(result).toMatchObject({ width: WIDTH, height: HEIGHT, droppedVideoFrames: 0 });
    expect(ended).toEqual([{ file, reason: 'stopped', result }]);

    const info = await probe(file, true);
    const video = info.streams.find((stream) => stream.codec_type === 'video');
    const audio = info.streams.find((stream) => stream.codec_type === 'audio');
    expect(video).toMatchObject({ codec_name: 'h264', width: WIDTH, height: HEIGHT });
    expect(audio).toMatchObject({ codec_name: 'aac', sample_rate: '48000' });
    expect(info.format.format_name).toContain('mp4');
    const duration = Number(info.format.duration);
    expect(Math.abs(duration - result.durationMs / 1000)).toBeLessThan(0.5);
    expect(Math.abs(Number(video?.nb_read_frames) - result.videoFrames)).toBeLessThanOrEqual(1);

    // Audio: the microphone's 440 Hz throughout; the assistant's 1000 Hz mixed in where it was
    // played (by the wall clock), and not before.
    const pcm = await decodeAudio(file);
    const assistantSec = (assistantAt - result.startedAtMs) / 1000;
    const firstHalf = [0.5, assistantSec - 0.5] as const;
    const speaking = [assistantSec + 0.3, assistantSec + 1.2] as const;
    expect(toneLevel(pcm, ...firstHalf, MIC_HZ)).toBeGreaterThan(2000);
    expect(toneLevel(pcm, ...firstHalf, ASSISTANT_HZ)).toBeLessThan(300);
    expect(toneLevel(pcm, ...speaking, ASSISTANT_HZ)).toBeGreaterThan(3000);
    expect(toneLevel(pcm, ...speaking, MIC_HZ)).toBeGreaterThan(2000);
    // Aligned within 50 ms: silent just before it was played, loud just after.
    expect(toneLevel(pcm, assistantSec - 0.25, assistantSec - 0.05, ASSISTANT_HZ)).toBeLessThan(300);
    expect(toneLevel(pcm, assistantSec + 0.05, assistantSec + 0.25, ASSISTANT_HZ)).toBeGreaterThan(3000);

    // The session is unaffected, and a second stop has nothing to stop.
    await expectFramesFlowing(session);
    expect(await session.stopRecording()).toBeNull();
  });

  it('finalises and reports the recording when the peer is replaced and when the session closes', async () => {
    const { session, peer, ended } = await connect(transport, 'rec-lifecycle');
    const first = path.join(folder, 'lifecycle-1.mp4');
    await session.startRecording({ file: first });
    await expect(session.startRecording({ file: path.join(folder, 'twice.mp4') })).rejects.toThrow(/already recording/);
    await sleep(800);
    // The browser lowers its resolution: the recording keeps its size (frames are scaled).
    peer.resizeVideo(320, 240);
    await waitFor(() => session.stats().lastFrameSize?.width === 320, 'smaller frames');
    await sleep(700);
    peer.restart();
    await waitFor(() => ended.length === 1, 'the recording to end with the peer connection');
    expect(ended[0]).toMatchObject({ file: first, reason: 'peer-replaced', result: { file: first, width: WIDTH, height: HEIGHT } });
    expect(sha256(first)).toBe(ended[0]?.result?.sha256);
    const firstInfo = await probe(first, true);
    expect(firstInfo.streams.find((stream) => stream.codec_type === 'video')).toMatchObject({ width: WIDTH, height: HEIGHT });
    expect(Math.abs(Number(firstInfo.format.duration) - (ended[0]?.result?.durationMs ?? 0) / 1000)).toBeLessThan(0.5);

    await waitFor(async () => (await peer.report()).connectionState === 'connected', 'the new peer connection');
    await expect(session.startRecording({ file: first })).rejects.toThrow(/already exists/);
    const second = path.join(folder, 'lifecycle-2.mp4');
    await session.startRecording({ file: second });
    await sleep(1200);
    expect(ended.length).toBe(1);
    await session.close();
    expect(ended[1]).toMatchObject({ file: second, reason: 'session-closed', result: { file: second } });
    expect(Number((await probe(second)).format.duration)).toBeGreaterThan(1);
  });
});

describe('recording: shutdown and failures', () => {
  it('finalises and reports a running recording when the transport shuts down', async () => {
    const transport = await startTransport();
    const { session, ended } = await connect(transport, 'rec-shutdown');
    const file = path.join(folder, 'shutdown.mp4');
    await session.startRecording({ file });
    await sleep(1500);
    await transport.shutdown();
    expect(session.state).toBe('closed');
    expect(ended).toEqual([{ file, reason: 'session-closed', result: expect.objectContaining({ file, bytes: statSync(file).size }) }]);
    expect(sha256(file)).toBe(ended[0]?.result?.sha256);
    expect(Number((await probe(file)).format.duration)).toBeGreaterThan(1.2);
  });

  it('fails to start with a clear error when ffmpeg is missing, and the session carries on', async () => {
    const transport = await startTransport({ ffmpegPath: path.join(folder, 'no-such-ffmpeg') });
    const { session, ended } = await connect(transport, 'rec-no-ffmpeg');
    const file = path.join(folder, 'never.mp4');
    await expect(session.startRecording({ file })).rejects.toThrow(/ffmpeg not found at '.*no-such-ffmpeg'/);
    expect(() => statSync(file)).toThrow();
    expect(session.state).toBe('connected');
    await expectFramesFlowing(session);
    expect(await session.stopRecording()).toBeNull();
    expect(ended).toEqual([]);
    // The startup check a server that must record can run.
    await expect(checkFfmpeg(path.join(folder, 'no-such-ffmpeg'))).rejects.toThrow(/ffmpeg not found at/);
    await expect(checkFfmpeg('ffmpeg')).resolves.toMatch(/^ffmpeg version/);
  });

  it('leaves a playable file when the media process and ffmpeg are killed mid-recording', async () => {
    const transport = await startTransport();
    const { session, ended } = await connect(transport, 'rec-killed');
    const file = path.join(folder, 'killed.mp4');
    await session.startRecording({ file });
    await sleep(2500);
    const usage = await transport.processUsage();
    expect(usage?.recorders?.count).toBe(1);
    const ffmpegPids = pidsMentioning(file);
    expect(ffmpegPids.length).toBe(1);
    // The harshest case: ffmpeg gets no chance to finish the file either.
    for (const pid of [...ffmpegPids, (usage as { pid: number }).pid]) process.kill(pid, 'SIGKILL');

    await waitFor(() => session.state === 'failed', 'the session to fail');
    expect(ended).toEqual([{ file, reason: 'media-failed', result: null, error: expect.stringMatching(/media process exited/) }]);
    await expect(session.stopRecording()).resolves.toBeNull();
    const info = await probe(file);
    expect(info.streams.map((stream) => stream.codec_name).sort()).toEqual(['aac', 'h264']);
    expect(Number(info.format.duration)).toBeGreaterThan(1);
  });
});
