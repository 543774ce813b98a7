/**
 * What the presenter shows at a moment of the assistant's speech (pure): the segments of one run
 * placed on its timeline, the mouth shape and the caption progress at `ms` after playback began.
 */
import type { Viseme, VoiceSegment } from '../../../server/voice/protocol.ts';

export interface RunTimeline {
  runId: string;
  segments: VoiceSegment[];
}

export interface Moment {
  /** The segment being heard (or the last one, once it ended), null before the first. */
  segment: VoiceSegment | null;
  viseme: Viseme;
  /** UTF-16 index in the segment's line up to which the words have been said. */
  spokenTo: number;
  /** True while audio of the run should be playing. */
  speaking: boolean;
}

export function runEndMs(run: RunTimeline): number {
  return run.segments.reduce((end, s) => Math.max(end, s.offsetMs + s.durationMs), 0);
}

export function momentAt(run: RunTimeline, ms: number): Moment {
  let segment: VoiceSegment | null = null;
  for (const s of run.segments) {
    if (s.offsetMs <= ms) segment = segment && segment.offsetMs > s.offsetMs ? segment : s;
  }
  if (!segment) return { segment: null, viseme: 'rest', spokenTo: 0, speaking: false };
  const local = ms - segment.offsetMs;
  const speaking = local < segment.durationMs;
  let viseme: Viseme = 'rest';
  if (speaking) {
    for (const cue of segment.visemes) {
      if (cue.atMs <= local) viseme = cue.viseme;
      else break;
    }
  }
  let spokenTo = segment.lineOffset;
  if (!speaking) spokenTo = segment.lineOffset + segment.text.length;
  else {
    for (const word of segment.words) {
      if (word.startMs <= local) spokenTo = segment.lineOffset + word.to;
      else break;
    }
  }
  return { segment, viseme, spokenTo, speaking };
}

/** Mouth openness (0..1) from the audio level, for speech that came without visemes. */
export function visemeFromLevel(level: number): Viseme {
  if (level > 0.6) return 'open';
  if (level > 0.35) return 'wide';
  if (level > 0.15) return 'tongue';
  return 'rest';
}
