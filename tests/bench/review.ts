/**
 * npm run bench:review -- [--sessions 10000] [--requests 200] [--keep DIR] [--json]
 *
 * Seeds N sessions with realistic event chains (25-40 events each: consent, recording, steps,
 * assistant lines, classified answers with some coercion signals, verifier results, flags,
 * endings, some decisions; a tenth with a small recording artifact) in a temp data folder
 * through the real repositories (hash chain, review index), starts the real server on that
 * folder, signs a reviewer in over HTTP, and requests queue pages (varied filters, first and
 * deep pages) and session pages (random sessions).
 *
 * Times are the SERVER's: the `Server-Timing: app;dur=` header the review routes set (request
 * received -> first byte sent, in the server process). Loopback round trips are printed too.
 *
 * Last line: {"sessions":N,"list_p50_ms":T,"list_p95_ms":T,"detail_p50_ms":T,"detail_p95_ms":T}
 * With --json the human lines go to stderr, so stdout is only that line.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../server/config.ts';
import { loadScriptsFromDir } from '../../server/dialogue/index.ts';
import { silentLogger } from '../../server/log.ts';
import { startAttest } from '../../server/app.ts';
import { openSqliteStore, type NewEvent, type Store } from '../../server/store/index.ts';

const USAGE = 'usage: npm run bench:review -- [--sessions 10000] [--requests 200] [--keep DIR] [--json]';

function parseArgs(argv: string[]) {
  const args = { sessions: 10_000, requests: 200, json: false, keep: null as string | null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') args.json = true;
    else if (a === '--sessions') args.sessions = Number.parseInt(argv[++i] ?? '', 10);
    else if (a === '--requests') args.requests = Number.parseInt(argv[++i] ?? '', 10);
    else if (a === '--keep') args.keep = argv[++i] ?? null;
    else throw new Error(`unknown argument ${a}; ${USAGE}`);
  }
  if (!Number.isInteger(args.sessions) || args.sessions < 10 || args.sessions > 1_000_000) throw new Error(`--sessions takes 10..1000000; ${USAGE}`);
  if (!Number.isInteger(args.requests) || args.requests < 10 || args.requests > 100_000) throw new Error(`--requests takes 10..100000; ${USAGE}`);
  return args;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
};
const round = (value: number) => Math.round(value * 10) / 10;

/** A deterministic pseudo-random source, so every run seeds the same data. */
function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const STEPS = ['welcome', 'consent_recording', 'overview', 'full_name', 'date_of_birth', 'risk_disclosure', 'understands_terms', 'voluntary', 'for_yourself', 'contract', 'goodbye'];

/** One session's chain after SessionCreated, and its final status. */
function sessionEvents(random: () => number, start: number): { events: NewEvent[]; status: string; endedAt: string | null } {
  const events: NewEvent[] = [];
  let t = start + 5_000;
  const at = () => new Date((t += 500 + Math.floor(random() * 4000))).toISOString();
  const roll = random();
  const status = roll < 0.6 ? 'completed' : roll < 0.72 ? 'review' : roll < 0.78 ? 'declined' : roll < 0.83 ? 'interrupted' : roll < 0.9 ? 'active' : 'created';
  if (status === 'created') return { events, status, endedAt: null };
  events.push({ type: 'SessionStarted', at: at(), payload: { locale: 'en' } });
  const lastStep = status === 'active' || status === 'interrupted' ? 3 + Math.floor(random() * 6) : STEPS.length;
  const coerced = random() < 0.08;
  for (const stepId of STEPS.slice(0, lastStep)) {
    events.push({ type: 'AssistantSaid', at: at(), payload: { stepId, lineId: `${stepId}-1`, text: `The assistant's words at ${stepId}, as delivered to the applicant.` } });
    if (stepId === 'consent_recording') {
      events.push({ type: 'AnswerReceived', at: at(), payload: { stepId, choice: 'yes', display: 'Yes, I agree', question: 'Do you agree?' } });
      events.push({ type: 'ConsentRecorded', at: at(), payload: { stepId, purpose: 'recording', granted: true } });
      events.push({ type: 'RecordingStarted', at: at(), payload: { segment: 'segment.mp4' } });
    } else if (['understands_terms', 'voluntary', 'for_yourself'].includes(stepId)) {
      const signals = coerced && stepId === 'voluntary' ? ['instructed_by_other'] : [];
      events.push({
        type: 'AnswerReceived',
        at: at(),
        payload: { stepId, text: signals.length ? 'My boss told me to.' : 'Yes, I do.', question: `Question at ${stepId}?`, classification: { label: 'affirm', coercion_signals: signals, injection: false, confidence: 0.9, rationale: 'clear', provider: 'offline', latency_ms: 1 } },
      });
    } else if (stepId === 'full_name' || stepId === 'date_of_birth') {
      events.push({ type: 'AnswerReceived', at: at(), payload: { stepId, text: stepId === 'full_name' ? 'Jane Example' : '1990-04-12', question: 'Your name?' } });
    } else if (stepId === 'contract') {
      events.push({ type: 'VerifierRequested', at: at(), payload: { stepId, verifier: 'contract-seal' } });
      events.push({ type: 'VerifierFinished', at: at(), payload: { stepId, verifier: 'contract-seal', outcome: random() < 0.97 ? 'pass' : 'unavailable', data: {} } });
    }
    if (random() < 0.03) events.push({ type: 'FaceContinuityBroken', at: at(), payload: { similarity: 0.3, checks: 4 } });
    if (random() < 0.02) events.push({ type: 'MediaFailed', at: at(), payload: { reason: 'ice failed' } });
  }
  if (status === 'interrupted') events.push({ type: 'SessionInterrupted', at: at(), payload: { reason: 'server-restart' } });
  let endedAt: string | null = null;
  if (status === 'completed' || status === 'review' || status === 'declined') {
    endedAt = at();
    events.push({ type: 'SessionEnded', at: endedAt, payload: { outcome: status, reason: status === 'review' ? 'needs_review' : null } });
    events.push({ type: 'RecordingSegmentStored', at: at(), payload: { artifactId: 'none', complete: true, durationMs: t - start, startedAt: new Date(start + 6000).toISOString() } });
    const decided = random();
    if (decided < 0.3) events.push({ type: 'ReviewDecided', at: at(), payload: { decision: decided < 0.2 ? 'approve' : decided < 0.25 ? 'reject' : 'request_redo', note: 'Checked.', staffId: 'seed', staffEmail: 'seed@example.test' } });
  }
  return { events, status, endedAt };
}

async function seed(store: Store, count: number, scriptHash: string, log: (line: string) => void): Promise<{ ids: string[]; events: number }> {
  const random = rng(20261128);
  const ids: string[] = [];
  let total = 0;
  const now = Date.now();
  const blobs: { id: string; bytes: Uint8Array }[] = [];
  const BATCH = 250;
  for (let first = 0; first < count; first += BATCH) {
    store.transaction(() => {
      for (let i = first; i < Math.min(count, first + BATCH); i++) {
        const start = now - Math.floor(random() * 30 * 86_400_000);
        const id = `ses_bench${String(i).padStart(7, '0')}`;
        const createdAt = new Date(start).toISOString();
        const { events, status, endedAt } = sessionEvents(random, start);
        const created = store.sessions.create(
          {
            id,
            reference: `ATT-B${String(i).padStart(7, '0')}`,
            tokenHash: createHash('sha256').update(id).digest('hex'),
            status: 'created',
            locale: random() < 0.7 ? 'en' : 'zh-CN',
            scriptId: 'onboarding',
            scriptHash,
            externalRef: null,
            state: { status: 'pending' },
            createdAt,
            expiresAt: new Date(start + 72 * 3_600_000).toISOString(),
          },
          { type: 'SessionCreated', at: createdAt, payload: { scriptId: 'onboarding', scriptHash, locale: 'en' } },
        );
        if (events.length > 0) store.sessions.update(id, created.version, { status, ...(endedAt ? { endedAt } : {}) }, events);
        total += 1 + events.length;
        ids.push(id);
        if (i % 10 === 0 && status !== 'created') blobs.push({ id, bytes: randomBytes(20_000) });
      }
    });
    if ((first / BATCH) % 8 === 0) log(`seeded ${Math.min(count, first + BATCH)} / ${count} sessions`);
  }
  for (const blob of blobs) await store.artifacts.put(blob.id, 'recording', 'video/mp4', blob.bytes);
  return { ids, events: total + blobs.length };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const log = (line: string) => (args.json ? console.error(line) : console.log(line));
  // --keep DIR: seed into DIR (which must not exist) and leave it there for inspection.
  if (args.keep && fs.existsSync(args.keep)) throw new Error(`--keep ${args.keep}: the folder exists; name a new one`);
  const dataDir = args.keep ?? fs.mkdtempSync(path.join(os.tmpdir(), 'attest-bench-review-'));
  try {
    const script = loadScriptsFromDir(path.resolve('prompts/scripts')).find((s) => s.script.id === 'onboarding');
    if (!script) throw new Error('prompts/scripts has no "onboarding" script');
    const seedStore = openSqliteStore({ dataDir });
    seedStore.scripts.save(script.hash, 'onboarding', script.source, new Date().toISOString());
    const seedStarted = Date.now();
    const seeded = await seed(seedStore, args.sessions, script.hash, log);
    seedStore.close();
    log(`seeded ${args.sessions} sessions, ${seeded.events} events in ${round((Date.now() - seedStarted) / 1000)} s; database ${round(fs.statSync(path.join(dataDir, 'attest.db')).size / 1e6)} MB`);

    const config = loadConfig({ PORT: '0', ATTEST_DATA_DIR: dataDir, LOG_LEVEL: 'silent', ATTEST_DEFAULT_SCRIPT: 'onboarding' });
    const attest = await startAttest(config, silentLogger());
    try {
      const password = 'bench reviewer password 1';
      await attest.staff.create({ email: 'bench-reviewer@example.test', role: 'reviewer', password }, null);
      const login = await fetch(`${attest.url}/api/staff/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'bench-reviewer@example.test', password }),
      });
      if (login.status !== 200) throw new Error(`login failed: HTTP ${login.status}`);
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';

      const request = async (url: string) => {
        const started = performance.now();
        const response = await fetch(`${attest.url}${url}`, { headers: { cookie, accept: 'application/json' } });
        const body = await response.arrayBuffer();
        const roundTrip = performance.now() - started;
        if (response.status !== 200) throw new Error(`${url}: HTTP ${response.status} ${Buffer.from(body).toString('utf8').slice(0, 200)}`);
        const timing = /app;dur=([\d.]+)/.exec(response.headers.get('server-timing') ?? '');
        if (!timing) throw new Error(`${url}: no Server-Timing header`);
        return { server: Number(timing[1]), roundTrip, body };
      };

      // A deep page: follow the cursor 40 pages into the unfiltered queue.
      let deepCursor = '';
      for (let page = 0; page < 40; page++) {
        const { body } = await request(`/api/review/sessions?limit=25${deepCursor ? `&after=${deepCursor}` : ''}`);
        const next = (JSON.parse(Buffer.from(body).toString('utf8')) as { next: string | null }).next;
        if (!next) break;
        deepCursor = next;
      }
      const today = new Date().toISOString().slice(0, 10);
      const weekAgo = new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10);
      const listQueries = [
        'limit=25',
        'limit=25&status=completed,review,declined&decision=none',
        'limit=25&flags=coercion',
        'limit=25&flags=interrupted',
        'limit=25&status=review&flags=face_continuity',
        'limit=25&decision=approve',
        `limit=25&from=${weekAgo}&to=${today}`,
        'limit=25&product=consumer-loan&status=completed',
        'limit=50&status=active,interrupted',
        `limit=25${deepCursor ? `&after=${deepCursor}` : ''}`,
      ];
      const random = rng(7);
      const pick = () => seeded.ids[Math.floor(random() * seeded.ids.length)] as string;

      for (let i = 0; i < 20; i++) {
        await request(`/api/review/sessions?${listQueries[i % listQueries.length]}`);
        await request(`/api/review/sessions/${pick()}`);
      }
      const list = { server: [] as number[], roundTrip: [] as number[] };
      const byShape = new Map<string, number[]>();
      const detail = { server: [] as number[], roundTrip: [] as number[] };
      for (let i = 0; i < args.requests; i++) {
        const shape = listQueries[i % listQueries.length] as string;
        const l = await request(`/api/review/sessions?${shape}`);
        list.server.push(l.server);
        byShape.set(shape, [...(byShape.get(shape) ?? []), l.server]);
        list.roundTrip.push(l.roundTrip);
        const d = await request(`/api/review/sessions/${pick()}`);
        detail.server.push(d.server);
        detail.roundTrip.push(d.roundTrip);
      }
      log(`queue page (${args.requests}, ${listQueries.length} filter shapes incl. page 41): server p50 ${round(percentile(list.server, 50))} ms, p95 ${round(percentile(list.server, 95))} ms; loopback round trip p50 ${round(percentile(list.roundTrip, 50))} ms`);
      for (const [shape, times] of byShape) log(`  ${shape.replace(/after=[^&]+/, 'after=<page 41>').slice(0, 70).padEnd(70)} p50 ${round(percentile(times, 50))} ms`);
      log(`session page (${args.requests} random sessions): server p50 ${round(percentile(detail.server, 50))} ms, p95 ${round(percentile(detail.server, 95))} ms; loopback round trip p50 ${round(percentile(detail.roundTrip, 50))} ms`);
      log('times: Server-Timing app;dur (request received -> first byte, in the server). The machine may be shared with other work.');
      console.log(
        JSON.stringify({
          sessions: args.sessions,
          list_p50_ms: round(percentile(list.server, 50)),
          list_p95_ms: round(percentile(list.server, 95)),
          detail_p50_ms: round(percentile(detail.server, 50)),
          detail_p95_ms: round(percentile(detail.server, 95)),
        }),
      );
    } finally {
      await attest.stop();
    }
  } finally {
    if (!args.keep) fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
