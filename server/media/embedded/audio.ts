/**
 * Pure audio helpers used by the media process: level measurement, batching of the 10 ms chunks
 * WebRTC delivers, and the outgoing path (downmix, streaming resample, fixed-size frame queue).
 * No timers and no WebRTC here, so all of it is unit-tested directly.
 */
import type { AudioChunk } from '../types.ts';

/** Peak absolute value and sum of squares of a run of samples, in one pass. */
export function measureLevels(samples: Int16Array): { peak: number; sumSquares: number } {
  let peak = 0;
  let sumSquares = 0;
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i] as number;
    const a = s < 0 ? -s : s;
    if (a > peak) peak = a;
    sumSquares += s * s;
  }
  return { peak: peak > 32767 ? 32767 : peak, sumSquares };
}

/** Root-mean-square over (roughly) the last `windowMs` of audio, fed chunk by chunk. */
export class RmsWindow {
  private readonly entries: { sumSquares: number; count: number; durationMs: number }[] = [];
  private sumSquares = 0;
  private count = 0;
  private durationMs = 0;

  constructor(private readonly windowMs = 1000) {}

  push(sumSquares: number, count: number, durationMs: number): void {
    this.entries.push({ sumSquares, count, durationMs });
    this.sumSquares += sumSquares;
    this.count += count;
    this.durationMs += durationMs;
    while (this.entries.length > 1) {
      const oldest = this.entries[0] as { sumSquares: number; count: number; durationMs: number };
      if (this.durationMs - oldest.durationMs < this.windowMs) break;
      this.entries.shift();
      this.sumSquares -= oldest.sumSquares;
      this.count -= oldest.count;
      this.durationMs -= oldest.durationMs;
    }
  }

  value(): number {
    return this.count === 0 ? 0 : Math.round(Math.sqrt(this.sumSquares / this.count));
  }
}

/**
 * Collects small chunks into chunks of `batchMs` (100 ms by default). A change of sample rate or
 * channel count flushes the partial batch first. Timestamps are those of each batch's first sample.
 */
export class AudioBatcher {
  private buffer: Int16Array | null = null;
  private filled = 0;
  private sampleRate = 0;
  private channels = 0;
  private startMs = 0;

  constructor(private readonly batchMs = 100) {}

  push(samples: Int16Array, sampleRate: number, channels: number, startMs: number): AudioChunk[] {
    const ready: AudioChunk[] = [];
    if (this.buffer && (sampleRate !== this.sampleRate || channels !== this.channels)) {
      const partial = this.flush();
      if (partial) ready.push(partial);
    }
    let offset = 0;
    while (offset < samples.length) {
      if (!this.buffer) {
        const frames = Math.max(1, Math.round((sampleRate * this.batchMs) / 1000));
        this.buffer = new Int16Array(frames * channels);
        this.filled = 0;
        this.sampleRate = sampleRate;
        this.channels = channels;
        this.startMs = startMs + ((offset / channels) * 1000) / sampleRate;
      }
      const n = Math.min(samples.length - offset, this.buffer.length - this.filled);
      this.buffer.set(samples.subarray(offset, offset + n), this.filled);
      this.filled += n;
      offset += n;
      if (this.filled === this.buffer.length) {
        ready.push(this.take(this.buffer));
      }
    }
    return ready;
  }

  /** Returns the partial batch, if any, and starts afresh. */
  flush(): AudioChunk | null {
    if (!this.buffer || this.filled === 0) {
      this.buffer = null;
      return null;
    }
    return this.take(this.buffer.slice(0, this.filled));
  }

  reset(): void {
    this.buffer = null;
    this.filled = 0;
  }

  private take(samples: Int16Array): AudioChunk {
    const chunk: AudioChunk = {
      samples,
      sampleRate: this.sampleRate,
      channels: this.channels,
      timestampMs: Math.round(this.startMs),
    };
    this.buffer = null;
    this.filled = 0;
    return chunk;
  }
}

/** Averages interleaved channels into mono. */
export function downmixToMono(samples: Int16Array, channels: number): Int16Array {
  if (channels === 1) return samples;
  const frames = Math.floor(samples.length / channels);
  const out = new Int16Array(frames);
  for (let f = 0; f < frames; f++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += samples[f * channels + c] as number;
    out[f] = Math.round(sum / channels);
  }
  return out;
}

/**
 * Linear-interpolation resampler for a mono stream delivered in chunks; it keeps the last input
 * sample so consecutive chunks join without a click.
 */
export class StreamingResampler {
  private readonly step: number;
  private position = 0;
  private previous: number | null = null;

  constructor(
    readonly fromRate: number,
    readonly toRate: number,
  ) {
    if (!(fromRate > 0) || !(toRate > 0)) throw new RangeError('sample rates must be positive');
    this.step = fromRate / toRate;
  }

  push(input: Int16Array): Int16Array {
    if (this.fromRate === this.toRate) return input;
    if (input.length === 0) return new Int16Array(0);
    // Virtual buffer: [previous last sample, ...input]; `position` indexes it.
    const lead = this.previous === null ? 0 : 1;
    const length = input.length + lead;
    const at = (i: number): number => (i < lead ? (this.previous as number) : (input[i - lead] as number));
    const capacity = Math.ceil((length - this.position) / this.step) + 1;
    const out = new Int16Array(capacity);
    let n = 0;
    while (this.position <= length - 1) {
      const i = Math.floor(this.position);
      const frac = this.position - i;
      const a = at(i);
      const b = i + 1 < length ? at(i + 1) : a;
      out[n++] = Math.round(a + (b - a) * frac);
      this.position += this.step;
    }
    this.position -= length - 1;
    this.previous = input[input.length - 1] as number;
    return n === capacity ? out : out.slice(0, n);
  }
}

/**
 * FIFO of mono samples handed out in fixed frames (480 samples = 10 ms at 48 kHz). Bounded:
 * samples beyond `maxSamples` are dropped and counted.
 */
export class AudioFrameQueue {
  private readonly chunks: Int16Array[] = [];
  private headOffset = 0;
  private queued = 0;

  constructor(
    readonly frameSamples: number,
    readonly maxSamples: number,
  ) {}

  get length(): number {
    return this.queued;
  }

  /** Appends samples; returns how many did not fit and were dropped. */
  push(samples: Int16Array): number {
    const room = Math.max(0, this.maxSamples - this.queued);
    const accepted = Math.min(room, samples.length);
    if (accepted > 0) {
      this.chunks.push(accepted === samples.length ? samples : samples.subarray(0, accepted));
      this.queued += accepted;
    }
    return samples.length - accepted;
  }

  /** The next frame (zero-padded if the queue ends inside it), or null when empty. */
  take(): Int16Array | null {
    if (this.queued === 0) return null;
    const frame = new Int16Array(this.frameSamples);
    let filled = 0;
    while (filled < this.frameSamples && this.chunks.length > 0) {
      const head = this.chunks[0] as Int16Array;
      const n = Math.min(this.frameSamples - filled, head.length - this.headOffset);
      frame.set(head.subarray(this.headOffset, this.headOffset + n), filled);
      filled += n;
      this.headOffset += n;
      this.queued -= n;
      if (this.headOffset === head.length) {
        this.chunks.shift();
        this.headOffset = 0;
      }
    }
    return frame;
  }

  clear(): void {
    this.chunks.length = 0;
    this.headOffset = 0;
    this.queued = 0;
  }
}
