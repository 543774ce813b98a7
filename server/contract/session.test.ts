import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { parseScript } from '../dialogue/load.ts';
import { openSqliteStore } from '../store/index.ts';
import type { Store } from '../store/index.ts';
import { ContractInputError } from './errors.ts';
import { parseSessionEvidence } from './evidence.ts';
import { checkLoan, defaultLoan } from './loan.ts';
import { assembleEvidence, contractRecordId, parseContractRecordId, resolveSessionLoan } from './session.ts';
import type { ContractProduct } from './template.ts';

const product: ContractProduct = {
  id: 'consumer-loan',
  name: { en: 'Personal consumer loan' },
  terms: { currency: 'CNY', amount_min: '5,000', amount_max: '200,000', term_months_min: '6', term_months_max: '36', apr: '7.2%', demo_amount: '50,000', demo_term_months: '24' },
};
const getProduct = (id: string) => (id === product.id ? product : undefined);

const { script } = parseScript(
  [
    'id: t',
    'title: { en: T }',
    'locales: [en]',
    'steps:',
    '  - { id: full_name, kind: question, text: { en: Name? } }',
    '  - { id: date_of_birth, kind: question, text: { en: Born? }, answer: { type: date } }',
    '  - { id: voluntary, kind: intent, expect: affirm, text: { en: Of your own free will? } }',
    '  - id: contract',
    '    kind: contract',
    '    product: consumer-loan',
    '    text: { en: Sign. }',
    '    statement: { en: "I, {name}, agree." }',
    '  - { id: done, kind: end, outcome: completed }',
    '',
  ].join('\n'),
  't.yaml',
);

const stores: Store[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

const at = (second: number) => new Date(Date.UTC(2026, 10, 20, 9, 0, second)).toISOString();
const HASH = 'a'.repeat(64);

/** A session at its contract step, with liveness and a face match, and a drawn signature. */
async function seeded(options: { signatureKind?: string } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'attest-contract-session-'));
  const store = openSqliteStore({ dataDir: dir });
  stores.push(store);
  const state = { status: 'active', locale: 'en', stepId: 'contract', answers: { full_name: 'Jane Example', date_of_birth: '1990-04-12', voluntary: 'affirm' } };
  let record = store.sessions.create(
    { id: 'ses_test1', reference: 'ATT-AAAA-BBBB', tokenHash: HASH, status: 'active', locale: 'en', scriptId: 't', scriptHash: HASH, externalRef: null, state, createdAt: at(0), expiresAt: at(59) },
    { type: 'SessionCreated', at: at(0), payload: { loan: { amount: 80_000, termMonths: 12, source: 'request' } } },
  );
  const classification = { label: 'affirm', coercion_signals: [], injection: false, confidence: 0.92, rationale: 'r', provider: 'offline', latency_ms: 1 };
  record = store.sessions.update(record.id, record.version, {}, [
    { type: 'AnswerReceived', at: at(1), payload: { stepId: 'full_name', text: 'Jane Example', question: 'Name?' } },
    { type: 'AnswerReceived', at: at(2), payload: { stepId: 'date_of_birth', text: '1990-04-12', question: 'Born?' } },
    {
      type: 'VerifierFinished',
      at: at(3),
      payload: {
        stepId: 'face',
        verifier: 'liveness',
        outcome: 'pass',
        data: { runId: 'face#1', challenges: [{ kind: 'blink', passed: true }, { kind: 'turn-left', passed: true }], faceMatch: { similarity: 0.71, threshold: 0.53, matched: true } },
      },
    },
    { type: 'AnswerReceived', at: at(4), payload: { stepId: 'voluntary', choice: 'yes', display: 'Yes', question: 'Of your own free will?' } },
    { type: 'AnswerReceived', at: at(5), payload: { stepId: 'contract', choice: 'sign', text: 'I, Jane, agree', question: 'Sign.', classification: { ...classification, label: 'unsure' } } },
  ]);
  const signature = await store.artifacts.put(record.id, options.signatureKind ?? 'signature', 'image/png', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]), { at: at(6) });
  record = store.sessions.findById(record.id)!;
  record = store.sessions.update(record.id, record.version, {}, [
    { type: 'AnswerReceived', at: at(7), payload: { stepId: 'contract', choice: 'sign', text: 'I, Jane Example, agree.', question: 'Sign.', classification, fields: { signatureArtifactId: signature.id } } },
  ]);
  return { dir, store, record, signatureId: signature.id };
}

const reading = { label: 'affirm', provider: 'offline', confidence: 0.92 };

describe('assembleEvidence', () => {
  it('gathers identity, loan, liveness, face match, answers, signing, artifacts and the chain head', async () => {
    const { store, record, signatureId } = await seeded();
    const { evidence } = assembleEvidence({ store, record, script, stepId: 'contract', product, signing: { signatureArtifactId: signatureId, reading } });
    const parsed = parseSessionEvidence(evidence);
    expect(parsed).toMatchObject({ ok: true });
    expect(evidence).toMatchObject({
      identity: { fullName: 'Jane Example', dateOfBirth: '1990-04-12', confirmedAt: at(1) },
      loan: { amount: 80_000, termMonths: 12 },
      liveness: { passed: true, challenges: ['blink', 'turn-left'], at: at(3) },
      faceMatch: { passed: true, similarity: 0.71, threshold: 0.53 },
      signing: { statement: 'I, Jane Example, agree.', label: 'affirm', confidence: 0.92, drawnSignatureArtifactId: signatureId, signedAt: at(7) },
      artifacts: [{ id: signatureId, kind: 'signature', mime: 'image/png' }],
      eventChain: { count: store.events.list(record.id).length },
    });
    // The button answer as pressed; the first, refused statement kept as evidence; the accepted one is the signing.
    expect(evidence.answers.map((answer) => [answer.stepId, answer.label, answer.answer])).toEqual([
      ['voluntary', 'affirm', 'Yes'],
      ['contract', 'unsure', 'I, Jane, agree'],
    ]);
  });

  it('refuses a chain that does not verify, and a signature that is not one', async () => {
    const broken = await seeded();
    const db = new Database(join(broken.dir, 'attest.db'));
    db.exec('DROP TRIGGER IF EXISTS events_no_update');
    db.prepare("UPDATE events SET payload_json = replace(payload_json, 'Jane', 'John') WHERE session_id = ? AND seq = 2").run(broken.record.id);
    db.close();
    const input = { store: broken.store, record: broken.record, script, stepId: 'contract', product, signing: { signatureArtifactId: broken.signatureId, reading } };
    expect(() => assembleEvidence(input)).toThrow(/event chain does not verify \(event 2: hash mismatch\)/);

    const photo = await seeded({ signatureKind: 'document-image' });
    expect(() =>
      assembleEvidence({ store: photo.store, record: photo.record, script, stepId: 'contract', product, signing: { signatureArtifactId: photo.signatureId, reading } }),
    ).toThrow(ContractInputError);
  });
});

describe('loans', () => {
  it('are checked against the product limits, naming the field', () => {
    expect(checkLoan(product, { amount: 5_000, termMonths: 6 })).toBeNull();
    expect(checkLoan(product, { amount: 4_999, termMonths: 6 })).toBe('loan.amount: consumer-loan lends from 5,000 to 200,000 CNY');
    expect(checkLoan(product, { amount: 5_000, termMonths: 37 })).toBe('loan.termMonths: consumer-loan runs from 6 to 36 months');
    expect(defaultLoan(product)).toEqual({ ok: true, loan: { amount: 50_000, termMonths: 24 } });
    expect(defaultLoan({ ...product, terms: { ...product.terms, demo_amount: '1' } })).toMatchObject({ ok: false });
  });

  it('come from the request or the product default for a script with a contract', () => {
    expect(resolveSessionLoan(script, { amount: 9_000, termMonths: 12 }, getProduct)).toEqual({ amount: 9_000, termMonths: 12, source: 'request' });
    expect(resolveSessionLoan(script, undefined, getProduct)).toEqual({ amount: 50_000, termMonths: 24, source: 'product-default' });
    expect(() => resolveSessionLoan(script, { amount: 1, termMonths: 12 }, getProduct)).toThrow(/^loan\.amount/);
    const plain = { ...script, steps: script.steps.filter((step) => step.kind !== 'contract') };
    expect(resolveSessionLoan(plain, undefined, getProduct)).toBeNull();
  });
});

it('record ids name the session and the contract number', () => {
  expect(parseContractRecordId(contractRecordId('ses_AbC-d_9', 2))).toEqual({ sessionId: 'ses_AbC-d_9', n: 2 });
  expect(parseContractRecordId('ses_x.c0')).toBeNull();
  expect(parseContractRecordId('../etc.c1')).toBeNull();
});
