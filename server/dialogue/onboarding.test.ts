/** The default script, prompts/scripts/onboarding.yaml, played through the runner. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadProductsFromDir, registerProducts } from '../intent/products.ts';
import { parseScript } from './load.ts';
import { progressOf, reduce } from './runner.ts';
import { play, said, types } from './test-support.ts';
import type { DialogueEvent, Locale } from './types.ts';

// The script's disclosure and intent steps answer questions from this product's approved FAQ.
registerProducts(loadProductsFromDir('prompts/products'));
const FILE = 'prompts/scripts/onboarding.yaml';
const loaded = parseScript(readFileSync(FILE, 'utf8'), FILE);
const { script } = loaded;

const answer = (stepId: string, fields: { text?: string; choice?: string }): DialogueEvent => ({
  type: 'AnswerReceived',
  stepId,
  ...fields,
});

describe('the default onboarding script', () => {
  it('loads, in English and Simplified Chinese', () => {
    expect(script.id).toBe('onboarding');
    expect(script.locales).toEqual(['en', 'zh-CN']);
    expect(script.steps.map((step) => `${step.id}:${step.kind}`)).toEqual([
      'welcome:say',
      'consent_recording:consent',
      'overview:say',
      'full_name:question',
      'date_of_birth:question',
      'risk_disclosure:disclosure',
      'understands_terms:intent',
      'voluntary:intent',
      'for_yourself:intent',
      'contract:contract',
      'goodbye:end',
      'declined_not_free:end',
      'needs_review:end',
    ]);
    expect(loaded.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  const HAPPY: Record<Locale, { name: string; dob: string; yes: string; understood: string; free: string; statement: string; introduces: RegExp }> = {
    en: {
      name: 'Mary-Jane O’Neil',
      dob: '1990-04-21',
      yes: 'Yes, I agree',
      understood: 'Yes, I understand',
      free: 'yes, it is my own decision',
      statement: 'I, Mary-Jane O’Neil, have read this contract and agree to it.',
      introduces: /I'm Ava/,
    },
    'zh-CN': {
      name: '买买提·艾力',
      dob: '1990年4月21日',
      yes: '是的，我同意',
      understood: '是的，我清楚',
      free: '是的，是我自己决定的',
      statement: '本人买买提·艾力已阅读并同意本合同。',
      introduces: /艾娃/,
    },
  };

  it.each(Object.entries(HAPPY))('completes the happy path in %s', (locale, data) => {
    const { batches, state, commands } = play(script, [
      { type: 'SessionStarted', locale: locale as Locale },
      answer('consent_recording', { text: data.yes }),
      answer('full_name', { text: data.name }),
      answer('date_of_birth', { text: data.dob }),
      answer('risk_disclosure', { choice: 'yes' }),
      answer('understands_terms', { text: data.understood }),
      answer('voluntary', { text: data.free }),
      answer('for_yourself', { choice: 'yes' }),
      { type: 'AnswerReceived', stepId: 'contract', choice: 'sign', text: data.statement, fields: { signatureArtifactId: 'art_signature' } },
      { type: 'VerifierFinished', stepId: 'contract', verifier: 'contract-seal', outcome: 'pass', data: { runId: 'contract#1', recordId: 'ses_x.c1' } },
    ]);
    // Welcome and the consent question come together; recording starts only after consent.
    expect(said(batches[0] ?? [])[0]).toMatch(data.introduces);
    expect(types(batches[0] ?? [])).toEqual(['Say', 'Say', 'AwaitInput']);
    expect(types(batches[1] ?? [])).toEqual(['RecordConsent', 'StartRecording', 'Say', 'Say', 'AwaitInput', 'StartTimer']);
    expect(types(batches[7] ?? [])).toEqual(['RecordConsent', 'Say', 'AwaitInput']);
    expect(batches[7]?.find((c) => c.type === 'AwaitInput')).toMatchObject({ input: { type: 'contract', product: 'consumer-loan', statement: data.statement } });
    // The signing answer starts the sealing; its result ends the session, recording to the end.
    expect(types(batches[8] ?? [])).toEqual(['RunVerifier', 'AwaitInput']);
    expect(types(batches[9] ?? [])).toEqual(['Say', 'Say', 'StopRecording', 'EndSession']);
    expect(commands.at(-1)).toEqual({ type: 'EndSession', outcome: 'completed', reason: 'completed at goodbye' });
    expect(state).toMatchObject({
      status: 'completed',
      locale,
      answers: { full_name: data.name, date_of_birth: '1990-04-21', contract: 'ses_x.c1' },
      consents: { consent_recording: true, risk_disclosure: true, understands_terms: true, voluntary: true, for_yourself: true },
      recording: false,
      timer: null,
    });
    // Every line is in the session's language.
    const lines = said(commands);
    if (locale === 'zh-CN') expect(lines.every((line) => /\p{Script=Han}/u.test(line))).toBe(true);
    else expect(lines.some((line) => /\p{Script=Han}/u.test(line))).toBe(false);
  });

  it('reports progress over the steps that are not endings', () => {
    const started = play(script, [{ type: 'SessionStarted', locale: 'en' }]).state;
    expect(progressOf(script, started)).toEqual({ index: 2, total: 10, stepId: 'consent_recording', kind: 'consent' });
    const atName = reduce(script, started, answer('consent_recording', { choice: 'yes' })).state;
    expect(progressOf(script, atName)).toEqual({ index: 4, total: 10, stepId: 'full_name', kind: 'question' });
  });

  const upToVoluntary: DialogueEvent[] = [
    { type: 'SessionStarted', locale: 'en' },
    answer('consent_recording', { choice: 'yes' }),
    answer('full_name', { text: 'Jo Smith' }),
    answer('date_of_birth', { text: '1985-12-01' }),
    answer('risk_disclosure', { choice: 'yes' }),
    answer('understands_terms', { choice: 'yes' }),
  ];

  it('ends declined when the applicant is not applying freely', () => {
    const { state, commands } = play(script, [...upToVoluntary, answer('voluntary', { text: 'No' })]);
    expect(state).toMatchObject({ status: 'declined', stepId: 'declined_not_free' });
    expect(said(commands).at(-1)).toContain('pressuring you');
    expect(commands.at(-1)).toMatchObject({ type: 'EndSession', outcome: 'declined' });
  });

  it('hands the session to a person when someone else is behind the application', () => {
    const { state, commands } = play(script, [...upToVoluntary, answer('voluntary', { text: 'yes, my boss told me to apply' })]);
    expect(state.status).toBe('review');
    expect(commands.at(-1)).toMatchObject({ type: 'EndSession', outcome: 'review' });
    expect(JSON.stringify(state.kindState?.voluntary)).toContain('instructed_by_other');
  });

  it('ends without recording when recording is refused', () => {
    const { state, commands } = play(script, [
      { type: 'SessionStarted', locale: 'zh-CN' },
      answer('consent_recording', { text: '不同意' }),
    ]);
    expect(state.status).toBe('declined');
    expect(types(commands)).not.toContain('StartRecording');
    expect(said(commands).at(-1)).toContain('录音录像');
  });

  it('sends the applicant to review after three invalid dates', () => {
    const { state, commands } = play(script, [
      { type: 'SessionStarted', locale: 'en' },
      answer('consent_recording', { choice: 'yes' }),
      answer('full_name', { text: 'Jo Smith' }),
      answer('date_of_birth', { text: '31/12/1985' }),
      answer('date_of_birth', { text: '1985-02-30' }),
      answer('date_of_birth', { text: 'last year' }),
    ]);
    expect(state).toMatchObject({ status: 'review', stepId: 'needs_review', attempts: { date_of_birth: 3 } });
    expect(state.kindState?.date_of_birth).toEqual({ failed: 'no valid answer after 3 attempts' });
    expect(said(commands).at(-1)).toContain('review your application');
  });
});

describe('questions at the consent step', () => {
  it('answers a question about the recording from the approved FAQ and asks for consent again', () => {
    const { state, batches } = play(script, [
      { type: 'SessionStarted', locale: 'en' },
      answer('consent_recording', { text: 'Who can see the recording?' }),
    ]);
    const lines = said(batches[1] ?? []);
    expect(lines[0]).toContain('authorised compliance staff');
    expect(lines[1]).toContain('Do you agree to this session being recorded?');
    expect(state).toMatchObject({ status: 'active', stepId: 'consent_recording', attempts: { consent_recording: 0 } });
  });

  it('in Chinese too', () => {
    const { batches } = play(script, [
      { type: 'SessionStarted', locale: 'zh-CN' },
      answer('consent_recording', { text: '录像保存多久？' }),
    ]);
    expect(said(batches[1] ?? [])[0]).toContain('法律规定');
  });
});

describe('questions at a question step', () => {
  it('answers from approved facts and asks the same question again, without using an attempt', () => {
    const { state, batches } = play(script, [
      { type: 'SessionStarted', locale: 'en' },
      answer('consent_recording', { choice: 'yes' }),
      answer('full_name', { text: 'Why do you need my name?' }),
    ]);
    const lines = said(batches[2] ?? []);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('goes into your loan contract');
    expect(lines[1]).toContain('full legal name');
    expect(state).toMatchObject({ stepId: 'full_name', attempts: { full_name: 0 } });
  });
});
