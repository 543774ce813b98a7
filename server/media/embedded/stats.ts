import type { MediaStats } from '../types.ts';

/** Counters of a session that has received nothing yet (both sides of the process boundary). */
export function emptyStats(): MediaStats {
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
