import { describe, expect, it } from 'vitest';
import { parseScript } from '../load.ts';
import { play, said, scriptOf, types, yaml } from '../test-support.ts';
import type { DialogueEvent, DialogueState } from '../types.ts';
import { applicantIdentity, normalizeForMatch } from './contract.ts';

const START: DialogueEvent = { type: 'SessionStarted', locale: 'en' };
const script = scriptOf([
  '  - id: full_name',
  '    kind: question',
  '    text: { en: Your name?, zh-CN: 姓名？ }',
  '  - id: date_of_birth',
  '    kind: question',
  '    text: { en: Your date of birth?, zh-CN: 出生日期？ }',
  '    answer: { type: date }',
  '  - id: sign',
  '    kind: contract',
  '    product: consumer-loan',
  '    text: { en: Please read the contract and sign it., zh-CN: 请阅读并签署合同。 }',
  '    statement: { en: "I, {name}, have read the contract and agree to it.", zh-CN: "本人{name}已阅读并同意本合同。" }',
  '    maxAttempts: 2',
  '    onFail: review',
  '  - { id: done, kind: end, outcome: completed }',
  '  - { id: review, kind: end, outcome: review }',
]);

const named: DialogueEvent[] = [
  START,
  { type: 'AnswerReceived', stepId: 'full_name', text: 'Jane Example' },
  { type: 'AnswerReceived', stepId: 'date_of_birth', text: '1990-04-12' },
];
const STATEMENT = 'I, Jane Example, have read the contract and agree to it.';
const sign = (text: string, signatureArtifactId?: string): DialogueEvent => ({
  type: 'AnswerReceived',
  stepId: 'sign',
  choice: 'sign',
  text,
  ...(signatureArtifactId === undefined ? {} : { fields: { signatureArtifactId } }),
});
const sealed = (runId: string, outcome: 'pass' | 'fail' | 'timeout' | 'unavailable' = 'pass'): DialogueEvent => ({
  type: 'VerifierFinished',
  stepId: 'sign',
  verifier: 'contract-seal',
  outcome,
  data: { runId, ...(outcome === 'pass' ? { recordId: 'ses_x.c1' } : { reason: 'error' }) },
});

describe('contract step', () => {
  it('says the intro and shows the statement filled with the confirmed name', () => {
    const { batches } = play(script, named);
    expect(batches[2]).toEqual([
      { type: 'Say', stepId: 'sign', lineId: expect.any(String), text: 'Please read the contract and sign it.' },
      { type: 'AwaitInput', stepId: 'sign', input: { type: 'contract', product: 'consumer-loan', statement: STATEMENT, signLabel: 'Sign the contract' } },
    ]);
  });

  it('seals after an affirming statement with the name and a signature, then goes on', () => {
    const signed = play(script, [...named, sign(STATEMENT, 'art_sig1')]);
    expect(signed.batches.at(-1)).toEqual([
      {
        type: 'RunVerifier',
        stepId: 'sign',
        verifier: 'contract-seal',
        params: {
          runId: 'sign#1',
          product: 'consumer-loan',
          signatureArtifactId: 'art_sig1',
          reading: { label: 'affirm', provider: 'offline', confidence: expect.any(Number) },
          timeoutMs: 60_000,
        },
      },
      { type: 'AwaitInput', stepId: 'sign', input: { type: 'none' } },
    ]);
    // While sealing, further answers are refused.
    expect(types(play(script, [sign(STATEMENT, 'art_sig2')], signed.state).commands)).toEqual(['RejectInput']);
    const done = play(script, [sealed('sign#1')], signed.state);
    expect(done.state).toMatchObject({ status: 'completed', answers: { sign: 'ses_x.c1' } });
    expect(said(done.commands)[0]).toContain('signed and sealed');
  });

  it('uses the supplied classification when it is valid', () => {
    const classification = { label: 'deny' as const, coercion_signals: [], injection: false, confidence: 0.95, rationale: 'llm', provider: 'llm' as const, latency_ms: 40 };
    const event: DialogueEvent = { type: 'AnswerReceived', stepId: 'sign', choice: 'sign', text: STATEMENT, fields: { signatureArtifactId: 'art_sig1' }, classification };
    const { commands, state } = play(script, [...named, event]);
    expect(types(commands.slice(-2))).toEqual(['Say', 'AwaitInput']);
    expect(state.kindState?.sign).toMatchObject({ last: { label: 'deny', provider: 'llm' } });
  });

  it('asks again without a signature, without the name, or without agreement; then takes onFail', () => {
    const noSignature = play(script, [...named, sign(STATEMENT)]);
    expect(said(noSignature.batches.at(-1) ?? [])[0]).toContain('draw your signature');
    expect(noSignature.state.awaiting?.input.type).toBe('contract');
    const noName = play(script, [...named, sign('I have read the contract and agree to it.', 'art_sig1')]);
    expect(noName.state.attempts.sign).toBe(1);
    expect(noName.state.awaiting?.input.type).toBe('contract');
    const refused = play(script, [...named, sign('I, Jane Example, do not agree.', 'art_sig1'), sign('No, I do not agree', 'art_sig1')]);
    expect(refused.state).toMatchObject({ status: 'review', stepId: 'review' });
    expect((refused.state.kindState?.sign as { failed: string }).failed).toContain('statement not an agreement (deny) after 2 attempts');
  });

  it('ends for review on coercion signals in the statement', () => {
    const { state } = play(script, [...named, sign('I, Jane Example, agree, my boss told me to sign', 'art_sig1')]);
    expect(state.status).toBe('review');
  });

  it('refuses other answers and stale sealing results; a failed sealing goes to onFail', () => {
    const at = play(script, named).state;
    expect(play(script, [{ type: 'AnswerReceived', stepId: 'sign', text: 'yes' }], at).commands).toEqual([
      expect.objectContaining({ type: 'RejectInput', code: 'not_awaiting' }),
    ]);
    const signed = play(script, [sign(STATEMENT, 'art_sig1')], at).state;
    expect(types(play(script, [sealed('sign#0')], signed).commands)).toEqual(['RejectInput']);
    expect(types(play(script, [sealed('sign#1')], at).commands)).toEqual(['RejectInput']);
    const failed = play(script, [sealed('sign#1', 'unavailable')], signed).state;
    expect(failed).toMatchObject({ status: 'review', stepId: 'review' });
    expect((failed.kindState?.sign as { failed: string }).failed).toBe('contract not sealed (unavailable: error)');
  });

  it('signs in Chinese with a spoken-style statement (width and punctuation ignored)', () => {
    const zh = play(script, [
      { type: 'SessionStarted', locale: 'zh-CN' },
      { type: 'AnswerReceived', stepId: 'full_name', text: '王小明' },
      { type: 'AnswerReceived', stepId: 'date_of_birth', text: '1990-04-12' },
    ]);
    expect(zh.state.awaiting?.input).toMatchObject({ statement: '本人王小明已阅读并同意本合同。', signLabel: '签署合同' });
    const { commands } = play(script, [sign('本人王小明，已阅读并同意本合同', 'art_sig1')], zh.state);
    expect(types(commands)).toEqual(['RunVerifier', 'AwaitInput']);
  });

  it('takes the name from a confirmed document in preference to a typed one', () => {
    const state = {
      answers: {
        full_name: 'Jane Example',
        doc: JSON.stringify({ documentType: 'P', documentNumber: 'L898902C3', surname: 'ERIKSSON', givenNames: 'ANNA MARIA', nationality: 'SWE', birthDate: '1974-08-12' }),
      },
    } as unknown as DialogueState;
    const withDocument = scriptOf([
      '  - id: full_name',
      '    kind: question',
      '    text: { en: Name?, zh-CN: 姓名？ }',
      '  - id: doc',
      '    kind: document',
      '    accepted: [mrz]',
      '    text: { en: Show it., zh-CN: 请出示。 }',
      '  - { id: done, kind: end, outcome: completed }',
    ]);
    expect(applicantIdentity(withDocument, state)).toEqual({
      fullName: 'ANNA MARIA ERIKSSON',
      dateOfBirth: '1974-08-12',
      documentType: 'passport',
      documentNumber: 'L898902C3',
      nationality: 'SWE',
      sourceStepId: 'doc',
    });
    expect(applicantIdentity(withDocument, { answers: { doc: JSON.stringify({ name: '王小明', idNumber: '11010519491231002X', birthDate: '1949-12-31' }) } } as unknown as DialogueState)).toMatchObject({
      fullName: '王小明',
      documentType: 'cn-id',
      documentNumber: '11010519491231002X',
    });
    expect(normalizeForMatch('Ａnna,  MARIA!')).toBe('annamaria');
  });

  it('goes to onFail on enter when no name was confirmed', () => {
    const bare = scriptOf([
      '  - id: sign',
      '    kind: contract',
      '    product: consumer-loan',
      '    text: { en: Sign., zh-CN: 签署。 }',
      '    statement: { en: "I, {name}, agree.", zh-CN: "本人{name}同意。" }',
      '    onFail: review',
      '  - { id: review, kind: end, outcome: review }',
    ]);
    expect(play(bare, [START]).state).toMatchObject({ status: 'review' });
  });

  it('rejects a statement without {name} at load', () => {
    const source = yaml(
      'id: t',
      'title: { en: T }',
      'locales: [en]',
      'steps:',
      '  - { id: sign, kind: contract, product: consumer-loan, text: { en: Sign. }, statement: { en: I agree. } }',
      '  - { id: done, kind: end, outcome: completed }',
    );
    expect(() => parseScript(source, 't.yaml')).toThrow(/must contain \{name\}/);
  });
});
