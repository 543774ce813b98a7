/**
 * Verifies a contract record and whatever of its evidence is at hand, naming each check:
 *
 * - `record-signature`: the record parses as version 1, its key id is in the keyring (and the
 *   key really has that id), it was not sealed after the key was retired, and the Ed25519
 *   signature verifies over the canonical JSON without `signature`;
 * - `pdf-hash`: the PDF's sha256 and size are the record's;
 * - `pdf-signature`: the CMS signature in the PDF verifies over the whole file (in-process), and
 *   its certificate is the one the record names and one the keyring lists; optionally `pdfsig`
 *   agrees;
 * - `artifact:<id>`: each artifact's bytes hash to the record's sha256 and size;
 * - `event-chain`: the events link and hash from the first, and event `count` is `headHash`
 *   (events appended after sealing are allowed: the chain goes on, e.g. with SessionEnded).
 *
 * A check whose input was not given is listed in `notChecked` rather than passed.
 */
import { createHash, createPublicKey, verify as verifySignature } from 'node:crypto';
import { GENESIS_HASH, hashEvent } from '../store/chain.ts';
import type { StoredEvent } from '../store/types.ts';
import { keyIdOf, ZKeyring } from './keys.ts';
import type { Keyring } from './keys.ts';
import { checkPdfSignature } from './pdf-signature.ts';
import type { PdfsigResult } from './pdfsig.ts';
import { recordSigningInput, ZContractRecord } from './record.ts';
import type { ContractRecord } from './record.ts';

export type CheckName = 'record-signature' | 'pdf-hash' | 'pdf-signature' | 'event-chain' | `artifact:${string}`;

export interface VerificationCheck {
  name: CheckName;
  ok: boolean;
  detail: string;
}

export interface RecordVerification {
  /** Every check that ran passed (and at least the record signature ran). */
  ok: boolean;
  checks: VerificationCheck[];
  /** Checks that could not run because their input was not given. */
  notChecked: CheckName[];
}

export type ArtifactSource = (id: string) => Uint8Array | null | Promise<Uint8Array | null>;

export interface VerifyRecordInput {
  /** The record: parsed JSON, or its text. */
  record: unknown;
  pdfBytes?: Uint8Array;
  artifacts?: ArtifactSource;
  /** The session's stored events in seq order (store.events.list). */
  events?: StoredEvent[];
  /** The public keyring (the well-known JSON); never keys from the record itself. */
  keyring: unknown;
  /** Also run `pdfsig` on the PDF (see pdfsig.ts); its verdict must agree. */
  pdfsig?: (pdf: Uint8Array) => Promise<PdfsigResult>;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function checkRecordSignature(record: ContractRecord, keyring: Keyring): VerificationCheck {
  const name = 'record-signature' as const;
  const entry = keyring.keys.find((key) => key.kid === record.kid);
  if (!entry) return { name, ok: false, detail: `key ${record.kid} is not in the keyring` };
  let publicKey;
  try {
    publicKey = createPublicKey(entry.publicKeyPem);
  } catch {
    return { name, ok: false, detail: `key ${record.kid} in the keyring is not a valid public key` };
  }
  if (publicKey.asymmetricKeyType !== 'ed25519' || keyIdOf(publicKey) !== record.kid) {
    return { name, ok: false, detail: `the keyring's key ${record.kid} does not have that key id` };
  }
  if (entry.retiredAt !== undefined && Date.parse(record.createdAt) > Date.parse(entry.retiredAt)) {
    return { name, ok: false, detail: `sealed at ${record.createdAt}, after key ${record.kid} was retired at ${entry.retiredAt}` };
  }
  let valid = false;
  try {
    valid = verifySignature(null, recordSigningInput(record), publicKey, Buffer.from(record.signature, 'base64url'));
  } catch {
    valid = false;
  }
  if (!valid) return { name, ok: false, detail: `the Ed25519 signature does not verify with key ${record.kid}: the record was changed` };
  return { name, ok: true, detail: `signed by key ${record.kid}${entry.retiredAt ? ` (retired ${entry.retiredAt})` : ''}` };
}

function checkPdfHash(record: ContractRecord, pdf: Uint8Array): VerificationCheck {
  const name = 'pdf-hash' as const;
  const actual = sha256(pdf);
  if (actual !== record.pdf.sha256 || pdf.byteLength !== record.pdf.size) {
    return { name, ok: false, detail: `sha256 ${actual.slice(0, 16)}… (${pdf.byteLength} B) is not the record's ${record.pdf.sha256.slice(0, 16)}… (${record.pdf.size} B)` };
  }
  return { name, ok: true, detail: `sha256 ${actual}` };
}

async function checkPdf(record: ContractRecord, pdf: Uint8Array, keyring: Keyring, pdfsig: VerifyRecordInput['pdfsig']): Promise<VerificationCheck> {
  const name = 'pdf-signature' as const;
  const result = checkPdfSignature(pdf);
  if (!result.ok) return { name, ok: false, detail: result.detail };
  if (result.certificateSha256 !== record.pdf.certificateSha256) {
    return { name, ok: false, detail: `signed with certificate ${result.certificateSha256?.slice(0, 16)}…, not the record's ${record.pdf.certificateSha256.slice(0, 16)}…` };
  }
  const listed = keyring.certificates.some((entry) => entry.sha256 === result.certificateSha256);
  if (!listed) return { name, ok: false, detail: `certificate ${result.certificateSha256.slice(0, 16)}… is not in the keyring` };
  let detail = result.detail;
  if (pdfsig) {
    const external = await pdfsig(pdf);
    if (external.status === 'unavailable') detail += '; pdfsig not installed';
    else if (!external.valid || !external.wholeDocument) return { name, ok: false, detail: `pdfsig disagrees: ${external.summary}` };
    else detail += `; pdfsig: ${external.summary}`;
  }
  return { name, ok: true, detail };
}

async function checkArtifact(artifact: ContractRecord['artifacts'][number], source: ArtifactSource): Promise<VerificationCheck> {
  const name = `artifact:${artifact.id}` as const;
  let bytes: Uint8Array | null;
  try {
    bytes = await source(artifact.id);
  } catch {
    return { name, ok: false, detail: `${artifact.kind}: cannot be read` };
  }
  if (bytes === null) return { name, ok: false, detail: `${artifact.kind}: missing` };
  const actual = sha256(bytes);
  if (actual !== artifact.sha256 || bytes.byteLength !== artifact.size) {
    return { name, ok: false, detail: `${artifact.kind}: sha256 ${actual.slice(0, 16)}… (${bytes.byteLength} B) is not the record's ${artifact.sha256.slice(0, 16)}… (${artifact.size} B)` };
  }
  return { name, ok: true, detail: `${artifact.kind}: sha256 matches` };
}

export function checkEventChain(record: ContractRecord, events: StoredEvent[]): VerificationCheck {
  const name = 'event-chain' as const;
  let prevHash = GENESIS_HASH;
  for (const [index, event] of events.entries()) {
    const seq = index + 1;
    const where = `event ${seq}`;
    if (event.sessionId !== record.sessionId) return { name, ok: false, detail: `${where}: belongs to another session` };
    if (event.seq !== seq) return { name, ok: false, detail: `${where}: missing (found seq ${event.seq})` };
    if (event.prevHash !== prevHash) return { name, ok: false, detail: `${where} (${event.type}): broken link to the event before` };
    const hash = hashEvent({ sessionId: event.sessionId, seq, type: event.type, at: event.at, payload: event.payload, prevHash });
    if (hash !== event.hash) return { name, ok: false, detail: `${where} (${event.type}): content does not match its hash (changed)` };
    if (seq === record.eventChain.count && hash !== record.eventChain.headHash) {
      return { name, ok: false, detail: `${where}: hash is not the record's head hash` };
    }
    prevHash = hash;
  }
  if (events.length < record.eventChain.count) {
    return { name, ok: false, detail: `${events.length} events; the record was sealed at event ${record.eventChain.count} (events missing)` };
  }
  const after = events.length - record.eventChain.count;
  return { name, ok: true, detail: `${record.eventChain.count} events up to the head hash${after ? `, ${after} after sealing` : ''}` };
}

export async function verifyRecord(input: VerifyRecordInput): Promise<RecordVerification> {
  const checks: VerificationCheck[] = [];
  const notChecked: CheckName[] = [];
  let json: unknown = input.record;
  if (typeof json === 'string') {
    try {
      json = JSON.parse(json);
    } catch {
      return { ok: false, checks: [{ name: 'record-signature', ok: false, detail: 'the record is not valid JSON' }], notChecked };
    }
  }
  const parsedRecord = ZContractRecord.safeParse(json);
  if (!parsedRecord.success) {
    const issue = parsedRecord.error.issues[0];
    const detail = `not a version 1 contract record (${issue?.path.join('.') || 'root'}: ${issue?.message ?? 'invalid'})`;
    return { ok: false, checks: [{ name: 'record-signature', ok: false, detail }], notChecked };
  }
  const parsedKeyring = ZKeyring.safeParse(input.keyring);
  if (!parsedKeyring.success) {
    return { ok: false, checks: [{ name: 'record-signature', ok: false, detail: 'the keyring is not a valid attest keyring' }], notChecked };
  }
  const record = parsedRecord.data;
  const keyring = parsedKeyring.data;
  checks.push(checkRecordSignature(record, keyring));
  if (input.pdfBytes) {
    checks.push(checkPdfHash(record, input.pdfBytes));
    checks.push(await checkPdf(record, input.pdfBytes, keyring, input.pdfsig));
  } else notChecked.push('pdf-hash', 'pdf-signature');
  for (const artifact of record.artifacts) {
    if (input.artifacts) checks.push(await checkArtifact(artifact, input.artifacts));
    else notChecked.push(`artifact:${artifact.id}`);
  }
  if (input.events) checks.push(checkEventChain(record, input.events));
  else notChecked.push('event-chain');
  return { ok: checks.every((check) => check.ok), checks, notChecked };
}
