/**
 * The recording side of one media session inside the media process: keeps the current peer's
 * latest frame, starts and ends the ffmpeg recorder, feeds it every frame and both audio
 * directions, and reports each started recording's end to the server exactly once.
 */
import { Recorder, checkRecordingTarget, type AudioSourceName } from '../recorder/recorder.ts';
import type { I420Frame } from '../recorder/video.ts';
import type { RecordingEndReason } from '../types.ts';
import type { ChildToParent, LogLevel, RecordStartReply, RecorderConfig } from './protocol.ts';

/** How long `start` waits for a first video frame when none has arrived yet. */
const FIRST_FRAME_TIMEOUT_MS = 10_000;

interface ActiveRecording {
  id: number;
  file: string;
  recorder: Recorder;
  /** The file has its header and the server was told so; only then is an end reported. */
  started: boolean;
  /** Set when the recording ended before it started. */
  endedBy: RecordingEndReason | null;
}

export interface ChildRecordingDeps {
  send: (message: ChildToParent) => void;
  log: (level: LogLevel, msg: string, fields?: Record<string, string | number | boolean | null>) => void;
}

const END_WHILE_STARTING: Record<RecordingEndReason, string> = {
  stopped: 'the recording was stopped while it was starting',
  'session-closed': 'the media session closed while the recording was starting',
  'peer-replaced': 'the peer connection was replaced while the recording was starting',
  'recorder-failed': 'ffmpeg failed while the recording was starting',
  'media-failed': 'the media process failed while the recording was starting',
};

export class ChildRecording {
  private active: ActiveRecording | null = null;
  private starting = false;
  private latestFrame: I420Frame | null = null;
  private readonly frameWaiters = new Set<(frame: I420Frame | null) => void>();
  private closed = false;

  constructor(
    private readonly handle: number,
    private readonly config: RecorderConfig,
    private readonly deps: ChildRecordingDeps,
  ) {}

  /** ffmpeg's process id while a recording runs (usage accounting). */
  get recorderPid(): number | null {
    return this.active?.recorder.pid ?? null;
  }

  /** Every decoded frame of the current peer connection. */
  pushVideo(frame: I420Frame): void {
    this.latestFrame = frame;
    if (this.frameWaiters.size > 0) {
      for (const resolve of [...this.frameWaiters]) resolve(frame);
      this.frameWaiters.clear();
    }
    this.active?.recorder.pushVideo(frame);
  }

  pushAudio(source: AudioSourceName, samples: Int16Array, sampleRate: number, channels: number, atMs: number): void {
    this.active?.recorder.pushAudio(source, samples, sampleRate, channels, atMs);
  }

  /** A new peer connection replaced the recorded one: the recording ends with it. */
  peerReplaced(): void {
    this.latestFrame = null;
    void this.end('peer-replaced');
  }

  async start(id: number, file: string): Promise<RecordStartReply> {
    if (this.closed) return { recordingError: 'the media session is closed' };
    if (this.active || this.starting) return { recordingError: 'the media session is already recording' };
    this.starting = true;
    try {
      await checkRecordingTarget(file);
      const frame = this.latestFrame ?? (await this.waitForFrame(FIRST_FRAME_TIMEOUT_MS));
      if (this.closed) return { recordingError: 'the media session is closed' };
      if (!frame) {
        return { recordingError: `no video from the client within ${FIRST_FRAME_TIMEOUT_MS / 1000} s; recording not started` };
      }
      let active: ActiveRecording | null = null;
      const recorder = new Recorder({
        ffmpegPath: this.config.ffmpegPath,
        file,
        firstFrame: frame,
        log: (level, msg, fields) => this.deps.log(level, msg, { handle: this.handle, ...fields }),
        onFailure: (message) => {
          if (active) this.recorderFailed(active, message);
        },
      });
      active = { id, file, recorder, started: false, endedBy: null };
      this.active = active;
      this.starting = false;
      try {
        await active.recorder.ready;
      } catch (error) {
        if (this.active === active) this.active = null;
        if (active.endedBy) return { recordingError: END_WHILE_STARTING[active.endedBy] };
        return { recordingError: `recording could not start: ${error instanceof Error ? error.message : String(error)}` };
      }
      if (this.active !== active) {
        return { recordingError: END_WHILE_STARTING[active.endedBy ?? 'session-closed'] };
      }
      active.started = true;
      this.deps.log('info', 'recording started', { handle: this.handle, width: active.recorder.width, height: active.recorder.height });
      return { recording: 'started', startedAtMs: active.recorder.startedAtMs };
    } catch (error) {
      return { recordingError: error instanceof Error ? error.message : String(error) };
    } finally {
      this.starting = false;
    }
  }

  /** Stops the recording started by request `id` (a stale stop is ignored). */
  stop(id: number): void {
    if (this.active?.id === id) void this.end('stopped');
  }

  /** Ends the recording (if any): finalises and hashes the file, then reports it. */
  async end(reason: RecordingEndReason): Promise<void> {
    const active = this.active;
    if (!active) return;
    this.active = null;
    if (!active.started) {
      // `start` is still waiting for the header: it answers with an error and the file goes.
      active.endedBy = reason;
      await active.recorder.abort();
      return;
    }
    let result = null;
    let error: string | undefined;
    try {
      result = await active.recorder.stop();
    } catch (failure) {
      error = failure instanceof Error ? failure.message : String(failure);
      this.deps.log('error', 'recording could not be finalised', { handle: this.handle, reason });
    }
    this.deps.send({
      type: 'recording-ended',
      handle: this.handle,
      recordingId: active.id,
      file: active.file,
      reason,
      result,
      ...(error === undefined ? {} : { error }),
    });
    this.deps.log('info', 'recording ended', {
      handle: this.handle,
      reason,
      durationMs: result?.durationMs ?? null,
      bytes: result?.bytes ?? null,
      videoFrames: result?.videoFrames ?? null,
      droppedVideoFrames: result?.droppedVideoFrames ?? null,
    });
  }

  /** The session closes: a running recording is finalised; resolves once it is reported. */
  close(): Promise<void> {
    this.closed = true;
    for (const resolve of [...this.frameWaiters]) resolve(null);
    this.frameWaiters.clear();
    return this.end('session-closed');
  }

  private recorderFailed(active: ActiveRecording, message: string): void {
    if (this.active !== active || !active.started) return;
    this.active = null;
    this.deps.send({
      type: 'recording-ended',
      handle: this.handle,
      recordingId: active.id,
      file: active.file,
      reason: 'recorder-failed',
      result: null,
      error: message,
    });
  }

  private waitForFrame(timeoutMs: number): Promise<I420Frame | null> {
    return new Promise((resolve) => {
      const waiter = (frame: I420Frame | null): void => {
        clearTimeout(timer);
        resolve(frame);
      };
      const timer = setTimeout(() => {
        this.frameWaiters.delete(waiter);
        resolve(null);
      }, timeoutMs);
      this.frameWaiters.add(waiter);
    });
  }
}
