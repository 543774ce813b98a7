/**
 * The ffmpeg command line of a recording and a check that an ffmpeg can run it. Raw I420 arrives
 * on stdin and 16-bit mono PCM on fd 3; the output is fragmented MP4 (H.264 + AAC) that stays
 * playable if ffmpeg or the media process is killed (docs: FINDINGS "Recording").
 */
import { spawn } from 'node:child_process';

export interface EncoderSettings {
  /** x264 preset; veryfast/superfast keep a 640x480@15 recording well under 15% of a core. */
  preset: 'ultrafast' | 'superfast' | 'veryfast' | 'faster';
  /** x264 constant rate factor (higher = smaller, blurrier). */
  crf: number;
  /** Frames between key frames (= fragments at most this far apart). */
  keyframeInterval: number;
  /** x264 threads (0 = ffmpeg decides). One is cheapest per session on a shared host. */
  threads: number;
  audioBitrate: string;
}

export const DEFAULT_ENCODER: EncoderSettings = {
  preset: 'veryfast',
  crf: 28,
  keyframeInterval: 30,
  threads: 1,
  audioBitrate: '64k',
};

export interface RecordingCommand {
  file: string;
  width: number;
  height: number;
  fps: number;
  sampleRate: number;
  encoder: EncoderSettings;
}

export function ffmpegArguments(command: RecordingCommand): string[] {
  const { file, width, height, fps, sampleRate, encoder } = command;
  return [
    '-hide_banner',
    '-nostats',
    '-nostdin',
    '-loglevel',
    'error',
    // Inputs: each pipe gets its own reader thread; the queues absorb the audio's mixing delay.
    '-thread_queue_size',
    '32',
    // The inputs' formats are given: no probing (which would hold up the start by a second).
    '-probesize',
    '32',
    '-analyzeduration',
    '0',
    '-f',
    'rawvideo',
    '-pix_fmt',
    'yuv420p',
    '-video_size',
    `${width}x${height}`,
    '-framerate',
    String(fps),
    '-i',
    'pipe:0',
    '-thread_queue_size',
    '256',
    '-probesize',
    '32',
    '-analyzeduration',
    '0',
    '-f',
    's16le',
    '-ar',
    String(sampleRate),
    '-ac',
    '1',
    '-i',
    'pipe:3',
    '-map',
    '0:v:0',
    '-map',
    '1:a:0',
    '-c:v',
    'libx264',
    '-preset',
    encoder.preset,
    '-tune',
    'zerolatency',
    '-crf',
    String(encoder.crf),
    '-g',
    String(encoder.keyframeInterval),
    '-pix_fmt',
    'yuv420p',
    '-threads',
    String(encoder.threads),
    '-c:a',
    'aac',
    '-b:a',
    encoder.audioBitrate,
    '-movflags',
    '+frag_keyframe+empty_moov+default_base_moof',
    '-frag_duration',
    '1000000',
    '-flush_packets',
    '1',
    '-f',
    'mp4',
    // Never overwrite: an existing file is someone's evidence.
    '-n',
    file,
  ];
}

/** Why ffmpeg could not be started, in words an operator can act on. */
export function describeSpawnError(ffmpegPath: string, error: NodeJS.ErrnoException): string {
  if (error.code === 'ENOENT') {
    return `ffmpeg not found at '${ffmpegPath}': install ffmpeg (Debian: apt-get install ffmpeg) or set ffmpegPath`;
  }
  if (error.code === 'EACCES') return `ffmpeg at '${ffmpegPath}' is not executable`;
  return `ffmpeg at '${ffmpegPath}' could not be started (${error.code ?? error.message})`;
}

/**
 * Checks that `ffmpegPath` runs and has the encoders a recording needs (libx264, aac); resolves
 * with its version line. Meant for startup, so a server that must record fails early.
 */
export function checkFfmpeg(ffmpegPath: string, timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const child = spawn(ffmpegPath, ['-hide_banner', '-loglevel', 'error', '-version'], { stdio: ['ignore', 'pipe', 'ignore'] });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`ffmpeg at '${ffmpegPath}' did not answer -version within ${timeoutMs} ms`));
    }, timeoutMs);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (text: string) => {
      if (output.length < 64_000) output += text;
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(describeSpawnError(ffmpegPath, error)));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) {
        reject(new Error(`ffmpeg at '${ffmpegPath}' exited with code ${code} on -version`));
        return;
      }
      const missing = ['--enable-libx264'].filter((flag) => !output.includes(flag));
      if (missing.length > 0) {
        reject(new Error(`ffmpeg at '${ffmpegPath}' was built without libx264 (needed for recordings)`));
        return;
      }
      resolve(output.split('\n')[0]?.trim() ?? 'ffmpeg');
    });
  });
}

/** Keeps the last few kilobytes of ffmpeg's stderr (error messages only: -loglevel error). */
export class StderrTail {
  private text = '';

  constructor(private readonly maxChars = 4_000) {}

  push(chunk: string): void {
    this.text = (this.text + chunk).slice(-this.maxChars);
  }

  /** The last non-empty line, or null. */
  lastLine(): string | null {
    const lines = this.text.split('\n').map((line) => line.trim()).filter((line) => line.length > 0);
    return lines.length > 0 ? (lines[lines.length - 1] as string) : null;
  }
}
