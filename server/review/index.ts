/** Review: what compliance staff see of a session, their decisions and the evidence bundle. */
export { buildTimeline, chaptersToWebVtt, vttTime, type Chapter, type Timeline, type TimelineEntry, type TimelineKind } from './timeline.ts';
export { REVIEW_DECISIONS, REVIEW_FLAGS, REVIEW_DECIDED, SESSION_INTERRUPTED, SESSION_RESUMED, flagsOfEvent, decisionOfEvent, type ReviewDecision, type ReviewFlag } from './flags.ts';
export { ReviewService, ReviewError, ACCESS_ACTIONS, type ReviewServiceDeps, type AccessLogWriter, type StaffIdentity } from './service.ts';
export { buildSessionDetail, decidability } from './detail.ts';
export { writeBundle, bundleFileName, artifactPaths, transcriptText } from './bundle.ts';
export { ZipWriter } from './zip.ts';
export { parseRange, type RangeResult } from './range.ts';
export type { QueueItem, QueuePage, QueueQuery, SessionDetail, DecisionBody, DecisionRecord } from './types.ts';
