import { describe, expect, it } from 'vitest';
import type { VoiceSegment } from '../../../server/voice/protocol.ts';
import { momentAt, runEndMs, visemeFromLevel } from './timeline.ts';

const line = 'Hello there. Do you agree?';
const first: VoiceSegment = {
  text: 'Hello there.',
  lineText: line,
  lineOffset: 0,
  offsetMs: 0,
  durationMs: 1000,
  words: [
    { text: 'Hello', from: 0, to: 5, startMs: 0, endMs: 400 },
    { text: 'there.', from: 6, to: 12, startMs: 400, endMs: 1000 },
  ],
  visemes: [
    { viseme: 'tongue', atMs: 0 },
    { viseme: 'round', atMs: 200 },
    { viseme: 'wide', atMs: 500 },
    { viseme: 'rest', atMs: 1000 },
  ],
};
const second: VoiceSegment = {
  text: 'Do you agree?',
  lineText: line,
  lineOffset: 13,
  offsetMs: 1000,
  durationMs: 900,
  words: [{ text: 'Do', from: 0, to: 2, startMs: 0, endMs: 300 }],
  visemes: [{ viseme: 'pucker', atMs: 100 }],
};

describe('voice timeline', () => {
  const run = { runId: 'r', segments: [first, second] };

  it('gives the mouth shape and the words said at a moment', () => {
    expect(momentAt(run, 250)).toMatchObject({ viseme: 'round', spokenTo: 5, speaking: true });
    expect(momentAt(run, 600)).toMatchObject({ viseme: 'wide', spokenTo: 12 });
  });

  it('moves to the next segment on the run timeline, offsets in line coordinates', () => {
    const m = momentAt(run, 1150);
    expect(m.segment?.text).toBe('Do you agree?');
    expect(m.viseme).toBe('pucker');
    expect(line.slice(0, m.spokenTo)).toBe('Hello there. Do');
  });

  it('rests after the run ended and shows the whole line as said', () => {
    expect(runEndMs(run)).toBe(1900);
    const m = momentAt(run, 2500);
    expect(m).toMatchObject({ viseme: 'rest', speaking: false, spokenTo: line.length });
  });

  it('shows nothing before playback', () => {
    expect(momentAt(run, -10)).toMatchObject({ segment: null, speaking: false });
  });

  it('maps loudness to mouth openness for audio without visemes', () => {
    expect(visemeFromLevel(0)).toBe('rest');
    expect(visemeFromLevel(0.5)).toBe('wide');
    expect(visemeFromLevel(0.9)).toBe('open');
  });
});
