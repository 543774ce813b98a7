import { describe, expect, it } from 'vitest';
import type { ArtifactRecord, SessionRecord, StoredEvent } from '../store/index.ts';
import { buildSessionDetail, decidability } from './detail.ts';

let seq = 0;
const ev = (type: string, second: number, payload: Record<string, unknown> = {}): StoredEvent => ({
  sessionId: 's1',
  seq: ++seq,
  type,
  at: new Date(Date.UTC(2026, 10, 28, 10, 0, second)).toISOString(),
  payload,
  prevHash: '',
  hash: '',
});

const record: SessionRecord = {
  id: 's1',
  reference: 'ATT-TEST-0001',
  status: 'completed',
  locale: 'en',
  scriptId: 'onboarding-identity',
  scriptHash: 'h',
  externalRef: null,
  state: {},
  createdAt: '2026-11-28T10:00:00.000Z',
  updatedAt: '2026-11-28T10:01:00.000Z',
  expiresAt: '2026-12-01T10:00:00.000Z',
  endedAt: '2026-11-28T10:00:50.000Z',
  version: 20,
};

const artifact = (id: string, kind: string, mime = 'image/jpeg'): ArtifactRecord => ({ id, sessionId: 's1', kind, mime, size: 10, sha256: 'f'.repeat(64), blobKey: `k/${id}`, createdAt: record.createdAt });

const events = [
  ev('SessionCreated', 0),
  ev('SessionStarted', 1),
  ev('ConsentRecorded', 2, { stepId: 'consent', purpose: 'recording', granted: true }),
  ev('VerifierFinished', 6, { stepId: 'document', verifier: 'document', outcome: 'fail', data: { reason: 'unreadable' } }),
  ev('VerifierFinished', 10, {
    stepId: 'document',
    verifier: 'document',
    outcome: 'pass',
    data: { documentKind: 'mrz', source: 'video', fields: { surname: 'EXAMPLE', givenNames: 'JANE', birthDate: '1990-04-12' }, imageArtifactId: 'img', faceArtifactId: 'face' },
  }),
  ev('AnswerReceived', 14, { stepId: 'document', choice: 'confirm', fields: { givenNames: 'JANE MARIE', surname: 'EXAMPLE' } }),
  ev('VerifierFinished', 20, {
    stepId: 'live',
    verifier: 'liveness',
    outcome: 'pass',
    data: { challenges: [{ kind: 'blink', passed: true }], flags: [], signals: {}, liveFrameArtifactId: 'live', faceMatch: { similarity: 0.71, threshold: 0.53, matched: true, documentFaceArtifactId: 'face' } },
  }),
  ev('AssistantSaid', 22, { stepId: 'voluntary', lineId: 'l1', text: 'Of your own free will?' }),
  ev('AnswerReceived', 25, { stepId: 'voluntary', text: 'my brother said I must', question: 'Of your own free will?', classification: { label: 'affirm', coercion_signals: ['instructed_by_other'], injection: false, confidence: 0.8, rationale: 'instructed', provider: 'offline' } }),
  ev('SessionInterrupted', 30, { reason: 'server-restart' }),
  ev('SessionResumed', 40),
  ev('SessionEnded', 50, { outcome: 'completed' }),
  ev('RecordingSegmentStored', 51, { artifactId: 'rec', complete: true, durationMs: 48_000, startedAt: '2026-11-28T10:00:02.500Z' }),
  ev('ReviewDecided', 60, { decision: 'reject', note: 'coerced', staffId: 'stf_1', staffEmail: 'r@example.test' }),
  ev('ReviewDecided', 70, { decision: 'request_redo', note: 'redo with nobody present', staffId: 'stf_2', staffEmail: 'a@example.test' }),
];

describe('session detail', () => {
  const detail = buildSessionDetail({
    record,
    events,
    artifacts: [artifact('img', 'document-image'), artifact('face', 'document-face', 'image/png'), artifact('live', 'liveness-frame'), artifact('rec', 'recording', 'video/mp4')],
    steps: [{ id: 'consent', kind: 'consent' }, { id: 'document', kind: 'document' }, { id: 'live', kind: 'liveness' }, { id: 'voluntary', kind: 'intent' }],
    flags: ['coercion', 'document_corrected', 'document_failed', 'interrupted'],
    chain: { ok: true, count: events.length, headHash: 'x' },
    contract: null,
    now: new Date('2026-11-28T11:00:00Z'),
  });

  it('puts the document read beside the applicant corrections', () => {
    expect(detail.document?.attempts.map((a) => a.outcome)).toEqual(['fail', 'pass']);
    expect(detail.document?.corrections).toEqual([
      { name: 'surname', read: 'EXAMPLE', confirmed: 'EXAMPLE', corrected: false },
      { name: 'givenNames', read: 'JANE', confirmed: 'JANE MARIE', corrected: true },
      { name: 'birthDate', read: '1990-04-12', confirmed: '1990-04-12', corrected: false },
    ]);
    expect(detail.document?.confirmedAt).toBe('2026-11-28T10:00:14.000Z');
  });

  it('shows liveness with the face-match pair and score', () => {
    expect(detail.liveness?.faceMatch).toEqual({ similarity: 0.71, threshold: 0.53, matched: true, documentFaceArtifactId: 'face', liveFrameArtifactId: 'live' });
  });

  it('times everything from the recording start and keeps intent readings', () => {
    expect(detail.timeline.origin).toBe('2026-11-28T10:00:02.500Z');
    expect(detail.intent).toEqual([
      expect.objectContaining({ stepId: 'voluntary', atMs: 22_500, answer: 'my brother said I must', coercion: ['instructed_by_other'], label: 'affirm' }),
    ]);
    expect(detail.recordings).toEqual([expect.objectContaining({ artifactId: 'rec', startMs: 0, durationMs: 48_000, complete: true })]);
    expect(detail.risk.map((r) => r.flag)).toEqual(['document_failed', 'document_corrected', 'coercion', 'interrupted']);
    expect(detail.steps.find((s) => s.id === 'voluntary')?.startMs).toBe(19_500);
  });

  it('keeps every decision, the latest current, and the interruption with its resume', () => {
    expect(detail.decisions.map((d) => d.decision)).toEqual(['reject', 'request_redo']);
    expect(detail.decision).toMatchObject({ decision: 'request_redo', staffEmail: 'a@example.test', note: 'redo with nobody present' });
    expect(detail.interruptions).toEqual([{ at: '2026-11-28T10:00:30.000Z', reason: 'server-restart', resumedAt: '2026-11-28T10:00:40.000Z' }]);
    // Decisions are not steps of the session: the timeline leaves them out.
    expect(detail.timeline.entries.some((e) => e.label.includes('reject'))).toBe(false);
  });

  it('allows a decision only once the session has finished', () => {
    const now = new Date('2026-11-29T00:00:00Z');
    expect(decidability({ status: 'completed', expiresAt: record.expiresAt }, now).ok).toBe(true);
    expect(decidability({ status: 'active', expiresAt: record.expiresAt }, now)).toEqual({ ok: false, reason: 'the session has not finished (status active)' });
    expect(decidability({ status: 'interrupted', expiresAt: record.expiresAt }, now).ok).toBe(false);
    expect(decidability({ status: 'interrupted', expiresAt: '2026-11-28T12:00:00Z' }, now).ok).toBe(true);
  });
});
