/**
 * The review console's wire contract (HTTP bodies of /api/review/*). Zod validates what comes
 * in; the client imports the types only (`import type`), so no server code reaches the bundle.
 * Everything in a SessionDetail may be personal data: it is served behind requireStaff and each
 * view is written to the access log.
 */
import { z } from 'zod';
import { REVIEW_DECISIONS, REVIEW_FLAGS, type ReviewDecision } from './flags.ts';
import type { Timeline } from './timeline.ts';

const STATUSES = ['created', 'active', 'completed', 'declined', 'review', 'interrupted', 'expired'] as const;
const ZTimestamp = z.iso.datetime({ offset: true, error: 'expected an ISO date-time such as 2026-11-28T00:00:00Z' });
const ZDay = z.iso.date({ error: 'expected a date such as 2026-11-28' });

/** Comma-separated lists in the query string, each value checked. */
const list = <T extends readonly [string, ...string[]]>(values: T, name: string) =>
  z
    .string()
    .max(500)
    .transform((text) => text.split(',').map((v) => v.trim()).filter(Boolean))
    .pipe(z.array(z.enum(values, { error: `${name}: expected one of ${values.join(', ')}` })).max(values.length));

export const ZQueueQuery = z
  .strictObject({
    status: list(STATUSES, 'status').optional(),
    decision: z.enum([...REVIEW_DECISIONS, 'none'], { error: `decision: expected one of ${REVIEW_DECISIONS.join(', ')}, none` }).optional(),
    flags: list(REVIEW_FLAGS, 'flags').optional(),
    script: z.string().max(200).regex(/^[a-z0-9][a-z0-9-]*(,[a-z0-9][a-z0-9-]*)*$/, { error: 'script: expected script ids separated by commas' }).optional(),
    product: z.string().max(100).regex(/^[a-z0-9][a-z0-9-]*$/, { error: 'product: expected a product id' }).optional(),
    from: z.union([ZDay, ZTimestamp]).optional(),
    to: z.union([ZDay, ZTimestamp]).optional(),
    reference: z.string().max(40).regex(/^[A-Za-z0-9-]+$/, { error: 'reference: letters, digits and dashes only' }).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(25),
    /** Opaque cursor from the previous page's `next`. */
    after: z.string().max(300).optional(),
  });
export type QueueQuery = z.infer<typeof ZQueueQuery>;

export interface QueueItem {
  id: string;
  reference: string;
  status: string;
  locale: string;
  scriptId: string;
  createdAt: string;
  endedAt: string | null;
  flags: string[];
  decision: ReviewDecision | null;
  decidedAt: string | null;
}

export interface QueuePage {
  items: QueueItem[];
  total: number;
  next: string | null;
}

export const ZDecisionBody = z.strictObject({
  decision: z.enum(REVIEW_DECISIONS, { error: `decision: expected one of ${REVIEW_DECISIONS.join(', ')}` }),
  note: z
    .string({ error: 'note: a note is required' })
    .trim()
    .min(3, { error: 'note: a note of at least 3 characters is required' })
    .max(4000, { error: 'note: at most 4000 characters' }),
});
export type DecisionBody = z.infer<typeof ZDecisionBody>;

export interface DecisionRecord {
  decision: ReviewDecision;
  note: string;
  staffId: string;
  staffEmail: string;
  at: string;
  seq: number;
}

export interface ArtifactSummary {
  id: string;
  kind: string;
  mime: string;
  size: number;
  sha256: string;
  createdAt: string;
}

export interface RecordingSegment {
  artifactId: string;
  mime: string;
  size: number;
  sha256: string;
  /** Start on the timeline (ms from its origin) and length. */
  startMs: number;
  durationMs: number | null;
  complete: boolean;
  reason: string | null;
}

export interface DocumentAttempt {
  at: string;
  outcome: string;
  reason: string | null;
  documentKind: string | null;
  source: string | null;
  fields: Record<string, string>;
  checks: unknown;
  imageArtifactId: string | null;
  faceArtifactId: string | null;
}

export interface FieldCorrection {
  name: string;
  read: string;
  confirmed: string;
  corrected: boolean;
}

export interface LivenessAttempt {
  at: string;
  outcome: string;
  reason: string | null;
  challenges: unknown;
  flags: unknown;
  signals: unknown;
  liveFrameArtifactId: string | null;
}

export interface FaceMatch {
  similarity: number;
  threshold: number;
  matched: boolean;
  documentFaceArtifactId: string | null;
  liveFrameArtifactId: string | null;
}

export interface IntentAnswer {
  stepId: string;
  atMs: number;
  question: string;
  answer: string;
  label: string | null;
  coercion: string[];
  injection: boolean;
  confidence: number | null;
  rationale: string | null;
  provider: string | null;
}

export interface TranscriptEntry {
  atMs: number;
  from: 'assistant' | 'applicant';
  stepId: string | null;
  text: string;
}

export interface SessionDetail {
  session: {
    id: string;
    reference: string;
    status: string;
    locale: string;
    scriptId: string;
    scriptHash: string;
    createdAt: string;
    updatedAt: string;
    endedAt: string | null;
    expiresAt: string;
  };
  flags: string[];
  /** Whether a decision may be recorded now (the session has finished), and why not. */
  decidable: { ok: boolean; reason: string | null };
  decision: DecisionRecord | null;
  decisions: DecisionRecord[];
  interruptions: { at: string; reason: string; resumedAt: string | null }[];
  steps: { id: string; kind: string; startMs: number | null }[];
  timeline: Timeline;
  transcript: TranscriptEntry[];
  document: { attempts: DocumentAttempt[]; corrections: FieldCorrection[] | null; confirmedAt: string | null } | null;
  liveness: { attempts: LivenessAttempt[]; faceMatch: FaceMatch | null } | null;
  intent: IntentAnswer[];
  risk: { atMs: number; type: string; flag: string; detail: Record<string, unknown> }[];
  contract: { recordId: string; pdfArtifactId: string; recordArtifactId: string } | null;
  recordings: RecordingSegment[];
  artifacts: ArtifactSummary[];
  chain: { ok: boolean; count: number; headHash: string };
}
