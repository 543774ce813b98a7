import { describe, expect, it } from 'vitest';
import { play, said, scriptOf, types } from '../test-support.ts';
import type { DialogueEvent } from '../types.ts';

const START: DialogueEvent = { type: 'SessionStarted', locale: 'en' };
const script = scriptOf([
  '  - id: doc',
  '    kind: document',
  '    accepted: [mrz, cn-id]',
  '    text: { en: Hold your passport up to the camera., zh-CN: 请将护照对准摄像头。 }',
  '    maxAttempts: 2',
  '    timeoutSeconds: 30',
  '    onFail: review',
  '  - { id: done, kind: end, outcome: completed }',
  '  - { id: review, kind: end, outcome: review }',
]);

const FIELDS = { documentNumber: 'L898902C3', surname: 'ERIKSSON', givenNames: 'ANNA MARIA', birthDate: '1974-08-12' };
const finished = (runId: string, outcome: 'pass' | 'fail' | 'timeout' | 'unavailable', data: Record<string, unknown> = {}): DialogueEvent => ({
  type: 'VerifierFinished',
  stepId: 'doc',
  verifier: 'document',
  outcome,
  data: { runId, ...data },
});
const passed = (runId: string) => finished(runId, 'pass', { documentKind: 'mrz', fields: FIELDS });

describe('document step', () => {
  it('asks for the document, runs the verifier with a run id and shows the capture screen', () => {
    const { batches } = play(script, [START]);
    expect(batches[0]).toEqual([
      { type: 'Say', stepId: 'doc', lineId: 'line-1', text: 'Hold your passport up to the camera.' },
      { type: 'RunVerifier', stepId: 'doc', verifier: 'document', params: { runId: 'doc#1', accepted: ['mrz', 'cn-id'], timeoutMs: 30_000 } },
      { type: 'AwaitInput', stepId: 'doc', input: { type: 'document', accepted: ['mrz', 'cn-id'], uploadLabel: 'Or take a photo instead' } },
    ]);
  });

  it('shows the read fields to confirm, and stores corrections beside the read values', () => {
    const { state, batches } = play(script, [
      START,
      passed('doc#1'),
      { type: 'AnswerReceived', stepId: 'doc', choice: 'confirm', fields: { givenNames: 'ANNA-MARIA' } },
    ]);
    const confirm = batches[1]?.find((c) => c.type === 'AwaitInput');
    expect(confirm).toMatchObject({ input: { type: 'confirm', fields: expect.arrayContaining([{ name: 'surname', label: 'Surname', value: 'ERIKSSON' }]) } });
    expect(state.status).toBe('completed');
    expect(JSON.parse(state.answers.doc!)).toEqual({ ...FIELDS, givenNames: 'ANNA-MARIA' });
    expect(state.kindState?.doc).toMatchObject({ read: FIELDS });
  });

  it('refuses a stale result of an earlier capture and corrections of fields it never read', () => {
    const first = play(script, [START, finished('doc#1', 'fail', { reason: 'check_digits_failed' })]);
    expect(types(first.batches[1] ?? [])).toEqual(['Say', 'RunVerifier', 'AwaitInput']);
    const stale = play(script, [passed('doc#1')], first.state);
    expect(types(stale.commands)).toEqual(['RejectInput']);
    const read = play(script, [passed('doc#2')], first.state).state;
    const bad = play(script, [{ type: 'AnswerReceived', stepId: 'doc', choice: 'confirm', fields: { salary: '1' } }], read);
    expect(bad.commands).toEqual([expect.objectContaining({ type: 'RejectInput', message: 'unknown field salary' })]);
  });

  it('explains a failed capture, retries, then takes onFail with the reason kept', () => {
    const { state, commands } = play(script, [START, finished('doc#1', 'fail', { reason: 'expired' }), finished('doc#2', 'timeout')]);
    expect(said(commands)).toContain('This document has expired. Please show a valid document.');
    expect(state).toMatchObject({ status: 'review', stepId: 'review' });
    expect((state.kindState?.doc as { failed: string }).failed).toContain('no acceptable document after 2 attempts (timeout)');
  });

  it('goes straight to onFail when no document verifier is available', () => {
    const { state } = play(script, [START, finished('doc#1', 'unavailable', { reason: 'not_configured' })]);
    expect(state).toMatchObject({ status: 'review', attempts: { doc: 1 } });
  });

  it('captures again on "retake"', () => {
    const { batches } = play(script, [START, passed('doc#1'), { type: 'AnswerReceived', stepId: 'doc', choice: 'retake' }]);
    expect(batches[2]).toContainEqual(expect.objectContaining({ type: 'RunVerifier', params: expect.objectContaining({ runId: 'doc#2' }) }));
  });
});
