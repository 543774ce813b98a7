/**
 * A session as a reviewer sees it, assembled from its stored events and artifacts: the timeline
 * and transcript time-coded against the recording, the document read and the applicant's
 * corrections, liveness and face match, intent answers with classifications and coercion
 * signals, risk flags, the contract, recording segments and the decision history. Pure.
 */
import type { ArtifactRecord, ChainVerification, SessionRecord, StoredEvent } from '../store/index.ts';
import { decisionOfEvent, flagsOfEvent, REVIEW_DECIDED, SESSION_INTERRUPTED, SESSION_RESUMED } from './flags.ts';
import { buildTimeline } from './timeline.ts';
import type {
  DecisionRecord,
  DocumentAttempt,
  FaceMatch,
  FieldCorrection,
  IntentAnswer,
  LivenessAttempt,
  RecordingSegment,
  SessionDetail,
  TranscriptEntry,
} from './types.ts';

type Payload = Record<string, unknown>;
const obj = (value: unknown): Payload => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Payload) : {});
const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

/** Statuses after which nothing more happens in the dialogue: a decision may be recorded. */
export const FINISHED_STATUSES = ['completed', 'declined', 'review', 'expired'];

export interface DetailInput {
  record: SessionRecord;
  events: StoredEvent[];
  artifacts: ArtifactRecord[];
  steps: { id: string; kind: string }[];
  flags: string[];
  chain: ChainVerification;
  /** The contract record id of the latest sealed contract, when there is one. */
  contract: SessionDetail['contract'];
  now: Date;
}

/** A decision is allowed once the session has finished; an interrupted one once its link expired. */
export function decidability(record: Pick<SessionRecord, 'status' | 'expiresAt'>, now: Date): SessionDetail['decidable'] {
  if (FINISHED_STATUSES.includes(record.status)) return { ok: true, reason: null };
  if (record.status === 'interrupted' && Date.parse(record.expiresAt) <= now.getTime()) return { ok: true, reason: null };
  const reason =
    record.status === 'interrupted'
      ? 'the session was interrupted and the applicant may still resume it until the link expires'
      : `the session has not finished (status ${record.status})`;
  return { ok: false, reason };
}

export function decisionsOf(events: StoredEvent[]): DecisionRecord[] {
  const out: DecisionRecord[] = [];
  for (const event of events) {
    const decision = decisionOfEvent(event.type, event.payload);
    if (!decision) continue;
    const p = obj(event.payload);
    out.push({ decision, note: str(p.note) ?? '', staffId: str(p.staffId) ?? '', staffEmail: str(p.staffEmail) ?? '', at: event.at, seq: event.seq });
  }
  return out;
}

export function buildSessionDetail(input: DetailInput): SessionDetail {
  const { record, events, artifacts } = input;
  const timeline = buildTimeline(events.filter((e) => e.type !== REVIEW_DECIDED));
  const t0 = timeline.origin ? Date.parse(timeline.origin) : Date.parse(record.createdAt);
  const atMs = (at: string) => Date.parse(at) - t0;
  const decisions = decisionsOf(events);
  const stepStarts = new Map<string, number>();
  for (const entry of timeline.entries) if (entry.kind === 'step' && entry.stepId && !stepStarts.has(entry.stepId)) stepStarts.set(entry.stepId, entry.atMs);

  return {
    session: {
      id: record.id,
      reference: record.reference,
      status: record.status,
      locale: record.locale,
      scriptId: record.scriptId,
      scriptHash: record.scriptHash,
      createdAt: record.createdAt,
      updatedAt: record.updatedAt,
      endedAt: record.endedAt,
      expiresAt: record.expiresAt,
    },
    flags: input.flags,
    decidable: decidability(record, input.now),
    decision: decisions.at(-1) ?? null,
    decisions,
    interruptions: interruptionsOf(events),
    steps: input.steps.map((step) => ({ id: step.id, kind: step.kind, startMs: stepStarts.get(step.id) ?? null })),
    timeline,
    transcript: transcriptOf(events, atMs),
    document: documentOf(events),
    liveness: livenessOf(events),
    intent: intentOf(events, atMs),
    risk: events.flatMap((event) =>
      flagsOfEvent(event.type, event.payload).map((flag) => ({ atMs: atMs(event.at), type: event.type, flag, detail: riskDetail(event) })),
    ),
    contract: input.contract,
    recordings: recordingsOf(events, artifacts, atMs),
    artifacts: artifacts.map((a) => ({ id: a.id, kind: a.kind, mime: a.mime, size: a.size, sha256: a.sha256, createdAt: a.createdAt })),
    chain: { ok: input.chain.ok, count: input.chain.count, headHash: input.chain.headHash },
  };
}

function interruptionsOf(events: StoredEvent[]): SessionDetail['interruptions'] {
  const out: SessionDetail['interruptions'] = [];
  for (const event of events) {
    if (event.type === SESSION_INTERRUPTED) out.push({ at: event.at, reason: str(obj(event.payload).reason) ?? 'unknown', resumedAt: null });
    if (event.type === SESSION_RESUMED) {
      const open = out.findLast((entry) => entry.resumedAt === null);
      if (open) open.resumedAt = event.at;
    }
  }
  return out;
}

function transcriptOf(events: StoredEvent[], atMs: (at: string) => number): TranscriptEntry[] {
  const out: TranscriptEntry[] = [];
  for (const event of events) {
    const p = obj(event.payload);
    if (event.type === 'AssistantSaid') out.push({ atMs: atMs(event.at), from: 'assistant', stepId: str(p.stepId), text: str(p.text) ?? '' });
    if (event.type === 'AnswerReceived') {
      const text = str(p.display) ?? str(p.text) ?? str(p.choice) ?? '';
      out.push({ atMs: atMs(event.at), from: 'applicant', stepId: str(p.stepId), text });
    }
  }
  return out;
}

function documentOf(events: StoredEvent[]): SessionDetail['document'] {
  const attempts: DocumentAttempt[] = [];
  let corrections: FieldCorrection[] | null = null;
  let confirmedAt: string | null = null;
  for (const event of events) {
    const p = obj(event.payload);
    if (event.type === 'VerifierFinished' && p.verifier === 'document') {
      const data = obj(p.data);
      attempts.push({
        at: event.at,
        outcome: str(p.outcome) ?? 'unknown',
        reason: str(data.reason),
        documentKind: str(data.documentKind),
        source: str(data.source),
        fields: Object.fromEntries(Object.entries(obj(data.fields)).filter((entry): entry is [string, string] => typeof entry[1] === 'string')),
        checks: data.checks ?? null,
        imageArtifactId: str(data.imageArtifactId),
        faceArtifactId: str(data.faceArtifactId),
      });
    }
    // The confirm answer after an accepted reading: corrected fields beside the read values.
    if (event.type === 'AnswerReceived' && p.choice === 'confirm') {
      const read = attempts.findLast((a) => a.outcome === 'pass')?.fields;
      if (!read) continue;
      const changed = obj(p.fields);
      corrections = Object.entries(read).map(([name, value]) => {
        const confirmed = typeof changed[name] === 'string' ? (changed[name] as string) : value;
        return { name, read: value, confirmed, corrected: confirmed !== value };
      });
      confirmedAt = event.at;
    }
  }
  return attempts.length === 0 ? null : { attempts, corrections, confirmedAt };
}

function livenessOf(events: StoredEvent[]): SessionDetail['liveness'] {
  const attempts: LivenessAttempt[] = [];
  let faceMatch: FaceMatch | null = null;
  for (const event of events) {
    const p = obj(event.payload);
    if (event.type !== 'VerifierFinished' || p.verifier !== 'liveness') continue;
    const data = obj(p.data);
    const liveFrameArtifactId = str(data.liveFrameArtifactId);
    attempts.push({
      at: event.at,
      outcome: str(p.outcome) ?? 'unknown',
      reason: str(data.reason),
      challenges: data.challenges ?? null,
      flags: data.flags ?? null,
      signals: data.signals ?? null,
      liveFrameArtifactId,
    });
    const match = obj(data.faceMatch);
    const similarity = num(match.similarity);
    if (similarity !== null) {
      faceMatch = {
        similarity,
        threshold: num(match.threshold) ?? 0,
        matched: match.matched === true,
        documentFaceArtifactId: str(match.documentFaceArtifactId),
        liveFrameArtifactId,
      };
    }
  }
  return attempts.length === 0 ? null : { attempts, faceMatch };
}

function intentOf(events: StoredEvent[], atMs: (at: string) => number): IntentAnswer[] {
  const out: IntentAnswer[] = [];
  for (const event of events) {
    const p = obj(event.payload);
    if (event.type !== 'AnswerReceived' || p.classification === undefined) continue;
    const c = obj(p.classification);
    out.push({
      stepId: str(p.stepId) ?? '',
      atMs: atMs(event.at),
      question: str(p.question) ?? '',
      answer: str(p.text) ?? str(p.display) ?? '',
      label: str(c.label),
      coercion: Array.isArray(c.coercion_signals) ? c.coercion_signals.filter((s): s is string => typeof s === 'string') : [],
      injection: c.injection === true,
      confidence: num(c.confidence),
      rationale: str(c.rationale),
      provider: str(c.provider),
    });
  }
  return out;
}

function riskDetail(event: StoredEvent): Record<string, unknown> {
  const p = obj(event.payload);
  const data = obj(p.data);
  const detail: Record<string, unknown> = {};
  if (typeof p.stepId === 'string') detail.stepId = p.stepId;
  if (typeof p.verifier === 'string') detail.verifier = p.verifier;
  if (typeof data.reason === 'string') detail.reason = data.reason;
  if (typeof p.reason === 'string') detail.reason = p.reason;
  if (typeof p.outcome === 'string') detail.outcome = p.outcome;
  const signals = obj(p.classification).coercion_signals;
  if (Array.isArray(signals) && signals.length > 0) detail.coercion = signals;
  if (typeof p.similarity === 'number') detail.similarity = p.similarity;
  return detail;
}

function recordingsOf(events: StoredEvent[], artifacts: ArtifactRecord[], atMs: (at: string) => number): RecordingSegment[] {
  const byId = new Map(artifacts.map((a) => [a.id, a]));
  const out: RecordingSegment[] = [];
  for (const event of events) {
    if (event.type !== 'RecordingSegmentStored') continue;
    const p = obj(event.payload);
    const artifact = byId.get(str(p.artifactId) ?? '');
    if (!artifact) continue;
    const startedAt = str(p.startedAt);
    const durationMs = num(p.durationMs);
    out.push({
      artifactId: artifact.id,
      mime: artifact.mime,
      size: artifact.size,
      sha256: artifact.sha256,
      // A crash-cut segment has no timing of its own: it ran up to when it was stored.
      startMs: startedAt ? atMs(startedAt) : 0,
      durationMs,
      complete: p.complete === true,
      reason: str(p.reason),
    });
  }
  return out;
}
