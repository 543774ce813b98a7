/** Loudness of a block of audio samples, for level meters (pure). */

/** Root-mean-square of samples in -1..1. */
export function rms(samples: ArrayLike<number>): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < samples.length; i++) {
    const v = samples[i] ?? 0;
    sum += v * v;
  }
  return Math.sqrt(sum / samples.length);
}

/**
 * A 0..1 meter reading from an RMS value: a log scale from -60 dBFS (0) to -10 dBFS (1), so
 * ordinary speech fills most of the meter and silence reads 0.
 */
export function meterLevel(rmsValue: number): number {
  if (!(rmsValue > 0)) return 0;
  const db = 20 * Math.log10(rmsValue);
  return Math.min(1, Math.max(0, (db + 60) / 50));
}

/** Level above which we say "we can hear you". */
export const HEARD_LEVEL = 0.35;
