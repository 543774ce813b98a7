import { describe, expect, it } from 'vitest';
import { clock, currentChapter, currentLine, locate, markerPercent, timelineLength, timelineMs } from './playback.ts';

const segments = [
  { artifactId: 'a', startMs: 0, durationMs: 10_000 },
  { artifactId: 'b', startMs: 15_000, durationMs: 5_000 },
];
const chapters = [
  { stepId: 'consent', startMs: 0, endMs: 4000 },
  { stepId: 'identity', startMs: 4000, endMs: 12_000 },
  { stepId: 'contract', startMs: 12_000, endMs: 19_000 },
];

describe('review playback helpers', () => {
  it('finds the segment and offset for a timeline time, and back', () => {
    expect(locate(segments, 2500)).toEqual({ index: 0, offsetSec: 2.5 });
    expect(locate(segments, 16_000)).toEqual({ index: 1, offsetSec: 1 });
    // In the gap after a reconnect: the end of the earlier segment.
    expect(locate(segments, 12_000)).toEqual({ index: 0, offsetSec: 9.9 });
    expect(locate([], 5)).toBeNull();
    expect(timelineMs(segments, 1, 2)).toBe(17_000);
  });

  it('picks the current chapter and transcript line', () => {
    expect(currentChapter(chapters, -100)).toBe(-1);
    expect(currentChapter(chapters, 0)).toBe(0);
    expect(currentChapter(chapters, 4000)).toBe(1);
    expect(currentChapter(chapters, 18_000)).toBe(2);
    const lines = [{ atMs: -500 }, { atMs: 1000 }, { atMs: 7000 }];
    expect(currentLine(lines, -600)).toBe(-1);
    expect(currentLine(lines, 6999)).toBe(1);
    expect(currentLine(lines, 9000)).toBe(2);
  });

  it('places markers and formats times', () => {
    expect(timelineLength(segments, chapters)).toBe(20_000);
    expect(markerPercent(5000, 20_000)).toBe(25);
    expect(markerPercent(-5, 20_000)).toBe(0);
    expect(markerPercent(30_000, 20_000)).toBe(100);
    expect(clock(65_400)).toBe('1:05');
    expect(clock(3_725_000)).toBe('1:02:05');
    expect(clock(-1500)).toBe('-0:01');
  });
});
