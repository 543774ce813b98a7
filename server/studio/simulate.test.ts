/** The simulator drives the real reducer: the shipped default script end to end, and its branches. */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadProductsFromDir, registerProducts } from '../intent/products.ts';
import { simulate } from './simulate.ts';
import type { SimulationAction } from './simulate.ts';

const source = readFileSync('prompts/scripts/onboarding-identity.yaml', 'utf8');

beforeAll(() => registerProducts(loadProductsFromDir('prompts/products')));

const yes: SimulationAction = { type: 'answer', text: 'yes' };

describe('simulate', () => {
  it('runs the default script to completion with every check passing', () => {
    const actions: SimulationAction[] = [
      yes, // consent to recording
      { type: 'verifier', outcome: 'pass' }, // document read
      { type: 'answer', choice: 'confirm' }, // fields confirmed
      { type: 'verifier', outcome: 'pass' }, // liveness
      { type: 'answer', choice: 'yes' }, // disclosure acknowledged
      { type: 'answer', text: 'Yes, I understand' },
      { type: 'answer', text: 'Yes, it is my own decision' },
      { type: 'answer', text: 'Yes, it is for me' },
      { type: 'answer', choice: 'sign', text: 'I, ALEX SAMPLE, have read this contract and agree to it.', fields: { signatureArtifactId: 'simulated' } },
      { type: 'verifier', outcome: 'pass' }, // sealed
    ];
    const result = simulate(source, { locale: 'en', actions });
    expect(result.status).toBe('completed');
    expect(result.path).toEqual([
      'welcome',
      'consent_recording',
      'overview',
      'id_document',
      'liveness_check',
      'risk_disclosure',
      'understands_terms',
      'voluntary',
      'for_yourself',
      'contract',
      'goodbye',
    ]);
    expect(result.transcript[0]).toEqual({ kind: 'say', stepId: 'welcome', text: expect.stringContaining("Hello, I'm Ava") });
    expect(result.transcript).toContainEqual({ kind: 'recording', stepId: 'consent_recording', text: 'recording starts' });
    expect(result.transcript.filter((entry) => entry.kind === 'rejected')).toEqual([]);
  });

  it('takes the failure route when a check fails and the decline route on a clear no', () => {
    const failed = simulate(source, {
      locale: 'zh-CN',
      actions: [yes, { type: 'verifier', outcome: 'pass' }, { type: 'answer', choice: 'confirm' }, { type: 'verifier', outcome: 'fail' }, { type: 'verifier', outcome: 'timeout' }],
    });
    expect(failed.status).toBe('review');
    expect(failed.path.slice(-2)).toEqual(['liveness_check', 'needs_review']);
    expect(failed.transcript.filter((entry) => entry.kind === 'say').at(-1)?.text).toMatch(/工作人员/);
    expect(failed.transcript.at(-1)).toMatchObject({ kind: 'end', text: expect.stringMatching(/^review: /) });

    const declined = simulate(source, { actions: [{ type: 'answer', text: 'no, I do not agree' }] });
    expect(declined.status).toBe('declined');
    expect(declined.path).toEqual(['welcome', 'consent_recording']);
  });

  it('shows what is awaited, a running check and a timer, and refuses actions that do not fit', () => {
    const waiting = simulate(source, { actions: [yes] });
    expect(waiting.pendingVerifier).toEqual({ stepId: 'id_document', verifier: 'document' });
    expect(waiting.awaiting?.input.type).toBe('document');
    expect(waiting.timerArmed).toBe(false);
    const typed = readFileSync('prompts/scripts/onboarding.yaml', 'utf8');
    const asked = simulate(typed, { actions: [yes] });
    expect(asked.awaiting?.stepId).toBe('full_name');
    expect(asked.timerArmed).toBe(true);
    const silent = simulate(typed, { actions: [yes, { type: 'timeout' }] });
    expect(silent.transcript.slice(-3).map((entry) => entry.kind)).toEqual(['timeout', 'say', 'say']);
    expect(silent.transcript.at(-2)?.text).toMatch(/^Are you still there\?/);
    const wrong = simulate(source, { actions: [{ type: 'verifier', outcome: 'pass' }] });
    expect(wrong.transcript.at(-1)).toEqual({ kind: 'rejected', stepId: 'consent_recording', text: 'no check is running' });
    expect(wrong.status).toBe('active');
  });
});
