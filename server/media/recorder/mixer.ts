/**
 * The recording's audio timeline: mono 16-bit samples at a fixed rate, sample 0 at the recording's
 * start. Each source (the applicant's microphone, the assistant's speech) is placed by the wall
 * clock and mixed by addition; positions nobody filled are silence. Pure: no timers, no IO.
 */

/** How far a source may drift from its wall-clock position before it is re-aligned (ms). */
const DEFAULT_RESYNC_MS = 120;
/** How much audio ahead of the last taken sample can wait to be mixed (ms). */
const DEFAULT_CAPACITY_MS = 2_000;

export interface AudioMixerOptions {
  sampleRate: number;
  /** Wall-clock time (ms since the epoch) of sample 0. */
  startMs: number;
  resyncMs?: number;
  capacityMs?: number;
}

export class AudioMixer {
  readonly sampleRate: number;
  private readonly startMs: number;
  private readonly resyncSamples: number;
  private readonly ring: Int32Array;
  /** Absolute index of the next sample `take` hands out. */
  private taken = 0;
  /** Per source: absolute index where its next sample goes (chunks of one source are contiguous). */
  private readonly cursors = new Map<string, number>();
  /** Samples that arrived too late (already taken) or too early (beyond the buffer) to be mixed. */
  droppedSamples = 0;

  constructor(options: AudioMixerOptions) {
    this.sampleRate = options.sampleRate;
    this.startMs = options.startMs;
    this.resyncSamples = Math.round(((options.resyncMs ?? DEFAULT_RESYNC_MS) * this.sampleRate) / 1000);
    this.ring = new Int32Array(Math.round(((options.capacityMs ?? DEFAULT_CAPACITY_MS) * this.sampleRate) / 1000));
  }

  /** Absolute index of the next sample `take` will hand out (= samples taken so far). */
  get position(): number {
    return this.taken;
  }

  /** The sample index that corresponds to a wall-clock time. */
  sampleAt(wallMs: number): number {
    return Math.round(((wallMs - this.startMs) * this.sampleRate) / 1000);
  }

  /**
   * Mixes in `samples` (mono, at `sampleRate`) from `source`, whose first sample was heard at
   * `atMs`. A source's chunks follow each other without gaps or overlaps, so delivery jitter does
   * not tear the sound; only when the source is more than `resyncMs` away from where the wall
   * clock puts it (it stopped for a while, or its clock runs off) does it jump to that position.
   */
  add(source: string, samples: Int16Array, atMs: number): void {
    const expected = this.sampleAt(atMs);
    let cursor = this.cursors.get(source);
    if (cursor === undefined || Math.abs(expected - cursor) > this.resyncSamples) cursor = expected;
    const capacity = this.ring.length;
    const from = Math.max(cursor, this.taken);
    const to = Math.min(cursor + samples.length, this.taken + capacity);
    const ring = this.ring;
    for (let p = from; p < to; p++) {
      const index = p % capacity;
      ring[index] = (ring[index] as number) + (samples[p - cursor] as number);
    }
    // Samples before the recording's start are not part of it; the rest that did not fit count.
    const inRecording = cursor + samples.length - Math.max(cursor, 0);
    this.droppedSamples += Math.max(0, Math.min(samples.length, inRecording) - Math.max(0, to - from));
    this.cursors.set(source, cursor + samples.length);
  }

  /** The mixed samples from `position` up to `untilSample` (exclusive), clipped to 16 bits. */
  take(untilSample: number): Int16Array {
    const count = Math.max(0, Math.floor(untilSample) - this.taken);
    const out = new Int16Array(count);
    const capacity = this.ring.length;
    for (let i = 0; i < count; i++) {
      const index = (this.taken + i) % capacity;
      const value = this.ring[index] as number;
      this.ring[index] = 0;
      out[i] = value > 32767 ? 32767 : value < -32768 ? -32768 : value;
    }
    this.taken += count;
    return out;
  }
}
