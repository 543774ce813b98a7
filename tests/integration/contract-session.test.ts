/**
 * The contract signed in a real session: a real server, the default script over socket.io, the
 * applicant's loan from POST /api/sessions, the contract preview, the signature upload, sealing
 * by the `contract-seal` verifier, the downloads, the public keyring and verification route, and
 * tampering with what the server stores.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAttest } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { runPdfsig, verifyRecord } from '../../server/contract/index.ts';
import { silentLogger } from '../../server/log.ts';
import type { SessionView } from '../../server/http/protocol.ts';
import { openSqliteStore } from '../../server/store/index.ts';
import { answerable, answerFor, connectApplicant, createSession, uploadSignature, type Applicant } from '../support/applicant.ts';
import { startTestServer, tempDir, type TestServer } from '../support/attest.ts';
import { signaturePng } from '../support/contract-evidence.ts';

const HAS_PDFSIG = spawnSync('pdfsig', ['-v']).error === undefined;

let server: TestServer;
const open: Applicant[] = [];

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  for (const a of open.splice(0)) a.close();
  await server.stop();
});

async function post(path: string, body: unknown) {
  const res = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & { error?: { code: string; message: string } } };
}

/** A session answered up to its contract step. */
async function atContract(body: Record<string, unknown> = { locale: 'en' }): Promise<{ a: Applicant; token: string; sessionId: string; view: SessionView }> {
  const { token, sessionId } = await createSession(server.url, body);
  const a = await connectApplicant(server.url, token);
  open.push(a);
  await a.emitAck('session:begin', {});
  for (let turn = 0; turn < 20; turn++) {
    const view = await a.waitForView(answerable);
    if (view.prompt?.input.type === 'contract') return { a, token, sessionId, view };
    if (view.status !== 'active') throw new Error(`session ended (${view.status}) before the contract`);
    const seen = a.views.length;
    expect(await a.emitAck('dialogue:answer', answerFor(view))).toEqual({ ok: true });
    await a.waitForView(() => a.views.length > seen);
  }
  throw new Error('never reached the contract step');
}

async function sign(a: Applicant, view: SessionView): Promise<SessionView> {
  const artifactId = await uploadSignature(server.url, a.token);
  expect(await a.emitAck('dialogue:answer', answerFor(view, artifactId))).toEqual({ ok: true });
  return a.waitForView((v) => v.status !== 'active', 20_000);
}

const failing = (result: { checks: { name: string; ok: boolean }[] }) => result.checks.filter((check) => !check.ok).map((check) => check.name);

describe('the loan a session applies for', () => {
  it('is checked against the product limits, with a 400 naming the field', async () => {
    const low = await post('/api/sessions', { loan: { amount: 1000, termMonths: 12 } });
    expect(low.status).toBe(400);
    expect(low.body.error?.message).toMatch(/^loan\.amount: consumer-loan lends from 5,000 to 200,000 CNY/);
    const long = await post('/api/sessions', { loan: { amount: 10_000, termMonths: 48 } });
    expect(long.body.error?.message).toMatch(/^loan\.termMonths: consumer-loan runs from 6 to 36 months/);
    const fractional = await post('/api/sessions', { loan: { amount: 10_000.5, termMonths: 12 } });
    expect(fractional.status).toBe(400);
    expect(fractional.body.error?.message).toMatch(/^loan\.amount: expected a whole number/);
    const extra = await post('/api/sessions', { loan: { amount: 10_000, termMonths: 12, apr: 1 } });
    expect(extra.status).toBe(400);
    expect(extra.body.error?.message).toMatch(/^loan/);
  });

  it('is recorded in SessionCreated, from the request or the product demo default', async () => {
    const given = await createSession(server.url, { loan: { amount: 80_000, termMonths: 12 } });
    const demo = await createSession(server.url, {});
    const store = openSqliteStore({ dataDir: server.dataDir });
    try {
      const loanOf = (sessionId: string) => (store.events.list(sessionId)[0]?.payload as { loan?: unknown }).loan;
      expect(loanOf(given.sessionId)).toEqual({ amount: 80_000, termMonths: 12, source: 'request' });
      expect(loanOf(demo.sessionId)).toEqual({ amount: 50_000, termMonths: 24, source: 'product-default' });
    } finally {
      store.close();
    }
  });
});

describe('signing the contract in a session', () => {
  let token: string;
  let sessionId: string;
  let final: SessionView;
  let recordJson: string;
  let pdf: Buffer;

  beforeAll(async () => {
    const session = await atContract({ locale: 'en', loan: { amount: 80_000, termMonths: 12 } });
    ({ token, sessionId } = session);

    // Before signing: the contract to read, downloads not yet there, uploads checked.
    const preview = await fetch(`${server.url}/api/sessions/${token}/contract`);
    expect(preview.status).toBe(200);
    const body = (await preview.json()) as { text: string; blocks: { kind: string; text: string }[]; template: { id: string; sha256: string } };
    expect(body.template.id).toBe('consumer-loan.en');
    expect(body.blocks[0]).toEqual({ kind: 'title', text: 'Personal Consumer Loan Agreement' });
    expect(body.text).toContain('Jane Example');
    expect(body.text).toContain('born on 1990-04-12');
    expect(body.text).toContain('Amount: 80,000 CNY');
    expect(body.text).toContain('Term: 12 months');
    expect((await fetch(`${server.url}/api/sessions/${token}/contract.pdf`)).status).toBe(404);

    final = await sign(session.a, session.view);
    const pdfRes = await fetch(`${server.url}/api/sessions/${token}/contract.pdf`);
    expect(pdfRes.status).toBe(200);
    expect(pdfRes.headers.get('content-type')).toBe('application/pdf');
    expect(pdfRes.headers.get('content-disposition')).toMatch(/^attachment; filename="contract-ATT-[0-9A-Z-]+\.pdf"$/);
    pdf = Buffer.from(await pdfRes.arrayBuffer());
    const recordRes = await fetch(`${server.url}/api/sessions/${token}/contract-record.json`);
    expect(recordRes.status).toBe(200);
    recordJson = await recordRes.text();
  });

  it('completes, says so on the view, and seals a record of what happened', () => {
    expect(final.status).toBe('completed');
    expect(final.contract?.recordId).toBe(`${sessionId}.c1`);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const record = JSON.parse(recordJson) as {
      evidence: { answers: { stepId: string; question: string }[]; signing: { drawnSignatureArtifactId: string } };
      artifacts: { id: string; kind: string }[];
    };
    expect(record).toMatchObject({
      recordId: `${sessionId}.c1`,
      sessionId,
      reference: final.reference,
      identity: { fullName: 'Jane Example', dateOfBirth: '1990-04-12' },
      evidence: {
        productId: 'consumer-loan',
        loan: { amount: 80_000, termMonths: 12 },
        signing: { statement: 'I, Jane Example, have read this contract and agree to it.', label: 'affirm' },
      },
    });
    const answered = record.evidence.answers.map((answer) => answer.stepId);
    expect(answered).toEqual(['consent_recording', 'risk_disclosure', 'understands_terms', 'voluntary', 'for_yourself']);
    expect(record.evidence.answers.every((answer) => answer.question.length > 20)).toBe(true);
    const signature = record.artifacts.find((artifact) => artifact.kind === 'signature');
    expect(record.evidence.signing.drawnSignatureArtifactId).toBe(signature?.id);
  });

  it('verifies with the public keyring, offline and through the public route', async () => {
    const keyring = (await (await fetch(`${server.url}/.well-known/attest-keys.json`)).json()) as { keys: { kid: string }[] };
    expect(keyring.keys.map((key) => key.kid)).toContain(JSON.parse(recordJson).kid);
    const offline = await verifyRecord({ record: recordJson, pdfBytes: pdf, keyring, pdfsig: HAS_PDFSIG ? runPdfsig : undefined });
    expect(failing(offline)).toEqual([]);

    const res = await fetch(`${server.url}/api/records/${encodeURIComponent(final.contract!.recordId)}/verify`);
    expect(res.status).toBe(200);
    const text = await res.text();
    const result = JSON.parse(text) as { ok: boolean; checks: { name: string; ok: boolean }[]; notChecked: string[] };
    expect(result.ok).toBe(true);
    expect(failing(result)).toEqual([]);
    expect(result.notChecked).toEqual([]);
    expect(result.checks.map((check) => check.name)).toEqual(expect.arrayContaining(['record-signature', 'pdf-hash', 'pdf-signature', 'event-chain']));
    expect(text).not.toContain('Jane Example');
    expect(text).not.toContain('1990-04-12');
    expect((await fetch(`${server.url}/api/records/${sessionId}.c2/verify`)).status).toBe(404);
    expect((await fetch(`${server.url}/api/records/nonsense/verify`)).status).toBe(404);
  });

  it('fails verification naming the stored artifact or PDF that was changed', async () => {
    const store = openSqliteStore({ dataDir: server.dataDir });
    const artifacts = store.artifacts.list(sessionId);
    const paths = Object.fromEntries(artifacts.map((artifact) => [artifact.kind, store.blobs.localPath(artifact.blobKey)!]));
    const signatureId = artifacts.find((artifact) => artifact.kind === 'signature')!.id;
    store.close();
    const verify = async () => (await (await fetch(`${server.url}/api/records/${final.contract!.recordId}/verify`)).json()) as {
      ok: boolean;
      checks: { name: string; ok: boolean; detail: string }[];
    };
    for (const [kind, expected] of [
      ['signature', [`artifact:${signatureId}`]],
      ['contract-pdf', ['pdf-hash', 'pdf-signature']],
      ['contract-record', ['record-signature']],
    ] as const) {
      const path = paths[kind]!;
      const original = readFileSync(path);
      const changed = Buffer.from(original);
      const at = kind === 'contract-record' ? original.indexOf('Jane Example') + 3 : Math.floor(original.length / 2);
      changed[at] = changed[at]! ^ 0x01;
      writeFileSync(path, changed);
      try {
        const result = await verify();
        expect(result.ok).toBe(false);
        expect(failing(result)).toEqual(expected);
        if (kind === 'signature') expect(result.checks.find((check) => !check.ok)?.detail).toMatch(/^signature: sha256/);
      } finally {
        writeFileSync(path, original);
      }
    }
    expect((await verify()).ok).toBe(true);
  });

  it('serves the downloads only to the token, and never before the contract is sealed', async () => {
    expect((await fetch(`${server.url}/api/sessions/${'x'.repeat(43)}/contract.pdf`)).status).toBe(404);
    const other = await createSession(server.url, {});
    expect((await fetch(`${server.url}/api/sessions/${other.token}/contract-record.json`)).status).toBe(404);
    const preview = await fetch(`${server.url}/api/sessions/${other.token}/contract`);
    expect(preview.status).toBe(409);
  });
});

describe('the signature upload', () => {
  it('takes only a PNG, only at the contract step, at most 512 KB', async () => {
    const png = Buffer.from(await signaturePng());
    const early = await createSession(server.url, {});
    const upload = (tok: string, body: Uint8Array, type = 'image/png') =>
      fetch(`${server.url}/api/sessions/${tok}/signature`, { method: 'POST', headers: { 'content-type': type }, body: Buffer.from(body) });
    const notYet = await upload(early.token, png);
    expect(notYet.status).toBe(409);
    expect(((await notYet.json()) as { error: { message: string } }).error.message).toBe('No signature is expected at this step.');

    const { token } = await atContract({ locale: 'zh-CN' });
    expect((await upload(token, Buffer.from('\xff\xd8\xff\xe0 not a png', 'latin1'))).status).toBe(415);
    expect((await upload(token, png, 'image/jpeg')).status).toBe(415);
    const broken = Buffer.concat([png.subarray(0, 8), Buffer.alloc(64, 7)]);
    expect((await upload(token, broken)).status).toBe(415);
    const huge = Buffer.concat([png, Buffer.alloc(600 * 1024)]);
    expect((await upload(token, huge)).status).toBe(413);
    const ok = await upload(token, png);
    expect(ok.status).toBe(201);
    expect(((await ok.json()) as { artifactId: string }).artifactId).toMatch(/^art_/);
  });
});

describe('sealing refuses a broken event chain', () => {
  it('sends the session to review instead of signing', async () => {
    const { a, sessionId, view } = await atContract({ locale: 'en' });
    const db = new Database(join(server.dataDir, 'attest.db'));
    try {
      db.exec('DROP TRIGGER IF EXISTS events_no_update');
      const row = db.prepare("SELECT seq, payload_json FROM events WHERE session_id = ? AND type = 'AnswerReceived' ORDER BY seq LIMIT 1").get(sessionId) as { seq: number; payload_json: string };
      db.prepare('UPDATE events SET payload_json = ? WHERE session_id = ? AND seq = ?').run(row.payload_json.replace('"yes"', '"no"'), sessionId, row.seq);
    } finally {
      db.close();
    }
    const ended = await sign(a, view);
    expect(ended.status).toBe('review');
    expect(ended.contract).toBeUndefined();
    const store = openSqliteStore({ dataDir: server.dataDir });
    try {
      const finished = store.events.list(sessionId).filter((e) => e.type === 'VerifierFinished').at(-1)?.payload as { outcome: string; data: { reason: string } };
      expect(finished).toMatchObject({ outcome: 'fail', data: { reason: 'event_chain_broken' } });
      expect(store.artifacts.list(sessionId).map((artifact) => artifact.kind)).toEqual(['signature']);
    } finally {
      store.close();
    }
  });
});

describe('contract configuration', () => {
  it('stops startup with a message naming an unusable key file or template folder', async () => {
    const start = (env: Record<string, string>) => startAttest(loadConfig({ PORT: '0', ATTEST_DATA_DIR: tempDir(), LOG_LEVEL: 'silent', ...env }), silentLogger());
    await expect(start({ ATTEST_CONTRACT_KEY_PATH: '/nonexistent/record-key.pem' })).rejects.toThrow(
      /The e-contract cannot be set up: Ed25519 key file \/nonexistent\/record-key\.pem cannot be read/,
    );
    await expect(start({ ATTEST_PDF_P12_PATH: '/nonexistent/seal.p12' })).rejects.toThrow(/PDF signing certificate \/nonexistent\/seal\.p12 cannot be read/);
    await expect(start({ ATTEST_CONTRACTS_DIR: '/nonexistent/contracts' })).rejects.toThrow(/contract templates folder \/nonexistent\/contracts does not exist/);
    expect(() => loadConfig({ ATTEST_PDF_P12_PASSPHRASE: 'secret' })).toThrow(/ATTEST_PDF_P12_PASSPHRASE: set only with ATTEST_PDF_P12_PATH/);
  });
});
