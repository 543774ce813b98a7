import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../store/canonical-json.ts';
import { GENESIS_HASH, hashEvent } from '../store/chain.ts';
import type { StoredEvent } from '../store/types.ts';
import { parseSessionEvidence } from './evidence.ts';
import { keyIdOf } from './keys.ts';
import { buildRecord, recordSigningInput, ZContractRecord } from './record.ts';
import type { ContractTemplate } from './template.ts';
import { checkEventChain } from './verify.ts';

const at = '2026-01-02T03:04:05.000Z';
const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const signer = { kid: keyIdOf(publicKey), sign: (data: Uint8Array) => new Uint8Array(sign(null, data, privateKey)) };
const template: ContractTemplate = { productId: 'loan', locale: 'en', id: 'loan.en', hash: 'b'.repeat(64), source: '# T' };

function events(count: number): StoredEvent[] {
  const list: StoredEvent[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= count; seq++) {
    const fields = { sessionId: 's1', seq, type: 'Step', at, payload: { n: seq }, prevHash };
    const hash = hashEvent(fields);
    list.push({ ...fields, hash });
    prevHash = hash;
  }
  return list;
}

function record(chain = events(3)) {
  const parsed = parseSessionEvidence({
    sessionId: 's1',
    reference: 'ATT-TEST',
    locale: 'en',
    scriptId: 'onboarding',
    scriptHash: 'a'.repeat(64),
    productId: 'loan',
    sessionStartedAt: at,
    identity: { fullName: 'Test Person', confirmedAt: at },
    loan: { amount: 5000, termMonths: 12 },
    answers: [],
    signing: { statement: 'I agree', label: 'affirm', provider: 'offline', confidence: 0.9, signedAt: at },
    artifacts: [{ id: 'a1', kind: 'recording', mime: 'video/webm', size: 3, sha256: 'c'.repeat(64), createdAt: at }],
    eventChain: { count: chain.length, headHash: chain.at(-1)!.hash },
  });
  if (!parsed.ok) throw new Error(parsed.problem);
  return buildRecord({ evidence: parsed.evidence, template, recordId: 'r1', createdAt: at, pdf: { sha256: 'd'.repeat(64), size: 10, certificateSha256: 'e'.repeat(64) }, signer });
}

describe('the contract record', () => {
  it('is signed over its canonical JSON without the signature, deterministically', () => {
    const one = record();
    expect(ZContractRecord.parse(one)).toEqual(one);
    expect(record().signature).toBe(one.signature);
    const { signature, ...unsigned } = one;
    expect(new TextDecoder().decode(recordSigningInput(one))).toBe(canonicalJson(unsigned));
    expect(verify(null, recordSigningInput(one), publicKey, Buffer.from(signature, 'base64url'))).toBe(true);
    expect(one.kid).toMatch(/^[0-9a-f]{16}$/);
    expect(one.artifacts).toEqual([{ id: 'a1', kind: 'recording', sha256: 'c'.repeat(64), size: 3 }]);
  });
});

describe('the event chain check', () => {
  it('accepts events appended after sealing and names the first changed event', () => {
    const chain = events(3);
    const sealed = record(chain);
    const later = events(5);
    expect(checkEventChain(sealed, later)).toMatchObject({ ok: true, detail: '3 events up to the head hash, 2 after sealing' });
    const changed = later.map((event) => (event.seq === 2 ? { ...event, payload: { n: 20 } } : event));
    expect(checkEventChain(sealed, changed)).toMatchObject({ ok: false, detail: 'event 2 (Step): content does not match its hash (changed)' });
    expect(checkEventChain(sealed, later.slice(0, 2))).toMatchObject({ ok: false, detail: expect.stringMatching(/events missing/) });
    expect(checkEventChain(sealed, [later[0]!, later[2]!])).toMatchObject({ ok: false, detail: 'event 2: missing (found seq 3)' });
  });
});
