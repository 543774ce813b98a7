/**
 * npm run bench:contract -- [--runs 30] [--hash-mb 200] [--json]
 *
 * Seeds a session (real SQLite store, chained events, five artifacts) in English and Chinese,
 * then per run seals a contract (fill the template, render the PDF with its evidence appendix,
 * CMS-sign it, build and Ed25519-sign the record) and verifies it in-process (record signature,
 * PDF hash and CMS signature, every artifact hash, the event chain). Then runs the tamper cases:
 * one byte changed in the PDF (several places), the record (several fields), each artifact and
 * each stored event, bytes appended to the PDF; each must fail verification naming that part.
 * Separately reports SHA-256 throughput over a large generated file (a long recording).
 *
 * Last line: {"sign_p50_ms":T,"sign_p95_ms":T,"verify_p50_ms":T,"tamper_cases":N,"tamper_detected":N}
 * With --json the human lines go to stderr, so stdout is only that line.
 */
import { createHash } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openContractKeys, sealContract, verifyRecord } from '../../server/contract/index.ts';
import type { CheckName, ContractKeys, ContractLocale, SealedContract, VerifyRecordInput } from '../../server/contract/index.ts';
import type { StoredEvent } from '../../server/store/index.ts';
import { artifactReader, loadContractKit, seedSession, seededBytes } from '../support/contract-evidence.ts';
import type { ContractKit, SeededSession } from '../support/contract-evidence.ts';

const USAGE = 'usage: npm run bench:contract -- [--runs 30] [--hash-mb 200] [--json]';

function parseArgs(argv: string[]) {
  const args = { runs: 30, hashMb: 200, json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') args.json = true;
    else if (a === '--runs') args.runs = Number.parseInt(argv[++i] ?? '', 10);
    else if (a === '--hash-mb') args.hashMb = Number.parseInt(argv[++i] ?? '', 10);
    else throw new Error(`unknown argument ${a}; ${USAGE}`);
  }
  if (!Number.isInteger(args.runs) || args.runs < 1 || args.runs > 1000) throw new Error(`--runs takes 1..1000; ${USAGE}`);
  if (!Number.isInteger(args.hashMb) || args.hashMb < 0 || args.hashMb > 4096) throw new Error(`--hash-mb takes 0..4096; ${USAGE}`);
  return args;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
};
const round = (value: number) => Math.round(value * 10) / 10;

interface Fixture {
  seeded: SeededSession;
  events: StoredEvent[];
  image: Uint8Array | undefined;
}

async function seal(kit: ContractKit, keys: ContractKeys, fixture: Fixture, run: number): Promise<SealedContract> {
  return sealContract({
    evidence: fixture.seeded.evidence,
    templates: kit.templates,
    product: kit.product,
    keys,
    recordId: `rec-bench-${run}`,
    sealedAt: new Date(Date.UTC(2026, 10, 20, 9, 10, run % 60)).toISOString(),
    signatureImage: fixture.image,
    fonts: kit.fonts,
  });
}

interface TamperCase {
  name: string;
  expect: CheckName;
  input: Partial<VerifyRecordInput>;
}

function flip(bytes: Uint8Array, at: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[at] = (copy[at] ?? 0) ^ 0x01;
  return copy;
}

function tamperCases(sealed: SealedContract, fixture: Fixture): TamperCase[] {
  const cases: TamperCase[] = [];
  const pdf = sealed.pdf;
  for (const fraction of [0, 0.1, 0.25, 0.5, 0.75, 0.9, 0.999]) {
    const at = Math.min(pdf.length - 1, Math.floor(pdf.length * fraction) + 9);
    cases.push({ name: `pdf byte ${at}`, expect: 'pdf-hash', input: { pdfBytes: flip(pdf, at) } });
  }
  cases.push({ name: 'pdf appended', expect: 'pdf-signature', input: { pdfBytes: Buffer.concat([pdf, Buffer.from('\n%%EOF\n')]) } });
  const json = sealed.recordJson;
  for (const field of ['"fullName":"', '"amount":', '"headHash":"', '"sha256":"', '"createdAt":"', '"confidence":']) {
    const at = json.indexOf(field) + field.length + 1;
    const changed = json.slice(0, at) + (json[at] === '1' ? '2' : '1') + json.slice(at + 1);
    cases.push({ name: `record ${field.replace(/[":]/g, '')}`, expect: 'record-signature', input: { record: changed } });
  }
  const read = artifactReader(fixture.seeded.store, fixture.seeded.sessionId);
  for (const artifact of sealed.record.artifacts) {
    cases.push({
      name: `artifact ${artifact.kind}`,
      expect: `artifact:${artifact.id}`,
      input: {
        artifacts: async (id) => {
          const bytes = await read(id);
          return bytes && id === artifact.id ? flip(bytes, Math.floor(bytes.length / 2)) : bytes;
        },
      },
    });
  }
  for (const event of fixture.events) {
    const payload = JSON.stringify(event.payload);
    const at = Math.floor(payload.length / 2);
    let changed = payload.slice(0, at) + String.fromCharCode(payload.charCodeAt(at) ^ 0x01) + payload.slice(at + 1);
    try {
      JSON.parse(changed);
    } catch {
      changed = payload.replace(/"at":"2026/, '"at":"2027').replace(/[0-9](?=[^0-9]*$)/, (d) => String((Number(d) + 1) % 10));
    }
    const events = fixture.events.map((entry) => (entry.seq === event.seq ? { ...entry, payload: JSON.parse(changed) as unknown } : entry));
    cases.push({ name: `event ${event.seq} ${event.type}`, expect: 'event-chain', input: { events } });
  }
  return cases;
}

async function hashThroughput(megabytes: number, log: (line: string) => void): Promise<void> {
  if (megabytes === 0) return;
  const dir = mkdtempSync(join(tmpdir(), 'attest-bench-hash-'));
  const file = join(dir, 'recording.bin');
  try {
    const handle = await open(file, 'w');
    const chunk = seededBytes(8 * 1024 * 1024, 99);
    for (let written = 0; written < megabytes * 1024 * 1024; written += chunk.length) await handle.write(chunk);
    await handle.close();
    const started = performance.now();
    const hash = createHash('sha256');
    for await (const part of createReadStream(file, { highWaterMark: 1024 * 1024 })) hash.update(part as Buffer);
    hash.digest('hex');
    const seconds = (performance.now() - started) / 1000;
    log(`hashing: sha256 over a ${megabytes} MB file (streamed from disk): ${round(megabytes / seconds)} MB/s`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const log = (line: string) => (args.json ? console.error(line) : console.log(line));
  const kit = loadContractKit();
  const keysDir = mkdtempSync(join(tmpdir(), 'attest-bench-keys-'));
  const keys = openContractKeys({ dir: join(keysDir, 'keys') });
  const keyring = keys.publicKeys();
  const fixtures = new Map<ContractLocale, Fixture>();
  for (const locale of ['en', 'zh-CN'] as const) {
    const seeded = await seedSession(locale);
    const drawn = seeded.evidence.signing.drawnSignatureArtifactId;
    const image = drawn ? ((await artifactReader(seeded.store, seeded.sessionId)(drawn)) ?? undefined) : undefined;
    fixtures.set(locale, { seeded, events: seeded.store.events.list(seeded.sessionId), image });
  }
  const inputFor = (fixture: Fixture, sealed: SealedContract): VerifyRecordInput => ({
    record: sealed.recordJson,
    pdfBytes: sealed.pdf,
    artifacts: artifactReader(fixture.seeded.store, fixture.seeded.sessionId),
    events: fixture.events,
    keyring,
  });

  // Warm-up: JIT, font subsetting code paths, SQLite page cache.
  for (let run = 0; run < 3; run++) {
    for (const fixture of fixtures.values()) await verifyRecord(inputFor(fixture, await seal(kit, keys, fixture, run)));
  }

  const signMs: number[] = [];
  const verifyMs: number[] = [];
  const sizes = new Map<ContractLocale, number>();
  let lastSealed: SealedContract | undefined;
  for (let run = 0; run < args.runs; run++) {
    const locale: ContractLocale = run % 2 === 0 ? 'en' : 'zh-CN';
    const fixture = fixtures.get(locale)!;
    let started = performance.now();
    const sealed = await seal(kit, keys, fixture, run);
    signMs.push(performance.now() - started);
    sizes.set(locale, sealed.pdf.length);
    started = performance.now();
    const result = await verifyRecord(inputFor(fixture, sealed));
    verifyMs.push(performance.now() - started);
    if (!result.ok) throw new Error(`run ${run}: a fresh contract did not verify: ${result.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`).join('; ')}`);
    if (locale === 'en') lastSealed = sealed;
  }
  log(`sign (seal: template + PDF render + CMS signature + record): p50 ${round(percentile(signMs, 50))} ms, p95 ${round(percentile(signMs, 95))} ms over ${args.runs} runs (en/zh-CN alternating; PDF ${[...sizes].map(([l, s]) => `${l} ${Math.round(s / 1024)} KB`).join(', ')})`);
  log(`verify (in-process: record signature, PDF hash + CMS, ${fixtures.get('en')!.seeded.evidence.artifacts.length} artifacts, ${fixtures.get('en')!.events.length} events): p50 ${round(percentile(verifyMs, 50))} ms, p95 ${round(percentile(verifyMs, 95))} ms`);

  const fixture = fixtures.get('en')!;
  const cases = tamperCases(lastSealed!, fixture);
  let detected = 0;
  for (const item of cases) {
    const result = await verifyRecord({ ...inputFor(fixture, lastSealed!), ...item.input });
    const failed = result.checks.filter((check) => !check.ok).map((check) => check.name);
    const named = !result.ok && failed.includes(item.expect);
    if (named) detected++;
    else log(`tamper case NOT detected as ${item.expect}: ${item.name} (failed: ${failed.join(', ') || 'nothing'})`);
  }
  log(`tamper: ${detected}/${cases.length} cases failed verification naming the changed part`);
  await hashThroughput(args.hashMb, log);

  for (const entry of fixtures.values()) entry.seeded.store.close();
  rmSync(keysDir, { recursive: true, force: true });
  console.log(
    JSON.stringify({
      sign_p50_ms: round(percentile(signMs, 50)),
      sign_p95_ms: round(percentile(signMs, 95)),
      verify_p50_ms: round(percentile(verifyMs, 50)),
      tamper_cases: cases.length,
      tamper_detected: detected,
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
