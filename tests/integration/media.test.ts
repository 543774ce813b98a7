/**
 * The embedded media transport over real WebRTC. A second wrtc peer in its own process plays the
 * browser (tests/support/wrtc-peer.ts): it sends a 320x240 moving gradient at 15 fps and a 440 Hz
 * tone, and signals with the transport through an in-memory channel pair.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createEmbeddedTransport,
  i420ToRgb,
  type AudioChunk,
  type MediaConnectionState,
  type MediaSession,
  type MediaTransport,
  type VideoFrame,
} from '../../server/media/index.ts';
import {
  PEER_FRAME_U,
  PEER_FRAME_V,
  WrtcTestPeer,
  createSignalingPair,
  stopAllPeers,
} from '../support/wrtc-peer-process.ts';

type LogRecord = Record<string, unknown> & { msg?: string };

function captureLogger(records: LogRecord[]) {
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString().split('\n')) if (line) records.push(JSON.parse(line) as LogRecord);
      callback();
    },
  });
  return pino({ level: 'info' }, stream);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Transports made by tests; afterEach shuts them down and kills any media process left. */
const transports: { transport: MediaTransport; pids: Set<number> }[] = [];

async function startTransport(logs: LogRecord[] = []): Promise<MediaTransport> {
  const transport = await createEmbeddedTransport({ logger: captureLogger(logs) });
  const entry = { transport, pids: new Set<number>() };
  transports.push(entry);
  const usage = await transport.processUsage();
  if (usage) entry.pids.add(usage.pid);
  return transport;
}

async function cleanUpTransports(): Promise<void> {
  for (const { transport, pids } of transports.splice(0)) {
    const usage = await transport.processUsage();
    if (usage) pids.add(usage.pid);
    await transport.shutdown();
    for (const pid of pids) if (pidAlive(pid)) process.kill(pid, 'SIGKILL');
  }
}

interface Connected {
  session: MediaSession;
  peer: WrtcTestPeer;
  client: ReturnType<typeof createSignalingPair>['client'];
  signalingErrors: { code: string; message: string }[];
  states: { state: MediaConnectionState; reason?: string }[];
}

/** Sessions opened by tests; afterEach closes them. */
const sessions: MediaSession[] = [];

async function connect(transport: MediaTransport, sessionId: string): Promise<Connected> {
  const pair = createSignalingPair();
  const signalingErrors: { code: string; message: string }[] = [];
  const session = await transport.open(sessionId, pair.server, (error) => signalingErrors.push(error));
  sessions.push(session);
  const states: { state: MediaConnectionState; reason?: string }[] = [];
  session.onStateChange((state, reason) => states.push({ state, reason }));
  const peer = await WrtcTestPeer.start();
  peer.connect(pair.client);
  await waitFor(() => session.state === 'connected', `session ${sessionId} to connect`);
  return { session, peer, client: pair.client, signalingErrors, states };
}

function mean(data: Uint8Array, from: number, to: number): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += data[i] as number;
  return sum / (to - from);
}

/** Frames keep arriving: the session's counter grows by more than `count` frames. */
async function expectFramesFlowing(session: MediaSession, count = 5): Promise<void> {
  const before = session.stats().framesReceived;
  await waitFor(() => session.stats().framesReceived > before + count, `${count} more frames`, 5000);
}

afterEach(async () => {
  await Promise.all(sessions.splice(0).map((session) => session.close()));
  await stopAllPeers();
});

describe('embedded media transport', () => {
  let transport: MediaTransport;

  beforeAll(async () => {
    transport = await startTransport();
  });

  afterAll(async () => {
    await stopAllPeers();
    await cleanUpTransports();
  });

  it('connects, samples frames at the requested rate, counts every frame and forwards microphone audio', async () => {
    const { session, states } = await connect(transport, 'media-basic');
    expect(states.map((s) => s.state)).toContain('connected');

    const frames: VideoFrame[] = [];
    const chunks: AudioChunk[] = [];
    session.setVideoSampleRate(2);
    session.onVideoFrame((frame) => frames.push(frame));
    session.onAudio((chunk) => chunks.push(chunk));
    await waitFor(() => frames.length > 0, 'the first sampled frame');
    const statsAtFirst = session.stats().framesReceived;
    frames.length = 0;
    await sleep(3000);

    // 2 fps for 3 s: about 6 frames, from a 15 fps stream.
    expect(frames.length).toBeGreaterThanOrEqual(4);
    expect(frames.length).toBeLessThanOrEqual(8);
    const stats = session.stats();
    const counted = stats.framesReceived - statsAtFirst;
    expect(counted).toBeGreaterThanOrEqual(20);
    expect(counted).toBeGreaterThan(frames.length * 4);
    expect(stats.lastFrameSize).toEqual({ width: 320, height: 240 });
    expect(stats.firstFrameAtMs).not.toBeNull();

    for (const frame of frames) {
      expect(frame.width).toBe(320);
      expect(frame.height).toBe(240);
      expect(frame.data.length).toBe(320 * 240 * 1.5);
    }
    const frame = frames[frames.length - 1] as VideoFrame;
    const luma = 320 * 240;
    let min = 255;
    let max = 0;
    for (let i = 0; i < luma; i++) {
      const v = frame.data[i] as number;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    expect(min).toBeLessThan(60); // the gradient spans 16..235
    expect(max).toBeGreaterThan(190);
    expect(Math.abs(mean(frame.data, luma, luma * 1.25) - PEER_FRAME_U)).toBeLessThan(12);
    expect(Math.abs(mean(frame.data, luma * 1.25, luma * 1.5) - PEER_FRAME_V)).toBeLessThan(12);
    const rgb = i420ToRgb(frame);
    let red = 0;
    let blue = 0;
    for (let i = 0; i < rgb.data.length; i += 3) {
      red += rgb.data[i] as number;
      blue += rgb.data[i + 2] as number;
    }
    expect(red).toBeGreaterThan(blue * 1.5);

    // Microphone: 100 ms batches of the peer's tone.
    expect(chunks.length).toBeGreaterThanOrEqual(20);
    const full = chunks.filter((chunk) => chunk.sampleRate === 48_000);
    expect(full.length).toBeGreaterThan(0);
    expect(full[full.length - 1]?.samples.length).toBe(4800);
    let peak = 0;
    for (const chunk of full) for (const s of chunk.samples) peak = Math.max(peak, Math.abs(s));
    expect(peak).toBeGreaterThan(1000);
    expect(stats.audioPeak).toBeGreaterThan(1000);
    expect(stats.audioRms).toBeGreaterThan(1000);
    expect(stats.firstAudioAtMs).not.toBeNull();
  });

  it('plays audio given to sendAudio to the client', async () => {
    const { session, peer } = await connect(transport, 'media-speech');
    await sleep(300);
    expect((await peer.report()).receivedAudioPeak).toBeLessThan(1000);

    // 1 s of a 660 Hz tone at 24 kHz stereo: the transport downmixes and resamples to 48 kHz.
    const rate = 24_000;
    const samples = new Int16Array(rate * 2);
    for (let i = 0; i < rate; i++) {
      const v = Math.round(10_000 * Math.sin((2 * Math.PI * 660 * i) / rate));
      samples[2 * i] = v;
      samples[2 * i + 1] = v;
    }
    session.sendAudio({ samples, sampleRate: rate, channels: 2, timestampMs: Date.now() });
    await waitFor(async () => (await peer.report()).receivedAudioPeak > 1000, 'the peer to hear the tone', 5000);
  });

  it('reports malformed signals without disturbing a working session', async () => {
    const { session, client, signalingErrors } = await connect(transport, 'media-bad-signals');
    const bad: unknown[] = [
      'not an object',
      { type: 'hangup' },
      { type: 'offer' },
      { type: 'offer', sdp: 'v=0'.padEnd(20_001, 'x') },
      { type: 'candidate', candidate: { candidate: 7 } },
      { type: 'offer', sdp: 'this is not SDP' },
    ];
    for (const message of bad) client.send(message);
    await waitFor(() => signalingErrors.length === bad.length, 'one signaling error per bad message');
    expect(signalingErrors.every((error) => error.code === 'bad_signal')).toBe(true);
    const messages = signalingErrors.map((error) => error.message);
    expect(messages[0]).toMatch(/JSON object/);
    expect(messages[1]).toMatch(/type must be/);
    expect(messages[2]).toMatch(/offer sdp/);
    expect(messages[3]).toMatch(/offer sdp.*20000/);
    expect(messages[4]).toMatch(/candidate\.candidate/);
    expect(messages[5]).toMatch(/offer could not be applied/);
    for (const message of messages) expect(message).not.toContain('xxxx');

    await expectFramesFlowing(session);
    expect(session.state).toBe('connected');
  });

  it('replaces the peer connection when the client offers again, and replaces a re-opened session', async () => {
    const { session, peer } = await connect(transport, 'media-reoffer');
    peer.restart();
    await waitFor(async () => {
      const report = await peer.report();
      return report.offersSent === 2 && report.connectionState === 'connected';
    }, 'the new peer connection');
    // The peer closed its first connection, so frames now come over the second one.
    await expectFramesFlowing(session);
    expect(session.state).toBe('connected');

    // A second open() for the same id (a reconnecting socket) closes the first session.
    const states: MediaConnectionState[] = [];
    session.onStateChange((state) => states.push(state));
    const again = await connect(transport, 'media-reoffer');
    expect(session.state).toBe('closed');
    expect(states).toEqual(['closed']);
    expect(again.session.state).toBe('connected');
  });
});

describe('embedded media transport: media process failures and shutdown', () => {
  afterEach(cleanUpTransports);

  it('fails the sessions of a killed media process, keeps the server up, and serves new sessions', async () => {
    const logs: LogRecord[] = [];
    const transport = await startTransport(logs);
    const { session, states } = await connect(transport, 'media-crash');
    const failures: { ids: string[]; reason: string }[] = [];
    transport.onSessionsFailed((ids, reason) => failures.push({ ids, reason }));
    const before = await transport.processUsage();
    expect(before).not.toBeNull();
    const oldPid = (before as { pid: number }).pid;

    process.kill(oldPid, 'SIGKILL');
    await waitFor(() => failures.length > 0, 'onSessionsFailed');
    expect(failures).toEqual([{ ids: ['media-crash'], reason: expect.stringMatching(/media process exited/) }]);
    expect(session.state).toBe('failed');
    expect(states[states.length - 1]).toEqual({ state: 'failed', reason: expect.stringMatching(/SIGKILL/) });
    expect(logs.some((record) => record.msg === 'media process exited unexpectedly')).toBe(true);

    const next = await connect(transport, 'media-after-crash');
    const after = await transport.processUsage();
    expect(after?.pid).toBeDefined();
    expect(after?.pid).not.toBe(oldPid);
    await expectFramesFlowing(next.session);
    expect(session.state).toBe('failed');
  });

  it('shuts down: sessions close, the media process exits 0', async () => {
    const logs: LogRecord[] = [];
    const transport = await startTransport(logs);
    const { session } = await connect(transport, 'media-shutdown');
    const usage = await transport.processUsage();
    expect(usage?.cpuMicros).toBeGreaterThan(0);
    expect(usage?.rssBytes).toBeGreaterThan(10_000_000);
    const pid = (usage as { pid: number }).pid;

    // Graceful, not killed after the grace period: the exit code below says so without timing it.
    await transport.shutdown();
    expect(session.state).toBe('closed');
    expect(logs.find((record) => record.msg === 'media process stopped')).toMatchObject({ pid, code: 0, signal: null });
    expect(pidAlive(pid)).toBe(false);
    expect(await transport.processUsage()).toBeNull();
    await expect(transport.open('too-late', createSignalingPair().server, () => undefined)).rejects.toThrow(/shut down/);
  });

  it('fails startup with a clear error when the media process does not come up in time', async () => {
    await expect(createEmbeddedTransport({ logger: pino({ level: 'silent' }), startupTimeoutMs: 1 })).rejects.toThrow(
      /did not load @roamhq\/wrtc within 1 ms/,
    );
  });
});
