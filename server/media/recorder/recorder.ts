/**
 * One recording: an ffmpeg process fed in real time from the media process. Video goes out on a
 * fixed-rate timer that repeats the last frame when none arrived, audio is the wall-clock mix of
 * the applicant's microphone and the assistant's speech with silence in the gaps, so the file's
 * timeline is the wall clock's even when the camera stalls. When ffmpeg falls behind, video
 * frames are dropped (counted), never queued without bound.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { access, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Writable } from 'node:stream';
import type { RecordingResult } from '../types.ts';
import { StreamingResampler, downmixToMono } from '../embedded/audio.ts';
import { DEFAULT_ENCODER, StderrTail, describeSpawnError, ffmpegArguments, type EncoderSettings } from './ffmpeg.ts';
import { AudioMixer } from './mixer.ts';
import { I420Scaler, framesDue, recordingSize, type I420Frame } from './video.ts';

export const RECORDING_FPS = 15;
export const RECORDING_SAMPLE_RATE = 48_000;
const TICK_MS = 20;
/** Audio is written this far behind the wall clock, so late microphone chunks still get mixed in. */
const MIX_DELAY_MS = 200;
/** Video waiting in the pipe beyond this many frames means ffmpeg is behind: drop instead. */
const MAX_QUEUED_FRAMES = 15;
const MAX_QUEUED_AUDIO_MS = 2_000;
const HEADER_TIMEOUT_MS = 5_000;
const HEADER_POLL_MS = 40;
const EXIT_TIMEOUT_MS = 10_000;

export type AudioSourceName = 'microphone' | 'assistant';

export type RecorderLog = (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, string | number | boolean | null>) => void;

export interface RecorderOptions {
  ffmpegPath: string;
  /** Absolute path of the new file; its folder must exist, the file must not. */
  file: string;
  /** The first frame: sets the recording's size and is shown until the next one arrives. */
  firstFrame: I420Frame;
  log: RecorderLog;
  /** Called once if ffmpeg exits on its own (not through `stop`/`abort`); the file stays. */
  onFailure: (message: string) => void;
  encoder?: Partial<EncoderSettings>;
  now?: () => number;
}

export class RecorderError extends Error {
  override readonly name = 'RecorderError';
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export class Recorder {
  readonly file: string;
  readonly width: number;
  readonly height: number;
  readonly startedAtMs: number;
  /** Resolves once ffmpeg has written the file's header; rejects (and cleans up) if it cannot. */
  readonly ready: Promise<void>;
  private readonly ffmpeg: ChildProcess;
  private readonly video: Writable;
  private readonly audio: Writable;
  private readonly stderr = new StderrTail();
  private readonly exited: Promise<Exit>;
  private readonly scaler: I420Scaler;
  private readonly mixer: AudioMixer;
  private readonly resamplers = new Map<AudioSourceName, StreamingResampler>();
  private readonly now: () => number;
  private readonly log: RecorderLog;
  private frame: Uint8Array;
  private frameSlots = 0;
  private videoFrames = 0;
  private droppedFrames = 0;
  private audioSamples = 0;
  private droppedAudioSamples = 0;
  private timer: NodeJS.Timeout | null;
  private spawnError: string | null = null;
  private ending: 'stop' | 'abort' | null = null;
  /** The header is written: from now on an exit that `stop` did not cause is a failure. */
  private started = false;
  private stopping: Promise<RecordingResult> | null = null;

  constructor(private readonly options: RecorderOptions) {
    this.now = options.now ?? Date.now;
    this.log = options.log;
    this.file = options.file;
    const size = recordingSize(options.firstFrame.width, options.firstFrame.height);
    this.width = size.width;
    this.height = size.height;
    this.scaler = new I420Scaler(size.width, size.height);
    this.frame = this.scaler.scale(options.firstFrame);
    const encoder = { ...DEFAULT_ENCODER, ...options.encoder };
    const args = ffmpegArguments({ file: this.file, ...size, fps: RECORDING_FPS, sampleRate: RECORDING_SAMPLE_RATE, encoder });
    // Own process group: a Ctrl-C in the terminal must not cut recordings; the server decides.
    // If the media process dies, ffmpeg reads end-of-file on both pipes and finishes the file.
    this.ffmpeg = spawn(options.ffmpegPath, args, { stdio: ['pipe', 'ignore', 'pipe', 'pipe'], detached: true });
    this.startedAtMs = this.now();
    this.mixer = new AudioMixer({ sampleRate: RECORDING_SAMPLE_RATE, startMs: this.startedAtMs });
    this.video = this.ffmpeg.stdio[0] as Writable;
    this.audio = this.ffmpeg.stdio[3] as Writable;
    // A closed pipe (ffmpeg gone) is reported through the exit; the write errors carry nothing more.
    this.video.on('error', () => undefined);
    this.audio.on('error', () => undefined);
    const stderr = this.ffmpeg.stderr;
    stderr?.setEncoding('utf8');
    stderr?.on('data', (text: string) => this.stderr.push(text));
    this.exited = new Promise<Exit>((resolve) => {
      this.ffmpeg.once('error', (error: NodeJS.ErrnoException) => {
        this.spawnError = describeSpawnError(options.ffmpegPath, error);
        resolve({ code: null, signal: null });
      });
      this.ffmpeg.once('close', (code, signal) => resolve({ code, signal }));
    });
    this.timer = setInterval(() => this.tick(this.now()), TICK_MS);
    this.ready = this.waitForHeader();
    this.ready.catch(() => undefined); // the owner awaits it; this only keeps Node from calling it unhandled
    void this.exited.then((exit) => this.onExit(exit));
  }

  /** A decoded frame of the recorded peer (copied; resized if its size differs). */
  pushVideo(frame: I420Frame): void {
    if (this.ending) return;
    this.frame = this.scaler.scale(frame);
  }

  /** Audio heard (microphone) or played (assistant) at `atMs`, any rate and channel count. */
  pushAudio(source: AudioSourceName, samples: Int16Array, sampleRate: number, channels: number, atMs: number): void {
    if (this.ending || samples.length === 0) return;
    let mono = downmixToMono(samples, channels);
    if (sampleRate !== RECORDING_SAMPLE_RATE) {
      let resampler = this.resamplers.get(source);
      if (!resampler || resampler.fromRate !== sampleRate) {
        resampler = new StreamingResampler(sampleRate, RECORDING_SAMPLE_RATE);
        this.resamplers.set(source, resampler);
      }
      mono = resampler.push(mono);
    }
    this.mixer.add(source, mono, atMs);
  }

  /**
   * Writes the timeline up to now, closes ffmpeg's inputs, waits for it to finish the file and
   * hashes it. Rejects with ffmpeg's error if it failed.
   */
  stop(): Promise<RecordingResult> {
    if (this.stopping) return this.stopping;
    this.stopping = this.finish();
    return this.stopping;
  }

  /** Kills ffmpeg and removes the file: for a recording that never started. */
  async abort(): Promise<void> {
    if (this.ending) return;
    this.ending = 'abort';
    this.clearTimer();
    this.ffmpeg.kill('SIGKILL');
    await this.exited;
    await rm(this.file, { force: true });
  }

  /** Process id of ffmpeg (for usage accounting), or null if it is not running. */
  get pid(): number | null {
    return this.ffmpeg.exitCode === null && this.ffmpeg.signalCode === null ? (this.ffmpeg.pid ?? null) : null;
  }

  private async finish(): Promise<RecordingResult> {
    if (this.ending === 'abort') throw new RecorderError('recording was aborted');
    this.ending = 'stop';
    this.clearTimer();
    const endedAtMs = this.now();
    this.flushVideo(endedAtMs, true);
    this.flushAudio(this.mixer.sampleAt(endedAtMs), true);
    this.video.end();
    this.audio.end();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), EXIT_TIMEOUT_MS)));
    const first = await Promise.race([this.exited, timeout]);
    clearTimeout(timer);
    if (first === 'timeout') {
      this.ffmpeg.kill('SIGKILL');
      await this.exited;
      throw new RecorderError(`ffmpeg did not finish the recording within ${EXIT_TIMEOUT_MS} ms (killed)`);
    }
    if (first.code !== 0) throw new RecorderError(this.failureMessage(first));
    const { bytes, sha256 } = await hashFile(this.file);
    if (this.droppedFrames > 0 || this.droppedAudioSamples > 0 || this.mixer.droppedSamples > 0) {
      this.log('warn', 'recording dropped media', {
        droppedFrames: this.droppedFrames,
        droppedAudioSamples: this.droppedAudioSamples,
        unmixedAudioSamples: this.mixer.droppedSamples,
      });
    }
    return {
      file: this.file,
      bytes,
      sha256,
      durationMs: endedAtMs - this.startedAtMs,
      startedAtMs: this.startedAtMs,
      endedAtMs,
      videoFrames: this.videoFrames,
      audioSamples: this.audioSamples,
      width: this.width,
      height: this.height,
      droppedVideoFrames: this.droppedFrames,
    };
  }

  private tick(nowMs: number): void {
    this.flushVideo(nowMs, false);
    this.flushAudio(this.mixer.sampleAt(nowMs - MIX_DELAY_MS), false);
  }

  /** One frame per slot of the timeline that has begun: the latest frame, repeated if need be. */
  private flushVideo(nowMs: number, final: boolean): void {
    const due = framesDue(this.startedAtMs, nowMs, RECORDING_FPS);
    const frameBytes = this.frame.length;
    for (; this.frameSlots < due; this.frameSlots++) {
      if (!final && this.video.writableLength >= MAX_QUEUED_FRAMES * frameBytes) {
        if (this.droppedFrames === 0) this.log('warn', 'recording is behind, dropping video frames', { queuedFrames: MAX_QUEUED_FRAMES });
        this.droppedFrames++;
        continue;
      }
      this.video.write(this.frame);
      this.videoFrames++;
    }
  }

  private flushAudio(untilSample: number, final: boolean): void {
    const samples = this.mixer.take(untilSample);
    if (samples.length === 0) return;
    const maxQueuedBytes = ((MAX_QUEUED_AUDIO_MS * RECORDING_SAMPLE_RATE) / 1000) * 2;
    if (!final && this.audio.writableLength >= maxQueuedBytes) {
      if (this.droppedAudioSamples === 0) this.log('warn', 'recording is behind, dropping audio', { queuedMs: MAX_QUEUED_AUDIO_MS });
      this.droppedAudioSamples += samples.length;
      return;
    }
    // s16le: the platform's byte order is little-endian on every host we run on (x86-64, arm64).
    this.audio.write(Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength));
    this.audioSamples += samples.length;
  }

  private async waitForHeader(): Promise<void> {
    const deadline = this.now() + HEADER_TIMEOUT_MS;
    let exit: Exit | null = null;
    void this.exited.then((e) => (exit = e));
    for (;;) {
      if (this.ending === 'abort') throw new RecorderError('recording was aborted while starting');
      if (exit !== null) {
        await rm(this.file, { force: true }).catch(() => undefined);
        throw new RecorderError(this.failureMessage(exit));
      }
      const size = await stat(this.file).then(
        (s) => s.size,
        () => 0,
      );
      if (size > 0) {
        this.started = true;
        return;
      }
      if (this.now() > deadline) {
        await this.abort();
        throw new RecorderError(`ffmpeg wrote nothing within ${HEADER_TIMEOUT_MS} ms`);
      }
      await new Promise((resolve) => setTimeout(resolve, HEADER_POLL_MS));
    }
  }

  private onExit(exit: Exit): void {
    this.clearTimer();
    // Before the header, `ready` reports the failure; after `stop`/`abort`, the exit is expected.
    if (this.ending || !this.started) return;
    this.ending = 'stop';
    const message = this.failureMessage(exit);
    this.stopping = Promise.reject(new RecorderError(message));
    this.stopping.catch(() => undefined);
    this.log('error', 'recording ffmpeg exited unexpectedly', { code: exit.code, signal: exit.signal });
    this.options.onFailure(message);
  }

  private failureMessage(exit: Exit): string {
    if (this.spawnError) return this.spawnError;
    const detail = this.stderr.lastLine();
    const how = exit.signal ? `was killed (${exit.signal})` : `exited with code ${exit.code}`;
    return detail ? `ffmpeg ${how}: ${detail}` : `ffmpeg ${how}`;
  }

  private clearTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}

/** Checks a recording can be written to `file` before ffmpeg is started. */
export async function checkRecordingTarget(file: string): Promise<void> {
  if (!path.isAbsolute(file)) throw new RecorderError('recording file must be an absolute path');
  const folder = path.dirname(file);
  const info = await stat(folder).catch(() => null);
  if (!info?.isDirectory()) throw new RecorderError('recording folder does not exist');
  const exists = await access(file).then(
    () => true,
    () => false,
  );
  if (exists) throw new RecorderError('recording file already exists');
}

/** Size and SHA-256 of a file, read as a stream. */
export async function hashFile(file: string): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(file)) {
    const buffer = chunk as Buffer;
    bytes += buffer.length;
    hash.update(buffer);
  }
  return { bytes, sha256: hash.digest('hex') };
}
