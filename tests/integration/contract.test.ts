/**
 * The signed e-contract end to end: a seeded session (real SQLite store, chained events, stored
 * artifacts) is sealed into a signed PDF and record; pdfsig and pdftotext read the PDF; then one
 * byte at a time is changed in the PDF, the record, an artifact and a stored event, and the
 * verification must fail naming exactly that part. Rotated keys still verify old records.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openContractKeys, runPdfsig, sealContract, verifyRecord, verifyStoredRecord } from '../../server/contract/index.ts';
import type { ContractKeys, ContractLocale, SealedContract, VerifyRecordInput } from '../../server/contract/index.ts';
import { artifactReader, loadContractKit, seedSession } from '../support/contract-evidence.ts';
import type { ContractKit, SeededSession } from '../support/contract-evidence.ts';

const SEALED_AT = '2026-11-20T09:10:00.000Z';
const hasTool = (tool: string) => spawnSync(tool, ['-v']).error === undefined;
const REQUIRED = process.env.E2E_REQUIRED === '1';
const HAS_PDFSIG = hasTool('pdfsig');
const HAS_PDFTOTEXT = hasTool('pdftotext');
if (!HAS_PDFSIG && !REQUIRED) console.warn('contract.test: pdfsig is not installed (apt-get install poppler-utils); its checks are skipped');
if (!HAS_PDFTOTEXT && !REQUIRED) console.warn('contract.test: pdftotext is not installed; text extraction checks are skipped');

let kit: ContractKit;
let keys: ContractKeys;
let keysDir: string;
const sessions = new Map<ContractLocale, { seeded: SeededSession; sealed: SealedContract }>();

function pdfText(pdf: Uint8Array): string {
  const dir = mkdtempSync(join(tmpdir(), 'attest-pdftotext-'));
  writeFileSync(join(dir, 'c.pdf'), pdf);
  return execFileSync('pdftotext', ['-enc', 'UTF-8', join(dir, 'c.pdf'), '-'], { encoding: 'utf8' });
}

function inputFor(locale: ContractLocale, overrides: Partial<VerifyRecordInput> = {}): VerifyRecordInput {
  const entry = sessions.get(locale);
  if (!entry) throw new Error(`no sealed ${locale} contract`);
  return {
    record: entry.sealed.recordJson,
    pdfBytes: entry.sealed.pdf,
    artifacts: artifactReader(entry.seeded.store, entry.seeded.sessionId),
    events: entry.seeded.store.events.list(entry.seeded.sessionId),
    keyring: keys.publicKeys(),
    ...overrides,
  };
}

const failing = (result: { checks: { name: string; ok: boolean }[] }) => result.checks.filter((check) => !check.ok).map((check) => check.name);

beforeAll(async () => {
  kit = loadContractKit();
  keysDir = join(mkdtempSync(join(tmpdir(), 'attest-keys-')), 'keys');
  keys = openContractKeys({ dir: keysDir });
  for (const locale of ['en', 'zh-CN'] as const) {
    const seeded = await seedSession(locale);
    const signature = seeded.evidence.signing.drawnSignatureArtifactId;
    const image = signature ? ((await artifactReader(seeded.store, seeded.sessionId)(signature)) ?? undefined) : undefined;
    const sealed = await sealContract({
      evidence: seeded.evidence,
      templates: kit.templates,
      product: kit.product,
      keys,
      recordId: `rec-${locale}`,
      sealedAt: SEALED_AT,
      signatureImage: image,
      fonts: kit.fonts,
    });
    sessions.set(locale, { seeded, sealed });
  }
});

afterAll(() => {
  for (const { seeded } of sessions.values()) seeded.store.close();
});

describe.each(['en', 'zh-CN'] as const)('a sealed %s contract', (locale) => {
  it('verifies in full: record signature, PDF hash and signature, every artifact, the event chain', async () => {
    const result = await verifyRecord(inputFor(locale, { pdfsig: HAS_PDFSIG ? runPdfsig : undefined }));
    expect(failing(result)).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.notChecked).toEqual([]);
    const names = result.checks.map((check) => check.name);
    expect(names).toEqual(expect.arrayContaining(['record-signature', 'pdf-hash', 'pdf-signature', 'event-chain']));
    expect(names.filter((name) => name.startsWith('artifact:'))).toHaveLength(5);
  });

  it.skipIf(!HAS_PDFSIG && !REQUIRED)('is reported valid and wholly signed by pdfsig', async () => {
    const result = await runPdfsig(sessions.get(locale)!.sealed.pdf);
    expect(result.status).toBe('checked');
    if (result.status !== 'checked') return;
    expect(result.output).toContain('Signature is Valid');
    expect(result.output).toContain('Total document signed');
    expect(result.output).toContain('ETSI.CAdES.detached');
  });

  it.skipIf(!HAS_PDFTOTEXT && !REQUIRED)('has extractable contract text and the evidence appendix', () => {
    const { sealed, seeded } = sessions.get(locale)!;
    const text = pdfText(sealed.pdf).replace(/\s+/g, ' ');
    const evidence = seeded.evidence;
    if (locale === 'zh-CN') {
      expect(text).toContain('个人消费贷款合同');
      expect(text).toContain('王小明');
      expect(text).toContain('附录：会话证据');
      expect(text).toContain('贷款金额：50,000 元人民币');
    } else {
      expect(text).toContain('Personal Consumer Loan Agreement');
      expect(text).toContain('Anna Maria Eriksson');
      expect(text).toContain('Appendix: evidence of the session');
      expect(text).toContain('Annual percentage rate (APR): 7.2%');
    }
    expect(text).toContain(evidence.identity.documentNumber!);
    expect(text).toContain(evidence.eventChain.headHash);
    for (const artifact of evidence.artifacts) expect(text).toContain(artifact.sha256);
    for (const answer of evidence.answers) expect(text).toContain(answer.question.replace(/\s+/g, ' '));
  });
});

it('seals deterministically: the same inputs give the same PDF and record bytes', async () => {
  const { seeded, sealed } = sessions.get('zh-CN')!;
  const image = await artifactReader(seeded.store, seeded.sessionId)(seeded.evidence.signing.drawnSignatureArtifactId!);
  const again = await sealContract({
    evidence: seeded.evidence,
    templates: kit.templates,
    product: kit.product,
    keys,
    recordId: 'rec-zh-CN',
    sealedAt: SEALED_AT,
    signatureImage: image ?? undefined,
    fonts: kit.fonts,
  });
  expect(again.recordJson).toBe(sealed.recordJson);
  expect(Buffer.compare(again.pdf, sealed.pdf)).toBe(0);
});

describe('tampering is detected and named', () => {
  it.each([
    ['the header', 20],
    ['the middle of the content', 0.5],
    ['the signature hex', -1],
    ['the last bytes', -20],
  ])('one byte changed in the PDF (%s)', async (_where, position) => {
    const pdf = Buffer.from(sessions.get('en')!.sealed.pdf);
    const gap = /\/ByteRange \[0 (\d+) (\d+)/.exec(pdf.toString('latin1'));
    let at: number;
    if (position === -1) at = Number(gap?.[1]) + 10;
    else if (position < 0) at = pdf.length + position;
    else if (position < 1) at = Math.floor(pdf.length * position);
    else at = position;
    pdf[at] = pdf[at] === 0x30 ? 0x31 : 0x30;
    const result = await verifyRecord(inputFor('en', { pdfBytes: pdf }));
    expect(result.ok).toBe(false);
    expect(failing(result)).toContain('pdf-hash');
    expect(failing(result).every((name) => name === 'pdf-hash' || name === 'pdf-signature')).toBe(true);
    if (position !== -1) {
      expect(failing(result)).toEqual(['pdf-hash', 'pdf-signature']);
      if (HAS_PDFSIG) expect((await runPdfsig(pdf)).summary).not.toMatch(/^Signature is Valid/);
    }
  });

  it('bytes appended to the PDF after signing', async () => {
    const pdf = Buffer.concat([sessions.get('en')!.sealed.pdf, Buffer.from('\n%%EOF\n')]);
    const result = await verifyRecord(inputFor('en', { pdfBytes: pdf }));
    expect(failing(result)).toEqual(['pdf-hash', 'pdf-signature']);
    expect(result.checks.find((check) => check.name === 'pdf-signature')?.detail).toMatch(/whole file/);
  });

  it.each([
    ['the applicant name', 'Anna Maria Eriksson', 'Anna Maria Eriksspn'],
    ['the loan amount', '"amount":50000', '"amount":50001'],
    ['the PDF hash', (s: string) => /"pdf":\{"certificateSha256":"[0-9a-f]{64}","sha256":"([0-9a-f])/.exec(s)![0], null],
  ] as const)('one byte changed in the record (%s)', async (_where, from, to) => {
    const json = sessions.get('en')!.sealed.recordJson;
    let tampered: string;
    if (typeof from === 'function') {
      const match = from(json);
      const last = match.at(-1)!;
      tampered = json.replace(match, match.slice(0, -1) + (last === 'a' ? 'b' : 'a'));
    } else tampered = json.replace(from, to!);
    expect(tampered).not.toBe(json);
    expect(tampered.length).toBe(json.length);
    const result = await verifyRecord(inputFor('en', { record: tampered }));
    expect(result.ok).toBe(false);
    expect(failing(result)).toContain('record-signature');
    expect(result.checks.find((check) => check.name === 'record-signature')?.detail).toMatch(/record was changed/);
  });

  it('one byte changed in an artifact', async () => {
    const { seeded } = sessions.get('zh-CN')!;
    const recording = seeded.store.artifacts.list(seeded.sessionId).find((artifact) => artifact.kind === 'recording')!;
    const path = seeded.store.blobs.localPath(recording.blobKey)!;
    const original = readFileSync(path);
    const changed = Buffer.from(original);
    changed[1234] = changed[1234]! ^ 0x01;
    writeFileSync(path, changed);
    try {
      const result = await verifyRecord(inputFor('zh-CN'));
      expect(failing(result)).toEqual([`artifact:${recording.id}`]);
      expect(result.checks.find((check) => check.name === `artifact:${recording.id}`)?.detail).toMatch(/^recording: sha256/);
    } finally {
      writeFileSync(path, original);
    }
    expect((await verifyRecord(inputFor('zh-CN'))).ok).toBe(true);
  });

  it('one byte changed in a stored event payload', async () => {
    const { seeded } = sessions.get('en')!;
    const db = new Database(join(seeded.dir, 'attest.db'));
    try {
      const row = db.prepare('SELECT payload_json FROM events WHERE session_id = ? AND seq = 3').get(seeded.sessionId) as { payload_json: string };
      const changed = row.payload_json.replace('understand', 'understanc');
      expect(changed).not.toBe(row.payload_json);
      // What an attacker with the database file would do: the append-only trigger does not stop them.
      db.exec('DROP TRIGGER events_no_update');
      db.prepare('UPDATE events SET payload_json = ? WHERE session_id = ? AND seq = 3').run(changed, seeded.sessionId);
    } finally {
      db.close();
    }
    const result = await verifyStoredRecord({ store: seeded.store, sessionId: seeded.sessionId, record: sessions.get('en')!.sealed.record, keyring: keys.publicKeys() });
    expect(failing(result)).toEqual(['event-chain']);
    expect(result.checks.find((check) => check.name === 'event-chain')?.detail).toMatch(/^event 3 \(AnswerReceived\): content does not match/);
  });
});

describe('keys', () => {
  it('are stored with restrictive permissions', () => {
    expect(statSync(keysDir).mode & 0o777).toBe(0o700);
    const files = readdirSync(keysDir);
    expect(files).toEqual(expect.arrayContaining(['keyring.json', 'pdf-signing.p12', 'pdf-signing.pass']));
    expect(files.some((name) => /^ed25519-[0-9a-f]{16}\.pem$/.test(name))).toBe(true);
    for (const name of files) expect(statSync(join(keysDir, name)).mode & 0o777).toBe(0o600);
  });

  it('rotate: old records still verify with the keyring, new ones use the new key, a reopen keeps the current key', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'attest-rotate-')), 'keys');
    const first = openContractKeys({ dir });
    const { seeded } = sessions.get('en')!;
    const seal = (with_: ContractKeys, recordId: string) =>
      sealContract({ evidence: seeded.evidence, templates: kit.templates, product: kit.product, keys: with_, recordId, sealedAt: SEALED_AT, fonts: kit.fonts });
    const old = await seal(first, 'rec-old');
    const oldKid = first.recordSigner.kid;
    const rotated = first.rotateRecordKey();
    expect(rotated.kid).not.toBe(oldKid);
    expect(readdirSync(dir)).not.toContain(`ed25519-${oldKid}.pem`);
    const reopened = openContractKeys({ dir });
    expect(reopened.recordSigner.kid).toBe(rotated.kid);
    const fresh = await seal(reopened, 'rec-new');
    const keyring = reopened.publicKeys();
    expect(keyring.keys.map((key) => [key.kid, key.retiredAt === undefined])).toEqual([
      [oldKid, false],
      [rotated.kid, true],
    ]);
    for (const sealed of [old, fresh]) {
      const result = await verifyRecord({ record: sealed.recordJson, pdfBytes: sealed.pdf, keyring });
      expect(failing(result)).toEqual([]);
    }
    // A verifier whose keyring lacks the old key names it.
    const withoutOld = { ...keyring, keys: keyring.keys.filter((key) => key.kid !== oldKid) };
    const result = await verifyRecord({ record: old.recordJson, keyring: withoutOld });
    expect(result.checks[0]).toMatchObject({ name: 'record-signature', ok: false, detail: `key ${oldKid} is not in the keyring` });
  });

  it('fail fast with a clear message when a configured file is unusable', () => {
    const dir = mkdtempSync(join(tmpdir(), 'attest-badkeys-'));
    writeFileSync(join(dir, 'not-a-key.pem'), 'hello');
    expect(() => openContractKeys({ dir: join(dir, 'k1'), ed25519KeyPath: join(dir, 'missing.pem') })).toThrow(/Ed25519 key file .*missing\.pem cannot be read/);
    expect(() => openContractKeys({ dir: join(dir, 'k2'), ed25519KeyPath: join(dir, 'not-a-key.pem') })).toThrow(/is not a PEM private key/);
    const p12 = join(keysDir, 'pdf-signing.p12');
    expect(() => openContractKeys({ dir: join(dir, 'k3'), p12Path: p12, p12Passphrase: 'wrong' })).toThrow(/passphrase is wrong/);
    const passphrase = readFileSync(join(keysDir, 'pdf-signing.pass'), 'utf8').trim();
    const configured = openContractKeys({ dir: join(dir, 'k4'), p12Path: p12, p12Passphrase: passphrase });
    expect(configured.pdfCertificate.certificateSha256).toBe(keys.pdfCertificate.certificateSha256);
  });
});

describe('npm run verify', () => {
  const cli = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/verify.ts', ...args], { encoding: 'utf8' });

  it('prints one line per check and exits 0 only when all pass', () => {
    const dir = mkdtempSync(join(tmpdir(), 'attest-cli-'));
    const { sealed } = sessions.get('zh-CN')!;
    writeFileSync(join(dir, 'record.json'), sealed.recordJson);
    writeFileSync(join(dir, 'contract.pdf'), sealed.pdf);
    writeFileSync(join(dir, 'keys.json'), JSON.stringify(keys.publicKeys()));
    const good = cli([join(dir, 'record.json'), join(dir, 'contract.pdf'), '--keys', join(dir, 'keys.json')]);
    expect(good.stderr).toBe('');
    expect(good.status).toBe(0);
    expect(good.stdout).toMatch(/^PASS record-signature: /m);
    expect(good.stdout).toMatch(/^PASS pdf-hash: /m);
    expect(good.stdout).toMatch(/^PASS pdf-signature: /m);
    expect(good.stdout).toMatch(/^SKIP event-chain: not given/m);

    const pdf = Buffer.from(sealed.pdf);
    pdf[200] = pdf[200]! ^ 0x01;
    writeFileSync(join(dir, 'contract.pdf'), pdf);
    const bad = cli([join(dir, 'record.json'), join(dir, 'contract.pdf'), '--keys', join(dir, 'keys.json')]);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/^FAIL pdf-hash: /m);
    expect(bad.stdout).toMatch(/^FAIL pdf-signature: /m);
    expect(bad.stdout).toMatch(/^PASS record-signature: /m);

    expect(cli([]).status).toBe(2);
  });
});
