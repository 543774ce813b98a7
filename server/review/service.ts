/**
 * The review console's operations over the store: the queue, a session's detail, the contract's
 * verification, decisions and artifact access. Every read of personal data, every decision and
 * every export is written to the staff access log; a decision's chain event and its access-log
 * row are written in ONE transaction.
 */
import { contractRecordId, storedContract } from '../contract/session.ts';
import { verifyStoredRecord } from '../contract/store-verify.ts';
import type { RecordVerification } from '../contract/verify.ts';
import type { ScriptCatalog } from '../session/catalog.ts';
import type { ArtifactRecord, ReviewQueueQuery, SessionRecord, Store } from '../store/index.ts';
import { buildSessionDetail, decidability, decisionsOf } from './detail.ts';
import { REVIEW_DECIDED, type ReviewDecision } from './flags.ts';
import { chaptersToWebVtt, buildTimeline } from './timeline.ts';
import type { DecisionBody, DecisionRecord, QueuePage, QueueQuery, SessionDetail } from './types.ts';

/** The signed-in staff member (set by requireStaff). */
export interface StaffIdentity {
  id: string;
  email: string;
  role: string;
}

/** The staff access log (append-only); see docs of the staff module. */
export interface AccessLogWriter {
  append(entry: { staffId: string; action: string; sessionId: string | null; detail: Record<string, unknown> }): void;
}

export interface ReviewServiceDeps {
  store: Store;
  accessLog: AccessLogWriter;
  /** Runs `fn` in one database transaction (synchronous). */
  transaction: <T>(fn: () => T) => T;
  catalog: ScriptCatalog;
  /** The contract keyring (public keys) for record verification. */
  keyring: () => unknown;
  /** Product id -> script ids that use it (for the queue's product filter). */
  scriptsForProduct: (product: string) => string[];
  now?: () => Date;
}

export class ReviewError extends Error {
  override name = 'ReviewError';
  constructor(
    readonly code: 'not_found' | 'not_finished' | 'bad_cursor',
    message: string,
  ) {
    super(message);
  }
}

export const ACCESS_ACTIONS = {
  view: 'session.view',
  artifact: 'session.artifact',
  verify: 'session.verify',
  decide: 'session.decide',
  export: 'session.export',
} as const;

export class ReviewService {
  private readonly now: () => Date;

  constructor(private readonly o: ReviewServiceDeps) {
    this.now = o.now ?? (() => new Date());
  }

  /** The queue holds no personal data (reference, status, flags, dates), so it is not logged. */
  queue(query: QueueQuery): QueuePage {
    const scriptIds = query.script ? query.script.split(',') : undefined;
    const productScripts = query.product ? this.o.scriptsForProduct(query.product) : undefined;
    const scripts = productScripts && scriptIds ? scriptIds.filter((id) => productScripts.includes(id)) : (productScripts ?? scriptIds);
    if (scripts && scripts.length === 0) return { items: [], total: 0, next: null };
    const storeQuery: ReviewQueueQuery = {
      limit: query.limit,
      ...(query.status?.length ? { statuses: query.status } : {}),
      ...(query.decision ? { decision: query.decision } : {}),
      ...(query.flags?.length ? { flags: query.flags } : {}),
      ...(scripts ? { scriptIds: scripts } : {}),
      ...(query.from ? { createdFrom: startOf(query.from) } : {}),
      ...(query.to ? { createdTo: endOf(query.to) } : {}),
      ...(query.reference ? { reference: query.reference } : {}),
      ...(query.after ? { after: decodeCursor(query.after) } : {}),
    };
    const page = this.o.store.review.queue(storeQuery);
    return {
      items: page.items.map((item) => ({ ...item, decision: item.decision as ReviewDecision | null })),
      total: page.total,
      next: page.next ? encodeCursor(page.next) : null,
    };
  }

  detail(sessionId: string, staff: StaffIdentity): SessionDetail {
    const record = this.find(sessionId);
    const events = this.o.store.events.list(sessionId);
    const artifacts = this.o.store.artifacts.list(sessionId);
    const stored = storedContract(this.o.store, sessionId);
    const detail = buildSessionDetail({
      record,
      events,
      artifacts,
      steps: this.stepsOf(record),
      flags: this.o.store.review.summary(sessionId).flags,
      chain: this.o.store.events.verifyChain(sessionId),
      contract: stored ? { recordId: contractRecordId(sessionId, stored.n), pdfArtifactId: stored.pdf.id, recordArtifactId: stored.record.id } : null,
      now: this.now(),
    });
    this.o.accessLog.append({ staffId: staff.id, action: ACCESS_ACTIONS.view, sessionId, detail: {} });
    return detail;
  }

  /** WebVTT chapters (one per step) for the player; step ids only, no personal data. */
  chapters(sessionId: string): string {
    this.find(sessionId);
    return chaptersToWebVtt(buildTimeline(this.o.store.events.list(sessionId).filter((e) => e.type !== REVIEW_DECIDED)).chapters);
  }

  /** The latest sealed contract record checked against the stored PDF, artifacts and chain. */
  async verification(sessionId: string, staff: StaffIdentity | null): Promise<(RecordVerification & { recordId: string }) | null> {
    this.find(sessionId);
    const stored = storedContract(this.o.store, sessionId);
    if (staff) this.o.accessLog.append({ staffId: staff.id, action: ACCESS_ACTIONS.verify, sessionId, detail: {} });
    if (!stored) return null;
    const [recordBytes, pdfBytes] = await Promise.all([this.o.store.blobs.get(stored.record.blobKey), this.o.store.blobs.get(stored.pdf.blobKey)]);
    const recordId = contractRecordId(sessionId, stored.n);
    if (!recordBytes) return { recordId, ok: false, checks: [{ name: 'record-signature', ok: false, detail: 'the record is missing from storage' }], notChecked: [] };
    const result = await verifyStoredRecord({
      store: this.o.store,
      sessionId,
      record: Buffer.from(recordBytes).toString('utf8'),
      ...(pdfBytes ? { pdfBytes } : {}),
      keyring: this.o.keyring(),
    });
    return { recordId, ...result };
  }

  /**
   * Approve, reject or send back, with a note. The decision is an event on the session's own
   * chain and an access-log row, in one transaction. Later decisions supersede earlier ones;
   * all are kept.
   */
  decide(sessionId: string, staff: StaffIdentity, body: DecisionBody): { decision: DecisionRecord; decisions: DecisionRecord[] } {
    const at = this.now().toISOString();
    return this.o.transaction(() => {
      const record = this.find(sessionId);
      const allowed = decidability(record, this.now());
      if (!allowed.ok) throw new ReviewError('not_finished', `No decision can be recorded yet: ${allowed.reason}.`);
      this.o.store.sessions.update(record.id, record.version, {}, [
        { type: REVIEW_DECIDED, at, payload: { decision: body.decision, note: body.note, staffId: staff.id, staffEmail: staff.email, role: staff.role } },
      ]);
      this.o.accessLog.append({ staffId: staff.id, action: ACCESS_ACTIONS.decide, sessionId, detail: { decision: body.decision } });
      const decisions = decisionsOf(this.o.store.events.list(sessionId));
      return { decision: decisions.at(-1) as DecisionRecord, decisions };
    });
  }

  /** An artifact of this session (404 for another session's), logged once per playback start. */
  artifact(sessionId: string, artifactId: string): ArtifactRecord {
    this.find(sessionId);
    const artifact = this.o.store.artifacts.list(sessionId).find((a) => a.id === artifactId);
    if (!artifact) throw new ReviewError('not_found', 'No such artifact in this session.');
    return artifact;
  }

  logArtifactAccess(staff: StaffIdentity, artifact: ArtifactRecord): void {
    this.o.accessLog.append({ staffId: staff.id, action: ACCESS_ACTIONS.artifact, sessionId: artifact.sessionId, detail: { artifactId: artifact.id, kind: artifact.kind } });
  }

  logExport(staff: StaffIdentity, sessionId: string): void {
    this.o.accessLog.append({ staffId: staff.id, action: ACCESS_ACTIONS.export, sessionId, detail: {} });
  }

  find(sessionId: string): SessionRecord {
    const record = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/.test(sessionId) ? this.o.store.sessions.findById(sessionId) : null;
    if (!record) throw new ReviewError('not_found', 'No session with that id.');
    return record;
  }

  stepsOf(record: SessionRecord): { id: string; kind: string }[] {
    try {
      return this.o.catalog.pinned(record.scriptHash).script.steps.map((step) => ({ id: step.id, kind: step.kind }));
    } catch {
      return []; // a script version no longer stored: the timeline still shows the steps seen
    }
  }
}

/** `2026-11-28` means from that day's start (UTC); a full timestamp is taken as it is. */
function startOf(value: string): string {
  return value.length === 10 ? `${value}T00:00:00.000Z` : new Date(value).toISOString();
}

/** `to=2026-11-28` includes that whole day. */
function endOf(value: string): string {
  if (value.length !== 10) return new Date(value).toISOString();
  return new Date(Date.parse(`${value}T00:00:00.000Z`) + 86_400_000).toISOString();
}

export function encodeCursor(key: { createdAt: string; id: string }): string {
  return Buffer.from(JSON.stringify([key.createdAt, key.id])).toString('base64url');
}

export function decodeCursor(cursor: string): { createdAt: string; id: string } {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof createdAt === 'string' && typeof id === 'string' && !Number.isNaN(Date.parse(createdAt))) return { createdAt, id };
  } catch {
    // fall through
  }
  throw new ReviewError('bad_cursor', 'after: not a cursor from this queue; start from the first page.');
}
