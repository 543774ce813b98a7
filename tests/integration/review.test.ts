/**
 * The review API against a real server and SQLite file: sessions are run by a scripted
 * applicant over socket.io (typed script, contract signed and sealed), staff sign in over HTTP.
 * Queue filters and paging, the session detail, decisions (note required, chain event and
 * access-log row written together), Range streaming, the evidence bundle (opened with Info-ZIP,
 * every file's hash checked) and the access log.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerOn, answerable, connectApplicant, createSession, type Applicant } from '../support/applicant.ts';
import { startTestServer, tempDir, type TestServer } from '../support/attest.ts';
import { createStaff, loginStaff, staffRequest, type StaffLogin } from '../support/staff.ts';
import { openSqliteStore, type Store } from '../../server/store/index.ts';
import { ReviewService } from '../../server/review/index.ts';
import type { QueuePage, SessionDetail } from '../../server/review/index.ts';

const hasUnzip = spawnSync('unzip', ['-v']).status === 0;
if (!hasUnzip) console.warn('review test: `unzip` is not installed (apt-get install unzip): the bundle test is skipped');

let server: TestServer;
let reviewer: StaffLogin;
let admin: StaffLogin;
let editor: StaffLogin;
let store: Store;
const applicants: Applicant[] = [];
const sessions: { completed: string; coerced: string; waiting: string; fresh: string[] } = { completed: '', coerced: '', waiting: '', fresh: [] };

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Runs a session to its end, answering the intent questions in words (so they are classified). */
async function runSession(voluntaryAnswer: string): Promise<string> {
  const created = await createSession(server.url, { locale: 'en' });
  const applicant = await connectApplicant(server.url, created.token);
  applicants.push(applicant);
  await applicant.emitAck('session:begin', {});
  for (let turn = 0; turn < 40; turn++) {
    const view = await applicant.waitForView(answerable, 30_000);
    if (view.status !== 'active') return created.sessionId;
    const seen = applicant.views.length;
    const stepId = view.prompt!.stepId;
    const answer =
      stepId === 'voluntary'
        ? { stepId, text: voluntaryAnswer }
        : stepId === 'understands_terms'
          ? { stepId, text: 'Yes, I understand I must repay it every month.' }
          : await answerOn(applicant, view);
    const result = await applicant.emitAck('dialogue:answer', answer);
    if (!result.ok) throw new Error(`answer refused: ${JSON.stringify(result.error)}`);
    await applicant.waitForView(() => applicant.views.length > seen);
  }
  throw new Error('session did not end');
}

async function json<T>(response: Response): Promise<T> {
  const text = await response.text();
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new Error(`not JSON (HTTP ${response.status}): ${text.slice(0, 200)}`);
  }
}

const get = (login: StaffLogin | null, url: string, headers: Record<string, string> = {}) => staffRequest(server.url, login, 'GET', url, undefined, headers);
const accessLog = (sessionId: string) => store.accessLog.list({ sessionId, limit: 100 });

beforeAll(async () => {
  server = await startTestServer();
  const staff = {
    reviewer: await createStaff(server, { email: 'reviewer@example.test', role: 'reviewer' }),
    admin: await createStaff(server, { email: 'admin@example.test', role: 'admin' }),
    editor: await createStaff(server, { email: 'editor@example.test', role: 'script_editor' }),
  };
  reviewer = await loginStaff(server.url, staff.reviewer.email, staff.reviewer.password);
  admin = await loginStaff(server.url, staff.admin.email, staff.admin.password);
  editor = await loginStaff(server.url, staff.editor.email, staff.editor.password);
  sessions.completed = await runSession('Yes, it is entirely my own decision.');
  sessions.coerced = await runSession('My boss told me to apply for it.');
  // Begun but not finished, and never begun.
  const waiting = await createSession(server.url, { locale: 'en' });
  const a = await connectApplicant(server.url, waiting.token);
  applicants.push(a);
  await a.emitAck('session:begin', {});
  await a.waitForView((v) => v.status === 'active');
  sessions.waiting = waiting.sessionId;
  for (let i = 0; i < 3; i++) sessions.fresh.push((await createSession(server.url, { locale: 'zh-CN' })).sessionId);
  // A second connection to the same database file, as an operator's tool would open it.
  store = openSqliteStore({ dataDir: server.dataDir });
}, 180_000);

afterAll(async () => {
  for (const a of applicants) a.close();
  store?.close();
  await server?.stop();
});

describe('review API access', () => {
  it('refuses without a login, to a script editor, and a POST without the CSRF token', async () => {
    const anonymous = await get(null, '/api/review/sessions');
    expect(anonymous.status).toBe(401);
    expect((await json<{ error: { code: string } }>(anonymous)).error.code).toBe('login_required');
    const wrongRole = await get(editor, `/api/review/sessions/${sessions.completed}`);
    expect(wrongRole.status).toBe(403);
    expect((await json<{ error: { code: string } }>(wrongRole)).error.code).toBe('forbidden');
    const noCsrf = await staffRequest(server.url, reviewer, 'POST', `/api/review/sessions/${sessions.completed}/decisions`, { decision: 'approve', note: 'fine' }, { 'x-csrf-token': 'wrong' });
    expect(noCsrf.status).toBe(403);
    expect((await json<{ error: { code: string } }>(noCsrf)).error.code).toBe('csrf_failed');
    // No refusal wrote a view or a decision.
    expect(accessLog(sessions.completed).filter((e) => e.action !== 'session.view')).toEqual([]);
    expect(store.events.list(sessions.completed).some((e) => e.type === 'ReviewDecided')).toBe(false);
  });
});

describe('review queue', () => {
  it('lists newest first and pages through every session exactly once', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let total = 0;
    for (let page = 0; page < 10; page++) {
      const response: Response = await get(reviewer, `/api/review/sessions?limit=2${after ? `&after=${after}` : ''}`);
      expect(response.status).toBe(200);
      const body: QueuePage = await json<QueuePage>(response);
      total = body.total;
      seen.push(...body.items.map((item) => item.id));
      const created = body.items.map((item) => item.createdAt);
      expect([...created].sort().reverse()).toEqual(created);
      after = body.next;
      if (!after) break;
    }
    expect(total).toBe(6);
    expect(new Set(seen).size).toBe(6);
    expect(seen[0]).toBe(sessions.fresh[2]);
    expect(seen.at(-1)).toBe(sessions.completed);
  });

  it('filters by status, flags, decision, script, product, date and reference', async () => {
    const ids = async (query: string) => (await json<QueuePage>(await get(reviewer, `/api/review/sessions?${query}`))).items.map((i) => i.id);
    const completedStatus = store.sessions.findById(sessions.completed)!.status;
    expect(completedStatus).toBe('completed');
    expect(await ids('status=completed')).toEqual([sessions.completed]);
    expect((await ids('status=created')).sort()).toEqual([...sessions.fresh].sort());
    expect(await ids('flags=coercion')).toEqual([sessions.coerced]);
    const coerced = (await json<QueuePage>(await get(reviewer, '/api/review/sessions?flags=coercion'))).items[0]!;
    expect(coerced.flags).toContain('coercion');
    expect(['declined', 'review']).toContain(coerced.status);
    expect(await ids('status=completed,declined,review&flags=coercion')).toEqual([sessions.coerced]);
    expect((await ids('decision=none')).length).toBe(6);
    expect(await ids('script=onboarding&status=active')).toEqual([sessions.waiting]);
    expect((await ids('product=consumer-loan')).length).toBe(6);
    expect(await ids('product=unknown-product')).toEqual([]);
    const today = new Date().toISOString().slice(0, 10);
    expect((await ids(`from=${today}&to=${today}`)).length).toBe(6);
    expect(await ids('to=2000-01-01')).toEqual([]);
    const reference = store.sessions.findById(sessions.completed)!.reference;
    expect(await ids(`reference=${reference.slice(0, -2).toLowerCase()}`)).toContain(sessions.completed);
  });

  it('answers a wrong filter with a 400 naming it', async () => {
    for (const [query, field] of [['status=bogus', 'status'], ['flags=nope', 'flags'], ['limit=0', 'limit'], ['after=xyz', 'after'], ['from=yesterday', 'from'], ['colour=red', 'colour']] as const) {
      const response = await get(reviewer, `/api/review/sessions?${query}`);
      expect(response.status, query).toBe(400);
      expect((await json<{ error: { message: string } }>(response)).error.message, query).toContain(field);
    }
  });
});

describe('session detail', () => {
  it('shows the timeline, transcript, intent answers, contract and chain, and logs the view', async () => {
    const before = accessLog(sessions.completed).length;
    const response = await get(reviewer, `/api/review/sessions/${sessions.completed}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toContain('no-store');
    const detail = await json<SessionDetail>(response);
    expect(detail.session).toMatchObject({ id: sessions.completed, status: 'completed', scriptId: 'onboarding' });
    expect(detail.decidable).toEqual({ ok: true, reason: null });
    expect(detail.steps.map((s) => s.id)).toEqual(expect.arrayContaining(['consent_recording', 'voluntary', 'contract']));
    expect(detail.timeline.chapters.length).toBeGreaterThan(3);
    expect(detail.transcript.some((t) => t.from === 'applicant' && t.text === 'Yes, it is entirely my own decision.')).toBe(true);
    const voluntary = detail.intent.find((answer) => answer.stepId === 'voluntary');
    expect(voluntary).toMatchObject({ answer: 'Yes, it is entirely my own decision.', label: 'affirm', coercion: [], provider: 'offline' });
    expect(voluntary!.question).toContain('free will');
    expect(detail.contract?.recordId).toBe(`${sessions.completed}.c1`);
    expect(detail.chain.ok).toBe(true);
    const log = accessLog(sessions.completed);
    expect(log.length).toBe(before + 1);
    expect(log[0]).toMatchObject({ action: 'session.view', staffId: reviewer.staff.id, sessionId: sessions.completed });

    const coerced = await json<SessionDetail>(await get(reviewer, `/api/review/sessions/${sessions.coerced}`));
    expect(coerced.intent.find((a) => a.stepId === 'voluntary')?.coercion).toContain('instructed_by_other');
    expect(coerced.risk.map((r) => r.flag)).toContain('coercion');
  });

  it('serves WebVTT chapters and the contract verification', async () => {
    const vtt = await get(reviewer, `/api/review/sessions/${sessions.completed}/chapters.vtt`);
    expect(vtt.headers.get('content-type')).toContain('text/vtt');
    expect(await vtt.text()).toMatch(/^WEBVTT\n\n1\n\d{2}:\d{2}:\d{2}\.\d{3} --> /);
    const verification = await json<{ ok: boolean; recordId: string; checks: { name: string; ok: boolean }[] }>(
      await get(reviewer, `/api/review/sessions/${sessions.completed}/verification`),
    );
    expect(verification.ok).toBe(true);
    expect(verification.checks.map((c) => c.name)).toEqual(expect.arrayContaining(['record-signature', 'pdf-hash', 'event-chain']));
  });

  it('answers an unknown session with 404', async () => {
    expect((await get(reviewer, '/api/review/sessions/ses_nope')).status).toBe(404);
    expect((await get(reviewer, '/api/review/sessions/..%2Fetc')).status).toBe(404);
  });
});

describe('decisions', () => {
  const decide = (login: StaffLogin, sessionId: string, body: unknown) => staffRequest(server.url, login, 'POST', `/api/review/sessions/${sessionId}/decisions`, body);
  const decisionCount = (sessionId: string) => store.events.list(sessionId).filter((e) => e.type === 'ReviewDecided').length;
  const decideRows = (sessionId: string) => accessLog(sessionId).filter((e) => e.action === 'session.decide').length;

  it('requires a note and a known decision, writing nothing otherwise', async () => {
    for (const body of [{ decision: 'approve' }, { decision: 'approve', note: '  ' }, { decision: 'maybe', note: 'looks fine' }]) {
      const response = await decide(reviewer, sessions.completed, body);
      expect(response.status).toBe(400);
    }
    const missing = await json<{ error: { message: string } }>(await decide(reviewer, sessions.completed, { decision: 'approve' }));
    expect(missing.error.message).toContain('note');
    expect(decisionCount(sessions.completed)).toBe(0);
    expect(decideRows(sessions.completed)).toBe(0);
  });

  it('refuses a decision on a session that has not finished', async () => {
    const response = await decide(reviewer, sessions.waiting, { decision: 'approve', note: 'too early' });
    expect(response.status).toBe(409);
    const body = await json<{ error: { code: string; message: string } }>(response);
    expect(body.error.code).toBe('review_not_finished');
    expect(body.error.message).toContain('status active');
    expect(decisionCount(sessions.waiting)).toBe(0);
    expect(decideRows(sessions.waiting)).toBe(0);
  });

  it('stores the decision on the chain with an access-log row; a later one supersedes, both kept', async () => {
    const first = await decide(reviewer, sessions.completed, { decision: 'approve', note: 'All checks passed; answers clear.' });
    expect(first.status).toBe(201);
    const second = await decide(admin, sessions.completed, { decision: 'request_redo', note: 'Please redo: the contract page was skipped quickly.' });
    expect(second.status).toBe(201);
    const body = await json<{ decisions: { decision: string; staffEmail: string }[] }>(second);
    expect(body.decisions.map((d) => [d.decision, d.staffEmail])).toEqual([
      ['approve', 'reviewer@example.test'],
      ['request_redo', 'admin@example.test'],
    ]);
    const events = store.events.list(sessions.completed).filter((e) => e.type === 'ReviewDecided');
    expect(events.map((e) => (e.payload as { note: string }).note)).toEqual(['All checks passed; answers clear.', 'Please redo: the contract page was skipped quickly.']);
    expect(store.events.verifyChain(sessions.completed).ok).toBe(true);
    const rows = accessLog(sessions.completed).filter((e) => e.action === 'session.decide');
    expect(rows.map((r) => [r.staffId, r.detail.decision])).toEqual([
      [admin.staff.id, 'request_redo'],
      [reviewer.staff.id, 'approve'],
    ]);
    const queue = await json<QueuePage>(await get(reviewer, '/api/review/sessions?decision=request_redo'));
    expect(queue.items.map((i) => i.id)).toEqual([sessions.completed]);
    expect((await json<QueuePage>(await get(reviewer, '/api/review/sessions?decision=approve'))).items).toEqual([]);
    const detail = await json<SessionDetail>(await get(reviewer, `/api/review/sessions/${sessions.completed}`));
    expect(detail.decision?.decision).toBe('request_redo');
    expect(detail.decisions).toHaveLength(2);
  });

  it('writes neither the event nor the log row when either write fails', () => {
    const before = { events: store.events.list(sessions.coerced).length, log: accessLog(sessions.coerced).length };
    const failingLog = new ReviewService({
      store,
      accessLog: {
        append: () => {
          throw new Error('access log unavailable');
        },
      },
      transaction: (fn) => store.transaction(fn),
      catalog: { pinned: () => ({ script: { steps: [] } }) } as never,
      keyring: () => ({}),
      scriptsForProduct: () => [],
    });
    const staff = { id: reviewer.staff.id, email: reviewer.staff.email, role: 'reviewer' };
    expect(() => failingLog.decide(sessions.coerced, staff, { decision: 'reject', note: 'coerced applicant' })).toThrow('access log unavailable');
    expect(store.events.list(sessions.coerced).length).toBe(before.events);
    expect(store.review.summary(sessions.coerced).decision).toBeNull();
    // And an access-log row that cannot commit with its event: an unknown staff id breaks the
    // log's foreign key after the event was appended; both roll back.
    const realLog = new ReviewService({
      store,
      accessLog: store.accessLog,
      transaction: (fn) => store.transaction(fn),
      catalog: { pinned: () => ({ script: { steps: [] } }) } as never,
      keyring: () => ({}),
      scriptsForProduct: () => [],
    });
    expect(() => realLog.decide(sessions.coerced, { ...staff, id: 'stf_unknown' }, { decision: 'reject', note: 'coerced applicant' })).toThrow();
    expect(store.events.list(sessions.coerced).length).toBe(before.events);
    expect(accessLog(sessions.coerced).length).toBe(before.log);
    expect(store.events.verifyChain(sessions.coerced).ok).toBe(true);
  });
});

describe('artifacts and the evidence bundle', () => {
  let recordingId = '';
  const recording = randomBytes(300_000);

  beforeAll(async () => {
    // A stored recording segment, the way the recorder stores one (artifact + timing fact).
    const artifact = await store.artifacts.put(sessions.completed, 'recording', 'video/mp4', recording);
    const record = store.sessions.findById(sessions.completed)!;
    store.sessions.update(record.id, record.version, {}, [
      { type: 'RecordingSegmentStored', at: new Date().toISOString(), payload: { artifactId: artifact.id, sha256: artifact.sha256, bytes: recording.length, complete: true, durationMs: 4000, startedAt: record.createdAt } },
    ]);
    recordingId = artifact.id;
  });

  it('streams an artifact with HTTP Range so the player can seek, logging only reads from the start', async () => {
    const url = `/api/review/sessions/${sessions.completed}/artifacts/${recordingId}`;
    const logged = () => accessLog(sessions.completed).filter((e) => e.action === 'session.artifact').length;
    const before = logged();
    const full = await get(reviewer, url);
    expect(full.status).toBe(200);
    expect(full.headers.get('accept-ranges')).toBe('bytes');
    expect(full.headers.get('content-type')).toBe('video/mp4');
    expect(sha256(new Uint8Array(await full.arrayBuffer()))).toBe(sha256(recording));
    expect(logged()).toBe(before + 1);

    const middle = await get(reviewer, url, { range: 'bytes=1000-1999' });
    expect(middle.status).toBe(206);
    expect(middle.headers.get('content-range')).toBe(`bytes 1000-1999/${recording.length}`);
    expect(Buffer.from(await middle.arrayBuffer()).equals(recording.subarray(1000, 2000))).toBe(true);
    const tail = await get(reviewer, url, { range: 'bytes=-500' });
    expect(tail.status).toBe(206);
    expect(Buffer.from(await tail.arrayBuffer()).equals(recording.subarray(recording.length - 500))).toBe(true);
    expect(logged()).toBe(before + 1);
    const start = await get(reviewer, url, { range: 'bytes=0-' });
    expect(start.status).toBe(206);
    await start.arrayBuffer();
    expect(logged()).toBe(before + 2);

    const past = await get(reviewer, url, { range: `bytes=${recording.length}-` });
    expect(past.status).toBe(416);
    expect(past.headers.get('content-range')).toBe(`bytes */${recording.length}`);
    // Another session's artifact is not reachable through this one.
    expect((await get(reviewer, `/api/review/sessions/${sessions.coerced}/artifacts/${recordingId}`)).status).toBe(404);
  });

  it.skipIf(!hasUnzip)('exports a zip whose files match their stored hashes, and logs the export', async () => {
    const response = await get(reviewer, `/api/review/sessions/${sessions.completed}/bundle.zip`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    expect(response.headers.get('content-disposition')).toMatch(/attachment; filename="attest-evidence-ATT-[A-Z0-9-]+\.zip"/);
    const dir = tempDir('attest-bundle-');
    const file = path.join(dir, 'bundle.zip');
    fs.writeFileSync(file, Buffer.from(await response.arrayBuffer()));
    expect(execFileSync('unzip', ['-t', file], { encoding: 'utf8' })).toContain('No errors detected');
    const names = execFileSync('unzip', ['-Z1', file], { encoding: 'utf8' }).trim().split('\n');
    expect(names).toEqual(expect.arrayContaining([
      'contract/contract.pdf',
      'contract/contract-record.json',
      'recording/segment-1.mp4',
      'timeline.json',
      'chapters.vtt',
      'transcript.txt',
      'events.json',
      'verification.json',
      'manifest.json',
    ]));
    const extract = (name: string) => execFileSync('unzip', ['-p', file, name], { maxBuffer: 50_000_000 });
    const manifest = JSON.parse(extract('manifest.json').toString('utf8')) as { files: { path: string; sha256: string; artifactId?: string }[]; exportedBy: { email: string } };
    expect(manifest.exportedBy.email).toBe('reviewer@example.test');
    expect(manifest.files.map((f) => f.path).sort()).toEqual(names.filter((n) => n !== 'manifest.json').sort());
    const stored = new Map(store.artifacts.list(sessions.completed).map((a) => [a.id, a.sha256]));
    for (const entry of manifest.files) {
      const actual = sha256(extract(entry.path));
      expect(actual, entry.path).toBe(entry.sha256);
      if (entry.artifactId) expect(actual, entry.path).toBe(stored.get(entry.artifactId));
    }
    expect(sha256(extract('recording/segment-1.mp4'))).toBe(sha256(recording));
    const verification = JSON.parse(extract('verification.json').toString('utf8')) as { ok: boolean; contractRecord: { ok: boolean } };
    expect(verification.ok).toBe(true);
    expect(verification.contractRecord.ok).toBe(true);
    expect(extract('transcript.txt').toString('utf8')).toContain('Applicant (voluntary): Yes, it is entirely my own decision.');
    const events = JSON.parse(extract('events.json').toString('utf8')) as unknown[];
    expect(events.length).toBe(store.events.list(sessions.completed).length);
    expect(accessLog(sessions.completed)[0]).toMatchObject({ action: 'session.export', staffId: reviewer.staff.id });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(!hasUnzip)('names a stored file that was changed in the verification report', async () => {
    const artifact = store.artifacts.list(sessions.completed).find((a) => a.id === recordingId)!;
    const file = store.blobs.localPath(artifact.blobKey)!;
    const bytes = fs.readFileSync(file);
    bytes[1234] = (bytes[1234]! + 1) % 256;
    fs.writeFileSync(file, bytes);
    const dir = tempDir('attest-bundle-');
    const zip = path.join(dir, 'bundle.zip');
    fs.writeFileSync(zip, Buffer.from(await (await get(reviewer, `/api/review/sessions/${sessions.completed}/bundle.zip`)).arrayBuffer()));
    const report = JSON.parse(execFileSync('unzip', ['-p', zip, 'verification.json']).toString('utf8')) as { ok: boolean; files: { path: string; ok: boolean; detail: string }[]; contractRecord: { ok: boolean } };
    expect(report.ok).toBe(false);
    expect(report.files.find((f) => f.path === 'recording/segment-1.mp4')).toMatchObject({ ok: false, detail: expect.stringContaining('differs from the stored') });
    expect(report.files.filter((f) => !f.ok)).toHaveLength(1);
    // The bytes in the bundle are the stored (changed) ones, so anyone can see the difference.
    expect(sha256(execFileSync('unzip', ['-p', zip, 'recording/segment-1.mp4'], { maxBuffer: 1e7 }))).toBe(sha256(bytes));
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
