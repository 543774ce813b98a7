/**
 * The server-side face of one applicant's embedded media: validates the client's signaling,
 * relays it to the media process, and turns what the media process reports (state, stats,
 * sampled frames, audio) into `MediaSession` events. Holds no WebRTC objects itself.
 */
import type { Logger } from '../../log.ts';
import type {
  AudioChunk,
  MediaConnectionState,
  MediaSession,
  MediaStats,
  SignalingChannel,
  Unsubscribe,
  VideoFrame,
} from '../types.ts';
import type { ChildToParent, ParentToChild } from './protocol.ts';
import { parseClientSignal } from './signaling.ts';

/** Upper bound for `setVideoSampleRate`; verifiers need a few frames per second at most. */
export const MAX_SAMPLE_FPS = 30;
const CLOSE_TIMEOUT_MS = 2_000;

/** What a session needs from the media process that holds it. */
export interface SessionLink {
  send(message: ParentToChild): void;
  close(handle: number, timeoutMs: number): Promise<void>;
}

type SignalingErrorHandler = (error: { code: string; message: string }) => void;

function emptyStats(): MediaStats {
  return {
    framesReceived: 0,
    lastFrameSize: null,
    firstFrameAtMs: null,
    audioChunksReceived: 0,
    audioPeak: 0,
    audioRms: 0,
    firstAudioAtMs: null,
  };
}

export class EmbeddedSession implements MediaSession {
  private currentState: MediaConnectionState = 'new';
  private latestStats: MediaStats = emptyStats();
  private sampleFps = 0;
  private sentFps = 0;
  private audioForwarded = false;
  private readonly videoListeners = new Set<(frame: VideoFrame) => void>();
  private readonly audioListeners = new Set<(chunk: AudioChunk) => void>();
  private readonly stateListeners = new Set<(state: MediaConnectionState, reason?: string) => void>();
  private unsubscribeSignaling: Unsubscribe | null;
  private closing: Promise<void> | null = null;

  constructor(
    readonly sessionId: string,
    readonly handle: number,
    private readonly link: SessionLink,
    private readonly signaling: SignalingChannel,
    private readonly onSignalingError: SignalingErrorHandler,
    private readonly logger: Logger,
    private readonly onEnded: (session: EmbeddedSession) => void,
  ) {
    this.unsubscribeSignaling = signaling.onMessage((message) => this.receiveSignal(message));
  }

  get state(): MediaConnectionState {
    return this.currentState;
  }

  /** Closed or failed: nothing more will happen on this session. */
  get ended(): boolean {
    return this.currentState === 'closed' || this.closing !== null || this.unsubscribeSignaling === null;
  }

  setVideoSampleRate(fps: number): void {
    if (!Number.isFinite(fps) || fps < 0) throw new RangeError('video sample rate must be a number >= 0');
    this.sampleFps = Math.min(fps, MAX_SAMPLE_FPS);
    this.updateVideoRate();
  }

  onVideoFrame(listener: (frame: VideoFrame) => void): Unsubscribe {
    this.videoListeners.add(listener);
    this.updateVideoRate();
    return () => {
      this.videoListeners.delete(listener);
      this.updateVideoRate();
    };
  }

  onAudio(listener: (chunk: AudioChunk) => void): Unsubscribe {
    this.audioListeners.add(listener);
    this.updateAudioForwarding();
    return () => {
      this.audioListeners.delete(listener);
      this.updateAudioForwarding();
    };
  }

  onStateChange(listener: (state: MediaConnectionState, reason?: string) => void): Unsubscribe {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  sendAudio(chunk: AudioChunk): void {
    if (this.ended) return;
    const { samples, sampleRate, channels } = chunk;
    if (!(samples instanceof Int16Array)) throw new TypeError('audio samples must be an Int16Array');
    if (!Number.isInteger(sampleRate) || sampleRate < 8_000 || sampleRate > 192_000) {
      throw new RangeError('audio sample rate must be an integer between 8000 and 192000');
    }
    if (!Number.isInteger(channels) || channels < 1 || channels > 8 || samples.length % channels !== 0) {
      throw new RangeError('audio channels must be 1..8 and divide the sample count');
    }
    if (samples.length === 0) return;
    // IPC serializes a typed array's whole underlying buffer: send a view of a larger one as a copy.
    const own = samples.byteOffset === 0 && samples.byteLength === samples.buffer.byteLength;
    this.link.send({ type: 'send-audio', handle: this.handle, samples: own ? samples : samples.slice(), sampleRate, channels });
  }

  stats(): MediaStats {
    const stats = this.latestStats;
    return { ...stats, lastFrameSize: stats.lastFrameSize ? { ...stats.lastFrameSize } : null };
  }

  close(): Promise<void> {
    if (this.closing) return this.closing;
    const wasEnded = this.ended;
    this.detachSignaling();
    this.closing = wasEnded
      ? Promise.resolve()
      : this.link.close(this.handle, CLOSE_TIMEOUT_MS).catch((error: unknown) => {
          this.logger.warn({ sessionId: this.sessionId, err: error }, 'media session close not confirmed');
        });
    if (this.currentState !== 'failed') this.changeState('closed');
    this.onEnded(this);
    return this.closing;
  }

  /** Ends the session without asking the media process (it is going away with all its peers). */
  closeLocally(): void {
    if (this.ended) return;
    this.detachSignaling();
    this.changeState('closed');
    this.onEnded(this);
  }

  /** The media process died: this session cannot recover (the client must open a new one). */
  fail(reason: string): void {
    if (this.ended) return;
    this.detachSignaling();
    this.changeState('failed', reason);
    this.onEnded(this);
  }

  /** A message from the media process about this session. */
  receiveFromProcess(message: ChildToParent): void {
    if (this.ended) return;
    switch (message.type) {
      case 'signal':
        try {
          this.signaling.send(message.message);
        } catch (error) {
          this.logger.warn({ sessionId: this.sessionId, err: error }, 'media signal could not be sent');
        }
        return;
      case 'signal-error':
        this.reportSignalingError(message.message);
        return;
      case 'state':
        this.changeState(message.state, message.reason);
        return;
      case 'stats':
        this.latestStats = message.stats;
        return;
      case 'frame': {
        const frame: VideoFrame = {
          width: message.width,
          height: message.height,
          data: message.data,
          timestampMs: message.timestampMs,
        };
        this.emit(this.videoListeners, 'video frame listener failed', (listener) => listener(frame));
        return;
      }
      case 'audio': {
        const chunk: AudioChunk = {
          samples: message.samples,
          sampleRate: message.sampleRate,
          channels: message.channels,
          timestampMs: message.timestampMs,
        };
        this.emit(this.audioListeners, 'audio listener failed', (listener) => listener(chunk));
        return;
      }
      default:
        return;
    }
  }

  private receiveSignal(message: unknown): void {
    if (this.ended) return;
    const parsed = parseClientSignal(message);
    if (!parsed.ok) {
      this.reportSignalingError(parsed.message);
      return;
    }
    const signal = parsed.signal;
    if (signal.type === 'offer') {
      this.link.send({ type: 'offer', handle: this.handle, sdp: signal.sdp });
    } else {
      this.link.send({ type: 'candidate', handle: this.handle, candidate: signal.candidate });
    }
  }

  private reportSignalingError(message: string): void {
    this.logger.warn({ sessionId: this.sessionId, reason: message }, 'bad media signal');
    try {
      this.onSignalingError({ code: 'bad_signal', message });
    } catch (error) {
      this.logger.error({ sessionId: this.sessionId, err: error }, 'signaling error handler failed');
    }
  }

  private updateVideoRate(): void {
    const fps = this.videoListeners.size > 0 ? this.sampleFps : 0;
    if (fps === this.sentFps || this.ended) return;
    this.sentFps = fps;
    this.link.send({ type: 'video-rate', handle: this.handle, fps });
  }

  private updateAudioForwarding(): void {
    const enabled = this.audioListeners.size > 0;
    if (enabled === this.audioForwarded || this.ended) return;
    this.audioForwarded = enabled;
    this.link.send({ type: 'audio-subscribe', handle: this.handle, enabled });
  }

  private changeState(state: MediaConnectionState, reason?: string): void {
    if (state === this.currentState) return;
    this.currentState = state;
    this.emit(this.stateListeners, 'media state listener failed', (listener) => listener(state, reason));
  }

  private detachSignaling(): void {
    this.unsubscribeSignaling?.();
    this.unsubscribeSignaling = null;
  }

  /** Calls every listener; one that throws is logged and does not stop the others (or the server). */
  private emit<T>(listeners: Set<T>, failure: string, call: (listener: T) => void): void {
    for (const listener of [...listeners]) {
      try {
        call(listener);
      } catch (error) {
        this.logger.error({ sessionId: this.sessionId, err: error }, failure);
      }
    }
  }
}
