/**
 * Pure helpers for the review player: which recording segment holds a moment of the timeline,
 * where in that segment it is, which step (chapter) and transcript line are current, and where
 * a marker sits on the bar. Timeline times are ms from the first segment's start.
 */

export interface SegmentSpan {
  artifactId: string;
  startMs: number;
  durationMs: number | null;
}

export interface ChapterSpan {
  stepId: string;
  startMs: number;
  endMs: number;
}

/** The segment playing at `ms` (the last one starting at or before it), and the offset in it. */
export function locate(segments: readonly SegmentSpan[], ms: number): { index: number; offsetSec: number } | null {
  if (segments.length === 0) return null;
  let index = 0;
  for (let i = 0; i < segments.length; i++) if ((segments[i] as SegmentSpan).startMs <= ms) index = i;
  const segment = segments[index] as SegmentSpan;
  const offset = Math.max(0, ms - segment.startMs);
  const capped = segment.durationMs === null ? offset : Math.min(offset, Math.max(0, segment.durationMs - 100));
  return { index, offsetSec: capped / 1000 };
}

/** The timeline time of `currentTime` seconds into segment `index`. */
export function timelineMs(segments: readonly SegmentSpan[], index: number, currentTimeSec: number): number {
  const segment = segments[index];
  return (segment?.startMs ?? 0) + currentTimeSec * 1000;
}

/** The chapter playing at `ms`, or -1 before the first. */
export function currentChapter(chapters: readonly ChapterSpan[], ms: number): number {
  let found = -1;
  for (let i = 0; i < chapters.length; i++) if ((chapters[i] as ChapterSpan).startMs <= ms) found = i;
  return found;
}

/** The last transcript line said at or before `ms` (lines in time order), or -1. */
export function currentLine(lines: readonly { atMs: number }[], ms: number): number {
  let found = -1;
  for (let i = 0; i < lines.length; i++) {
    if ((lines[i] as { atMs: number }).atMs <= ms) found = i;
    else break;
  }
  return found;
}

/** Total length shown on the marker bar: the end of the last segment or chapter. */
export function timelineLength(segments: readonly SegmentSpan[], chapters: readonly ChapterSpan[]): number {
  const segmentEnd = Math.max(0, ...segments.map((s) => s.startMs + (s.durationMs ?? 0)));
  const chapterEnd = Math.max(0, ...chapters.map((c) => c.endMs));
  return Math.max(segmentEnd, chapterEnd, 1);
}

/** A marker's position on the bar, 0..100 (%). */
export function markerPercent(ms: number, length: number): number {
  return Math.min(100, Math.max(0, (ms / Math.max(1, length)) * 100));
}

/** mm:ss (or h:mm:ss) for a timeline time; negative times (before recording) show as -mm:ss. */
export function clock(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  const total = Math.floor(Math.abs(ms) / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = String(m).padStart(h > 0 ? 2 : 1, '0');
  return `${sign}${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}
