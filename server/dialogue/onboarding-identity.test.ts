/** The default script, prompts/scripts/onboarding-identity.yaml, played through the runner with verifier results. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadProductsFromDir, registerProducts } from '../intent/products.ts';
import { parseScript } from './load.ts';
import { play, types } from './test-support.ts';
import type { DialogueEvent } from './types.ts';

registerProducts(loadProductsFromDir('prompts/products'));
const FILE = 'prompts/scripts/onboarding-identity.yaml';
const { script } = parseScript(readFileSync(FILE, 'utf8'), FILE);

const FIELDS = { documentNumber: 'L898902C3', surname: 'ERIKSSON', givenNames: 'ANNA MARIA', birthDate: '1974-08-12' };
const verified = (stepId: string, verifier: string, runId: string, outcome: 'pass' | 'fail', data: Record<string, unknown> = {}): DialogueEvent => ({
  type: 'VerifierFinished',
  stepId,
  verifier,
  outcome,
  data: { runId, ...data },
});
const answer = (stepId: string, fields: { text?: string; choice?: string; fields?: Record<string, string> }): DialogueEvent => ({ type: 'AnswerReceived', stepId, ...fields });

const toIdentityChecks: DialogueEvent[] = [
  { type: 'SessionStarted', locale: 'en' },
  answer('consent_recording', { choice: 'yes' }),
];

describe('the default (identity) onboarding script', () => {
  it('runs consent, document, liveness, disclosure, intent and contract steps in that order', () => {
    expect(script.id).toBe('onboarding-identity');
    expect(script.steps.map((s) => s.kind).filter((k) => k !== 'say' && k !== 'end')).toEqual([
      'consent',
      'document',
      'liveness',
      'disclosure',
      'intent',
      'intent',
      'intent',
      'contract',
    ]);
  });

  it('asks for the document, then the face check, and signs in the name read from the document', () => {
    const { state, batches } = play(script, [
      ...toIdentityChecks,
      verified('id_document', 'document', 'id_document#1', 'pass', { documentKind: 'mrz', fields: FIELDS }),
      answer('id_document', { choice: 'confirm', fields: { givenNames: 'ANNA-MARIA' } }),
      verified('liveness_check', 'liveness', 'liveness_check#1', 'pass'),
      answer('risk_disclosure', { choice: 'yes' }),
      answer('understands_terms', { choice: 'yes' }),
      answer('voluntary', { choice: 'yes' }),
      answer('for_yourself', { choice: 'yes' }),
    ]);
    expect(types(batches[1] ?? [])).toContain('StartRecording');
    expect(batches[1]?.find((c) => c.type === 'RunVerifier')).toMatchObject({ verifier: 'document' });
    expect(batches[3]?.find((c) => c.type === 'RunVerifier')).toMatchObject({ verifier: 'liveness' });
    expect(state).toMatchObject({ status: 'active', stepId: 'contract' });
    const statement = JSON.stringify(state.awaiting);
    expect(statement).toContain('ANNA-MARIA');
    expect(statement).toContain('ERIKSSON');
  });

  it('hands the session to a person when the face does not match the document', () => {
    const { state } = play(script, [
      ...toIdentityChecks,
      verified('id_document', 'document', 'id_document#1', 'pass', { documentKind: 'mrz', fields: FIELDS }),
      answer('id_document', { choice: 'confirm' }),
      verified('liveness_check', 'liveness', 'liveness_check#1', 'fail', { reason: 'face_mismatch' }),
    ]);
    expect(state).toMatchObject({ status: 'review', stepId: 'needs_review' });
  });
});
