/**
 * The embedded media transport: WebRTC terminated inside this server, with every wrtc peer in one
 * forked media process (never in the server process, never in a worker thread: terminating a
 * worker that loaded wrtc crashes the whole process). If the media process dies, its sessions
 * fail, `onSessionsFailed` listeners hear about it, a new process is started for new sessions,
 * and the server keeps running.
 */
import type { Logger } from '../../log.ts';
import type { MediaClientConfig, MediaProcessUsage, MediaSession, MediaTransport, SignalingChannel, Unsubscribe } from '../types.ts';
import { MediaProcess, type ProcessExit } from './media-process.ts';
import type { ChildToParent, IceServer, RecorderConfig } from './protocol.ts';
import { EmbeddedSession } from './session.ts';

export interface EmbeddedTransportOptions {
  logger: Logger;
  iceServers?: IceServer[];
  /** How long the media process may take to load wrtc (default 20 s). */
  startupTimeoutMs?: number;
  /** How long `shutdown()` waits for the media process before SIGKILL (default 3 s). */
  shutdownTimeoutMs?: number;
  /**
   * The ffmpeg used for recordings (default 'ffmpeg' on PATH). It is only run when a recording
   * starts; call `checkFfmpeg` at startup to fail early when recordings are required.
   */
  ffmpegPath?: string;
}

const RESPAWN_BASE_DELAY_MS = 250;
const RESPAWN_MAX_DELAY_MS = 30_000;
/** A process that dies sooner than this after starting counts towards the respawn backoff. */
const STABLE_UPTIME_MS = 10_000;
const USAGE_TIMEOUT_MS = 2_000;

class EmbeddedTransport implements MediaTransport {
  readonly kind = 'embedded' as const;
  private media: MediaProcess | null = null;
  private starting: Promise<MediaProcess> | null = null;
  private mediaStartedAt = 0;
  /** Starts that failed and deaths soon after a start, in a row: drives the respawn backoff. */
  private consecutiveFailures = 0;
  private respawnTimer: NodeJS.Timeout | null = null;
  private shuttingDown = false;
  private nextHandle = 1;
  private readonly sessionsByHandle = new Map<number, EmbeddedSession>();
  private readonly sessionsById = new Map<string, EmbeddedSession>();
  private readonly failureListeners = new Set<(sessionIds: string[], reason: string) => void>();
  private readonly logger: Logger;
  private readonly iceServers: IceServer[];
  private readonly startupTimeoutMs: number;
  private readonly shutdownTimeoutMs: number;
  private readonly recorder: RecorderConfig;

  constructor(options: EmbeddedTransportOptions) {
    this.recorder = { ffmpegPath: options.ffmpegPath ?? 'ffmpeg' };
    this.logger = options.logger.child({ component: 'media' });
    this.iceServers = (options.iceServers ?? []).map((server) => ({ ...server }));
    this.startupTimeoutMs = options.startupTimeoutMs ?? 20_000;
    this.shutdownTimeoutMs = options.shutdownTimeoutMs ?? 3_000;
  }

  async clientConfig(_sessionId: string): Promise<MediaClientConfig> {
    return { transport: 'embedded', iceServers: this.iceServers.map((server) => ({ ...server })) };
  }

  async open(
    sessionId: string,
    signaling: SignalingChannel,
    onSignalingError: (error: { code: string; message: string }) => void,
  ): Promise<MediaSession> {
    const media = await this.ensureProcess();
    // Read after the await: a concurrent open() for the same id may have registered meanwhile.
    const previous = this.sessionsById.get(sessionId);
    const handle = this.nextHandle++;
    const session = new EmbeddedSession(
      sessionId,
      handle,
      {
        send: (message) => media.send(message),
        request: (message, timeoutMs) => media.request(message, timeoutMs),
        newRequestId: () => media.newRequestId(),
        close: async (h, timeoutMs) => {
          await media.request({ type: 'close', handle: h, requestId: media.newRequestId() }, timeoutMs);
        },
      },
      signaling,
      onSignalingError,
      this.logger,
      (ended) => this.forget(ended),
    );
    this.sessionsByHandle.set(handle, session);
    this.sessionsById.set(sessionId, session);
    media.send({ type: 'open', handle, iceServers: this.iceServers, recorder: this.recorder });
    this.logger.info({ sessionId, replaced: previous !== undefined }, 'media session opened');
    if (previous) await previous.close();
    return session;
  }

  onSessionsFailed(listener: (sessionIds: string[], reason: string) => void): Unsubscribe {
    this.failureListeners.add(listener);
    return () => this.failureListeners.delete(listener);
  }

  async shutdown(): Promise<void> {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    if (this.respawnTimer) clearTimeout(this.respawnTimer);
    this.respawnTimer = null;
    const recording: Promise<void>[] = [];
    for (const session of [...this.sessionsByHandle.values()]) {
      // A recording is finalised and reported first (bounded by its own timeout); otherwise the
      // process is about to go with all its peers: no per-session round trip.
      if (session.recordingActive && !session.ended) recording.push(session.close());
      else session.closeLocally();
    }
    await Promise.all(recording);
    const media = this.media ?? (await this.starting?.catch(() => null)) ?? null;
    this.media = null;
    if (!media) return;
    const exit = await media.stop(this.shutdownTimeoutMs);
    this.logger.info({ pid: media.pid, code: exit.code, signal: exit.signal }, 'media process stopped');
  }

  async processUsage(): Promise<MediaProcessUsage | null> {
    const media = this.media;
    if (!media?.alive) return null;
    try {
      const reply = await media.request({ type: 'usage', requestId: media.newRequestId() }, USAGE_TIMEOUT_MS);
      if (!('cpuMicros' in reply)) return null;
      const { cpuMicros, rssBytes, recorders } = reply;
      return { pid: media.pid, cpuMicros, rssBytes, ...(recorders ? { recorders } : {}) };
    } catch {
      return null;
    }
  }

  /** Starts the first media process; rejects (failing server startup) if wrtc cannot load. */
  async start(): Promise<void> {
    await this.ensureProcess();
  }

  private ensureProcess(): Promise<MediaProcess> {
    if (this.shuttingDown) return Promise.reject(new Error('embedded media: transport is shut down'));
    if (this.media?.alive) return Promise.resolve(this.media);
    if (this.starting) return this.starting;
    if (this.respawnTimer) {
      clearTimeout(this.respawnTimer);
      this.respawnTimer = null;
    }
    const starting = MediaProcess.start({
      logger: this.logger,
      startupTimeoutMs: this.startupTimeoutMs,
      onMessage: (message) => this.route(message),
      onExit: (exit, media) => this.handleExit(media, exit),
    });
    this.starting = starting;
    starting.then(
      (media) => {
        this.starting = null;
        if (this.shuttingDown) return; // shutdown() took it from `starting` and stops it
        this.media = media;
        this.mediaStartedAt = Date.now();
      },
      () => {
        this.starting = null;
        this.consecutiveFailures++;
      },
    );
    return starting;
  }

  private route(message: ChildToParent): void {
    if (message.type === 'log') {
      this.logger[message.level]({ ...message.fields, source: 'media-process' }, message.msg);
      return;
    }
    if ('handle' in message) this.sessionsByHandle.get(message.handle)?.receiveFromProcess(message);
  }

  private handleExit(media: MediaProcess, exit: ProcessExit): void {
    if (this.media === media) this.media = null;
    if (exit.expected || this.shuttingDown) return;
    this.consecutiveFailures = Date.now() - this.mediaStartedAt < STABLE_UPTIME_MS ? this.consecutiveFailures + 1 : 0;
    const reason = `media process exited unexpectedly (code ${exit.code}, signal ${exit.signal})`;
    const sessions = [...this.sessionsByHandle.values()];
    // Closing sessions still listed here are only waiting for a recording report: not failures.
    const failed = sessions.filter((session) => !session.ended);
    this.logger.error({ pid: media.pid, code: exit.code, signal: exit.signal, sessions: failed.length }, 'media process exited unexpectedly');
    for (const session of sessions) session.fail(reason);
    const ids = failed.map((session) => session.sessionId);
    if (ids.length > 0) {
      for (const listener of [...this.failureListeners]) {
        try {
          listener(ids, reason);
        } catch (error) {
          this.logger.error({ err: error }, 'sessions-failed listener failed');
        }
      }
    }
    this.scheduleRespawn();
  }

  private scheduleRespawn(): void {
    if (this.shuttingDown || this.respawnTimer || this.starting) return;
    const delay = Math.min(RESPAWN_MAX_DELAY_MS, RESPAWN_BASE_DELAY_MS * 2 ** Math.min(this.consecutiveFailures, 10));
    this.respawnTimer = setTimeout(() => {
      this.respawnTimer = null;
      this.ensureProcess().catch((error: unknown) => {
        this.logger.error({ err: error }, 'media process respawn failed');
        this.scheduleRespawn();
      });
    }, delay);
    this.respawnTimer.unref();
  }

  private forget(session: EmbeddedSession): void {
    this.sessionsByHandle.delete(session.handle);
    if (this.sessionsById.get(session.sessionId) === session) this.sessionsById.delete(session.sessionId);
  }
}

/**
 * Starts the embedded transport and its media process. Rejects with a clear error if
 * @roamhq/wrtc cannot be loaded (or does not load within the startup timeout), so a broken
 * install fails server startup rather than the first applicant's call.
 */
export async function createEmbeddedTransport(options: EmbeddedTransportOptions): Promise<MediaTransport> {
  const transport = new EmbeddedTransport(options);
  await transport.start();
  return transport;
}
