/**
 * The server-side face of one applicant's embedded media: validates the client's signaling,
 * relays it to the media process, and turns what the media process reports (state, stats,
 * sampled frames, audio) into `MediaSession` events. Holds no WebRTC objects itself.
 */
import path from 'node:path';
import type { Logger } from '../../log.ts';
import type {
  AudioChunk,
  MediaConnectionState,
  MediaSession,
  MediaStats,
  RecordingEndReason,
  RecordingEnded,
  RecordingResult,
  SignalingChannel,
  Unsubscribe,
  VideoFrame,
} from '../types.ts';
import type { ChildToParent, ParentToChild, Reply } from './protocol.ts';
import { parseClientSignal } from './signaling.ts';
import { emptyStats } from './stats.ts';

/** Upper bound for `setVideoSampleRate`; verifiers need a few frames per second at most. */
export const MAX_SAMPLE_FPS = 30;
const CLOSE_TIMEOUT_MS = 2_000;
/** Starting waits up to 10 s for a first frame and 5 s for ffmpeg's header in the media process. */
const RECORDING_START_TIMEOUT_MS = 20_000;
/** Finalising: ffmpeg gets 10 s to finish the file, then the file is hashed. */
const RECORDING_END_TIMEOUT_MS = 30_000;

/** What a session needs from the media process that holds it. */
export interface SessionLink {
  send(message: ParentToChild): void;
  request(message: ParentToChild & { requestId: number }, timeoutMs: number): Promise<Reply>;
  newRequestId(): number;
  close(handle: number, timeoutMs: number): Promise<void>;
}

/** The server's view of one recording (the media process does the work). */
interface RecordingTrack {
  /** The start request's id, which names the recording in messages. */
  id: number;
  file: string;
  state: 'starting' | 'active' | 'not-started' | 'ended';
  stopRequested: boolean;
  startDone: Promise<void>;
  finishStart: () => void;
  ended: Promise<RecordingEnded>;
  finish: (ended: RecordingEnded) => void;
}

function newRecordingTrack(id: number, file: string): RecordingTrack {
  let finishStart: () => void = () => undefined;
  let finish: (ended: RecordingEnded) => void = () => undefined;
  const startDone = new Promise<void>((resolve) => (finishStart = resolve));
  const ended = new Promise<RecordingEnded>((resolve) => (finish = resolve));
  return { id, file, state: 'starting', stopRequested: false, startDone, finishStart, ended, finish };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

type SignalingErrorHandler = (error: { code: string; message: string }) => void;

export class EmbeddedSession implements MediaSession {
  private currentState: MediaConnectionState = 'new';
  private latestStats: MediaStats = emptyStats();
  private sampleFps = 0;
  private sentFps = 0;
  private audioForwarded = false;
  private readonly videoListeners = new Set<(frame: VideoFrame) => void>();
  private readonly audioListeners = new Set<(chunk: AudioChunk) => void>();
  private readonly stateListeners = new Set<(state: MediaConnectionState, reason?: string) => void>();
  private readonly recordingListeners = new Set<(ended: RecordingEnded) => void>();
  private recording: RecordingTrack | null = null;
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

  clearAudio(): void {
    if (this.ended) return;
    this.link.send({ type: 'clear-audio', handle: this.handle });
  }

  async startRecording(options: { file: string }): Promise<void> {
    const file = options?.file;
    if (typeof file !== 'string' || file.trim() === '') throw new TypeError('recording file must be a non-empty path');
    if (this.ended) throw new Error('recording could not start: the media session is closed');
    if (this.recording) throw new Error('recording could not start: the media session is already recording');
    const id = this.link.newRequestId();
    const recording = newRecordingTrack(id, path.resolve(file));
    this.recording = recording;
    try {
      let reply: Reply;
      try {
        reply = await this.link.request({ type: 'record-start', handle: this.handle, requestId: id, file: recording.file }, RECORDING_START_TIMEOUT_MS);
      } catch (error) {
        // No answer: make sure a start that is still under way there does not carry on unseen.
        this.link.send({ type: 'record-stop', handle: this.handle, recordingId: id });
        throw new Error(`recording could not start: ${errorMessage(error)}`);
      }
      if (!('recording' in reply)) {
        throw new Error('recordingError' in reply ? reply.recordingError : 'recording could not start: unexpected reply');
      }
      // It may have ended already (its end report can overtake this continuation).
      if (recording.state === 'starting') recording.state = 'active';
      this.logger.info({ sessionId: this.sessionId }, 'recording started');
    } catch (error) {
      if (recording.state === 'starting') recording.state = 'not-started';
      if (this.recording === recording) this.recording = null;
      this.logger.warn({ sessionId: this.sessionId, reason: errorMessage(error) }, 'recording did not start');
      throw error;
    } finally {
      recording.finishStart();
    }
  }

  async stopRecording(): Promise<RecordingResult | null> {
    const recording = this.recording;
    if (!recording) return null;
    if (recording.state === 'starting') await recording.startDone;
    if (recording.state === 'not-started') return null;
    if (recording.state === 'active' && !recording.stopRequested && !this.ended) {
      recording.stopRequested = true;
      this.link.send({ type: 'record-stop', handle: this.handle, recordingId: recording.id });
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`recording did not finish within ${RECORDING_END_TIMEOUT_MS} ms`)), RECORDING_END_TIMEOUT_MS);
    });
    try {
      const ended = await Promise.race([recording.ended, timeout]);
      if (ended.result) return ended.result;
      throw new Error(ended.error ?? 'recording ended without a result');
    } finally {
      clearTimeout(timer);
    }
  }

  onRecordingEnded(listener: (ended: RecordingEnded) => void): Unsubscribe {
    this.recordingListeners.add(listener);
    return () => this.recordingListeners.delete(listener);
  }

  /** A recording is starting or running. */
  get recordingActive(): boolean {
    return this.recording !== null;
  }

  stats(): MediaStats {
    const stats = this.latestStats;
    return { ...stats, lastFrameSize: stats.lastFrameSize ? { ...stats.lastFrameSize } : null };
  }

  /**
   * Closes the session. A running recording is finalised first (the media process reports it
   * before it confirms the close), so this can take as long as ffmpeg needs to finish the file.
   */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    const wasEnded = this.ended;
    const recording = this.recording !== null;
    this.detachSignaling();
    const closing = wasEnded
      ? Promise.resolve()
      : this.link.close(this.handle, recording ? RECORDING_END_TIMEOUT_MS : CLOSE_TIMEOUT_MS).catch((error: unknown) => {
          this.logger.warn({ sessionId: this.sessionId, err: error }, 'media session close not confirmed');
        });
    if (this.currentState !== 'failed') this.changeState('closed');
    if (!recording) {
      this.closing = closing;
      this.onEnded(this);
      return closing;
    }
    // Stay reachable (onEnded unregisters the handle) until the recording's end report is in.
    this.closing = closing.then(() => {
      this.endRecordingLocally('session-closed', 'the media process did not confirm the recording was finalised');
      this.onEnded(this);
    });
    return this.closing;
  }

  /** Ends the session without asking the media process (it is going away with all its peers). */
  closeLocally(): void {
    if (this.ended) return;
    this.detachSignaling();
    this.changeState('closed');
    this.endRecordingLocally('session-closed', 'the media process was stopped before the recording was finalised');
    this.onEnded(this);
  }

  /** The media process died: this session cannot recover (the client must open a new one). */
  fail(reason: string): void {
    // Even a closing session may still wait for its recording.
    this.endRecordingLocally('media-failed', reason);
    if (this.ended) return;
    this.detachSignaling();
    this.changeState('failed', reason);
    this.onEnded(this);
  }

  /** A message from the media process about this session. */
  receiveFromProcess(message: ChildToParent): void {
    if (message.type === 'recording-ended') {
      // Arrives during close() too: a closing session finalises its recording.
      if (this.recording?.id !== message.recordingId) return;
      const { file, reason, result, error } = message;
      this.finishRecording({ file, reason, result, ...(error === undefined ? {} : { error }) });
      return;
    }
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

  /** Ends the current recording without a result (the media process cannot report it any more). */
  private endRecordingLocally(reason: RecordingEndReason, error: string): void {
    const recording = this.recording;
    if (!recording) return;
    // A start still waiting for its reply fails through that reply instead.
    if (recording.state === 'starting') return;
    this.finishRecording({ file: recording.file, reason, result: null, error });
  }

  private finishRecording(ended: RecordingEnded): void {
    const recording = this.recording;
    if (!recording) return;
    this.recording = null;
    recording.state = 'ended';
    recording.finish(ended);
    const { result } = ended;
    const fields = { sessionId: this.sessionId, reason: ended.reason, durationMs: result?.durationMs ?? null, bytes: result?.bytes ?? null };
    if (result) this.logger.info(fields, 'recording ended');
    else this.logger.warn({ ...fields, error: ended.error ?? null }, 'recording ended without a result');
    this.emit(this.recordingListeners, 'recording listener failed', (listener) => listener(ended));
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
