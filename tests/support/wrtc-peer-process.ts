/**
 * Test-side control of a wrtc "browser" peer (wrtc-peer.ts) running in its own process, plus an
 * in-memory SignalingChannel pair that stands in for socket.io. Every peer started here is
 * remembered so `stopAllPeers()` can clean up after a failed test.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { SignalingChannel, Unsubscribe } from '../../server/media/types.ts';

/** Chroma of every frame the peer sends (an orange-red), so tests can check colour survives. */
export const PEER_FRAME_U = 90;
export const PEER_FRAME_V = 200;

export interface PeerStartOptions {
  width: number;
  height: number;
  fps: number;
  toneHz: number;
  toneAmplitude: number;
}

export interface PeerReport {
  connectionState: string;
  framesSent: number;
  audioChunksSent: number;
  audioChunksReceived: number;
  /** Peak absolute sample of the audio received from the server so far. */
  receivedAudioPeak: number;
  offersSent: number;
}

export type PeerCommand =
  | { type: 'start'; options: PeerStartOptions }
  | { type: 'restart' }
  /** Stops (or resumes) sending video frames, as a frozen camera would; audio carries on. */
  | { type: 'pause-video'; paused: boolean }
  /** Sends frames of another size from now on (as a browser adapting to bandwidth does). */
  | { type: 'resize-video'; width: number; height: number }
  | { type: 'signal'; message: unknown }
  | { type: 'report'; requestId: number }
  | { type: 'stop' };

export type PeerEvent =
  | { type: 'ready' }
  | { type: 'signal'; message: unknown }
  | { type: 'state'; state: string }
  | { type: 'report'; requestId: number; report: PeerReport }
  | { type: 'error'; message: string };

const PEER_ENTRY = fileURLToPath(new URL('./wrtc-peer.ts', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const live = new Set<WrtcTestPeer>();

/**
 * Two connected channel ends. Messages are JSON round-tripped and delivered asynchronously, as
 * over a socket.
 */
export function createSignalingPair(): { server: SignalingChannel; client: SignalingChannel } {
  const listeners = { server: new Set<(m: unknown) => void>(), client: new Set<(m: unknown) => void>() };
  const end = (self: 'server' | 'client', other: 'server' | 'client'): SignalingChannel => ({
    send(message: unknown): void {
      const copy: unknown = JSON.parse(JSON.stringify(message));
      setImmediate(() => {
        for (const listener of [...listeners[other]]) listener(copy);
      });
    },
    onMessage(listener: (message: unknown) => void): Unsubscribe {
      listeners[self].add(listener);
      return () => listeners[self].delete(listener);
    },
  });
  return { server: end('server', 'client'), client: end('client', 'server') };
}

export class WrtcTestPeer {
  readonly errors: string[] = [];
  private readonly stateWaiters = new Set<{ state: string; resolve: () => void }>();
  private readonly reportWaiters = new Map<number, (report: PeerReport) => void>();
  private nextRequestId = 1;
  private state = 'new';
  private unsubscribe: Unsubscribe | null = null;
  private channel: SignalingChannel | null = null;
  private readonly exited: Promise<number | null>;

  private constructor(private readonly child: ChildProcess) {
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    child.on('message', (event: PeerEvent) => this.receive(event));
  }

  static async start(timeoutMs = 15_000): Promise<WrtcTestPeer> {
    const child = fork(PEER_ENTRY, [], {
      execArgv: ['--import', TSX],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const peer = new WrtcTestPeer(child);
    live.add(peer);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('test peer did not start')), timeoutMs);
      child.on('message', (event: PeerEvent) => {
        if (event.type === 'ready') {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`test peer exited during startup (code ${code})`));
      });
    });
    return peer;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get connectionState(): string {
    return this.state;
  }

  /** Wires the peer to the client end of a signaling pair and starts sending media + an offer. */
  connect(channel: SignalingChannel, options: Partial<PeerStartOptions> = {}): void {
    this.channel = channel;
    this.unsubscribe = channel.onMessage((message) => this.command({ type: 'signal', message }));
    this.command({
      type: 'start',
      options: { width: 320, height: 240, fps: 15, toneHz: 440, toneAmplitude: 8000, ...options },
    });
  }

  /** Makes a new peer connection and a new offer (as a browser does after a reconnect). */
  restart(): void {
    this.command({ type: 'restart' });
  }

  /** Stops sending video frames (true) or resumes (false); audio is unaffected. */
  pauseVideo(paused: boolean): void {
    this.command({ type: 'pause-video', paused });
  }

  /** Sends frames of `width` x `height` from now on. */
  resizeVideo(width: number, height: number): void {
    this.command({ type: 'resize-video', width, height });
  }

  waitForState(state: string, timeoutMs = 10_000): Promise<void> {
    if (this.state === state) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter = { state, resolve: () => (clearTimeout(timer), resolve()) };
      const timer = setTimeout(() => {
        this.stateWaiters.delete(waiter);
        reject(new Error(`test peer not '${state}' within ${timeoutMs} ms (is '${this.state}')`));
      }, timeoutMs);
      this.stateWaiters.add(waiter);
    });
  }

  report(timeoutMs = 5_000): Promise<PeerReport> {
    const requestId = this.nextRequestId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.reportWaiters.delete(requestId);
        reject(new Error('test peer did not report'));
      }, timeoutMs);
      this.reportWaiters.set(requestId, (report) => {
        clearTimeout(timer);
        resolve(report);
      });
      this.command({ type: 'report', requestId });
    });
  }

  /** Asks the peer to exit; SIGKILL if it has not within `timeoutMs`. */
  async stop(timeoutMs = 3_000): Promise<void> {
    this.unsubscribe?.();
    live.delete(this);
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.command({ type: 'stop' });
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    await this.exited;
    clearTimeout(timer);
  }

  private command(command: PeerCommand): void {
    if (this.child.connected) this.child.send(command);
  }

  private receive(event: PeerEvent): void {
    switch (event.type) {
      case 'signal':
        this.channel?.send(event.message);
        return;
      case 'state':
        this.state = event.state;
        for (const waiter of [...this.stateWaiters]) {
          if (waiter.state === event.state) {
            this.stateWaiters.delete(waiter);
            waiter.resolve();
          }
        }
        return;
      case 'report':
        this.reportWaiters.get(event.requestId)?.(event.report);
        this.reportWaiters.delete(event.requestId);
        return;
      case 'error':
        this.errors.push(event.message);
        return;
      default:
        return;
    }
  }
}

/** Stops every peer still running (afterEach/afterAll safety net). */
export async function stopAllPeers(): Promise<void> {
  await Promise.all([...live].map((peer) => peer.stop()));
}
