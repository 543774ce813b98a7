/**
 * End-of-turn detection (pure, clock-free: times come with the audio). Feeds 16 kHz PCM through
 * the VAD and reports when the applicant starts speaking, pauses, resumes and finishes a turn.
 * `pause` comes before `end` so a caller may start recognizing early and keep the result only if
 * the turn really ended there.
 */
import { EnergyVad, frameDb, VAD_FRAME_MS } from './vad.ts';

export interface EndpointOptions {
  sampleRate: number;
  /** Voiced time within the last 200 ms that starts a turn. */
  startMs?: number;
  /** Silence after speech that may be the end (early recognition starts). */
  pauseMs?: number;
  /** Silence after speech that ends the turn. */
  endMs?: number;
  /** A turn never runs longer than this. */
  maxMs?: number;
  /** Turns with less voiced time than this are dropped as noise. */
  minVoicedMs?: number;
  /** Audio kept from before the detected start, and after the last voiced frame. */
  prerollMs?: number;
  tailMs?: number;
}

export interface Utterance {
  samples: Int16Array;
  sampleRate: number;
  /** Epoch ms of the first voiced frame and of the end of the last voiced frame. */
  speechStartMs: number;
  speechEndMs: number;
  voicedMs: number;
}

export type EndpointEvent =
  | { type: 'start'; atMs: number }
  | { type: 'pause'; utterance: Utterance }
  | { type: 'resume' }
  | { type: 'end'; utterance: Utterance }
  | { type: 'noise' };

interface Frame {
  samples: Int16Array;
  atMs: number;
  voiced: boolean;
}

export class TurnDetector {
  private readonly vad: EnergyVad;
  private readonly o: Required<EndpointOptions>;
  private pending = new Int16Array(0);
  private pendingAtMs = 0;
  private recent: Frame[] = [];
  private turn: Frame[] | null = null;
  private firstVoicedMs = 0;
  private lastVoicedEndMs = 0;
  private voicedMs = 0;
  private paused = false;

  constructor(options: EndpointOptions) {
    this.o = { startMs: 100, pauseMs: 200, endMs: 400, maxMs: 10_000, minVoicedMs: 160, prerollMs: 200, tailMs: 150, ...options };
    this.vad = new EnergyVad({ sampleRate: options.sampleRate });
  }

  get inTurn(): boolean {
    return this.turn !== null;
  }

  /** Voiced milliseconds of the turn in progress (0 outside one). */
  get currentVoicedMs(): number {
    return this.turn ? this.voicedMs : 0;
  }

  /** Forgets any turn in progress (e.g. the question changed). */
  reset(): void {
    this.turn = null;
    this.recent = [];
    this.pending = new Int16Array(0);
    this.paused = false;
  }

  push(samples: Int16Array, timestampMs: number): EndpointEvent[] {
    const events: EndpointEvent[] = [];
    const size = this.vad.frameSamples;
    let buffer = samples;
    let atMs = timestampMs;
    if (this.pending.length > 0) {
      buffer = new Int16Array(this.pending.length + samples.length);
      buffer.set(this.pending);
      buffer.set(samples, this.pending.length);
      atMs = this.pendingAtMs;
    }
    let offset = 0;
    for (; offset + size <= buffer.length; offset += size) {
      const frame = buffer.slice(offset, offset + size);
      const frameAt = atMs + (offset * 1000) / this.o.sampleRate;
      this.frame({ samples: frame, atMs: frameAt, voiced: this.vad.isSpeech(frameDb(frame)) }, events);
    }
    this.pending = buffer.slice(offset);
    this.pendingAtMs = atMs + (offset * 1000) / this.o.sampleRate;
    return events;
  }

  private frame(frame: Frame, events: EndpointEvent[]): void {
    const endMs = frame.atMs + VAD_FRAME_MS;
    if (!this.turn) {
      this.recent.push(frame);
      const keep = Math.ceil(Math.max(200, this.o.prerollMs) / VAD_FRAME_MS);
      if (this.recent.length > keep) this.recent.shift();
      const window = this.recent.slice(-10);
      const voiced = window.filter((f) => f.voiced);
      if (!frame.voiced || voiced.length * VAD_FRAME_MS < this.o.startMs) return;
      const first = voiced[0] as Frame;
      const preroll = Math.ceil(this.o.prerollMs / VAD_FRAME_MS);
      const firstIndex = this.recent.indexOf(first);
      this.turn = this.recent.slice(Math.max(0, firstIndex - preroll));
      this.recent = [];
      this.firstVoicedMs = first.atMs;
      this.voicedMs = voiced.length * VAD_FRAME_MS;
      this.lastVoicedEndMs = endMs;
      this.paused = false;
      events.push({ type: 'start', atMs: first.atMs });
      return;
    }
    this.turn.push(frame);
    if (frame.voiced) {
      this.voicedMs += VAD_FRAME_MS;
      this.lastVoicedEndMs = endMs;
      if (this.paused) {
        this.paused = false;
        events.push({ type: 'resume' });
      }
    }
    const silence = endMs - this.lastVoicedEndMs;
    const tooLong = endMs - this.firstVoicedMs >= this.o.maxMs;
    if (silence >= this.o.endMs || tooLong) {
      const utterance = this.utterance();
      this.turn = null;
      this.paused = false;
      events.push(utterance.voicedMs >= this.o.minVoicedMs ? { type: 'end', utterance } : { type: 'noise' });
      return;
    }
    if (!this.paused && silence >= this.o.pauseMs) {
      this.paused = true;
      const utterance = this.utterance();
      if (utterance.voicedMs >= this.o.minVoicedMs) events.push({ type: 'pause', utterance });
    }
  }

  /** The turn's audio up to the last voiced frame plus a short tail. */
  private utterance(): Utterance {
    const frames = (this.turn ?? []).filter((f) => f.atMs < this.lastVoicedEndMs + this.o.tailMs);
    const total = frames.reduce((n, f) => n + f.samples.length, 0);
    const samples = new Int16Array(total);
    let at = 0;
    for (const f of frames) {
      samples.set(f.samples, at);
      at += f.samples.length;
    }
    return {
      samples,
      sampleRate: this.o.sampleRate,
      speechStartMs: Math.round(this.firstVoicedMs),
      speechEndMs: Math.round(this.lastVoicedEndMs),
      voicedMs: this.voicedMs,
    };
  }
}

/** Mono PCM at any rate -> 16 kHz (box-filter for whole ratios, linear interpolation otherwise). */
export function toSixteenKhz(samples: Int16Array, sampleRate: number): Int16Array {
  if (sampleRate === 16_000) return samples;
  const ratio = sampleRate / 16_000;
  const out = new Int16Array(Math.floor(samples.length / ratio));
  if (Number.isInteger(ratio)) {
    for (let i = 0; i < out.length; i++) {
      let sum = 0;
      for (let k = 0; k < ratio; k++) sum += samples[i * ratio + k] as number;
      out[i] = Math.round(sum / ratio);
    }
    return out;
  }
  for (let i = 0; i < out.length; i++) {
    const x = i * ratio;
    const j = Math.floor(x);
    const a = samples[j] as number;
    const b = (samples[j + 1] ?? a) as number;
    out[i] = Math.round(a + (b - a) * (x - j));
  }
  return out;
}

/** A 16-bit mono WAV file's bytes. */
export function wavBytes(samples: Int16Array, sampleRate: number): Buffer {
  const data = Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8);
  header.write('fmt ', 12);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}
