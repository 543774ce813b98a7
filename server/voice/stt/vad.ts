/**
 * Voice activity detection on 16 kHz PCM (pure): an energy detector with an adaptive noise
 * floor, per 20 ms frame. Speech is louder than the floor by a margin and above an absolute
 * minimum; the floor falls fast and rises slowly, so steady background noise is learned.
 */
export const VAD_FRAME_MS = 20;

export interface VadOptions {
  sampleRate: number;
  /** dB above the noise floor that counts as speech. */
  marginDb?: number;
  /** Absolute level (dBFS) below which nothing counts as speech. */
  minDb?: number;
}

export function frameDb(samples: Int16Array, from = 0, to = samples.length): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += (samples[i] as number) ** 2;
  const rms = Math.sqrt(sum / Math.max(1, to - from)) / 32768;
  return 20 * Math.log10(rms + 1e-9);
}

export class EnergyVad {
  readonly frameSamples: number;
  private floorDb = -70;
  private readonly marginDb: number;
  private readonly minDb: number;

  constructor(options: VadOptions) {
    this.frameSamples = Math.round((options.sampleRate * VAD_FRAME_MS) / 1000);
    this.marginDb = options.marginDb ?? 12;
    this.minDb = options.minDb ?? -45;
  }

  get noiseFloorDb(): number {
    return this.floorDb;
  }

  /** Classifies one frame and updates the noise floor. */
  isSpeech(db: number): boolean {
    const speech = db > Math.max(this.minDb, this.floorDb + this.marginDb);
    if (db < this.floorDb) this.floorDb = Math.max(-90, this.floorDb + (db - this.floorDb) * 0.5);
    else if (!speech) this.floorDb += (db - this.floorDb) * 0.05;
    else this.floorDb += 0.002 * (db - this.floorDb);
    return speech;
  }
}
