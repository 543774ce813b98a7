/** Review: what compliance staff see of a session (the console itself is still to come). */
export { buildTimeline, chaptersToWebVtt, vttTime, type Chapter, type Timeline, type TimelineEntry, type TimelineKind } from './timeline.ts';
