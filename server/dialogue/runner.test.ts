import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { registerStepKind } from './kinds/registry.ts';
import type { StepKind } from './kinds/registry.ts';
import { initialState, MAX_STEPS_PER_EVENT, progressOf, reduce } from './runner.ts';
import { stepFields } from './schema.ts';
import { play, said, scriptOf, types } from './test-support.ts';
import type { DialogueEvent, DialogueState, Script } from './types.ts';

const START: DialogueEvent = { type: 'SessionStarted', locale: 'en' };
const answer = (stepId: string, fields: { text?: string; choice?: string }): DialogueEvent => ({
  type: 'AnswerReceived',
  stepId,
  ...fields,
});

const BASIC = scriptOf([
  '  - { id: hi, kind: say, text: { en: Hi, zh-CN: 你好 } }',
  '  - { id: intro, kind: say, text: { en: Intro, zh-CN: 介绍 } }',
  '  - id: rec',
  '    kind: consent',
  '    purpose: recording',
  '    text: { en: Record?, zh-CN: 录像？ }',
  '  - id: name',
  '    kind: question',
  '    text: { en: Name?, zh-CN: 姓名？ }',
  '    answer: { type: text, minLength: 2, maxLength: 10 }',
  '    invalid: { en: Bad name, zh-CN: 姓名有误 }',
  '  - id: bye',
  '    kind: end',
  '    outcome: completed',
  '    text: { en: Bye, zh-CN: 再见 }',
]);

describe('starting', () => {
  it('starts pending and enters a chain of say steps up to the first question in one call', () => {
    const state = initialState(BASIC, 'en');
    expect(state.status).toBe('pending');
    expect(progressOf(BASIC, state)).toBeNull();
    const { state: next, commands } = reduce(BASIC, state, START);
    expect(commands).toEqual([
      { type: 'Say', stepId: 'hi', lineId: 'line-1', text: 'Hi' },
      { type: 'Say', stepId: 'intro', lineId: 'line-2', text: 'Intro' },
      { type: 'Say', stepId: 'rec', lineId: 'line-3', text: 'Record?' },
      { type: 'AwaitInput', stepId: 'rec', input: { type: 'yesno', yesLabel: 'Yes', noLabel: 'No' } },
    ]);
    expect(next).toMatchObject({
      status: 'active',
      stepId: 'rec',
      seq: 3,
      awaiting: { stepId: 'rec', input: { type: 'yesno' } },
    });
    expect(progressOf(BASIC, next)).toEqual({ index: 3, total: 4, stepId: 'rec', kind: 'consent' });
  });

  it('speaks the locale the session starts in, with default labels in that language', () => {
    const { commands, state } = play(BASIC, [{ type: 'SessionStarted', locale: 'zh-CN' }]);
    expect(state.locale).toBe('zh-CN');
    expect(said(commands)).toEqual(['你好', '介绍', '录像？']);
    expect(commands.at(-1)).toEqual({ type: 'AwaitInput', stepId: 'rec', input: { type: 'yesno', yesLabel: '是', noLabel: '否' } });
  });

  it("falls back to the script's first locale when asked for one it does not have", () => {
    const englishOnly = scriptOf(['  - { id: bye, kind: end, outcome: completed, text: { en: Bye } }'], ['en']);
    expect(initialState(englishOnly, 'zh-CN').locale).toBe('en');
    const { commands } = play(englishOnly, [{ type: 'SessionStarted', locale: 'zh-CN' }]);
    expect(said(commands)).toEqual(['Bye']);
  });

  it('ignores a second SessionStarted', () => {
    const started = play(BASIC, [START]).state;
    const again = reduce(BASIC, started, START);
    expect(again.commands).toEqual([]);
    expect(again.state).toBe(started);
  });

  it('does not change the state it is given', () => {
    const started = play(BASIC, [START]).state;
    const before = structuredClone(started);
    reduce(BASIC, started, answer('rec', { choice: 'yes' }));
    expect(started).toEqual(before);
  });
});

describe('consent', () => {
  const started = () => play(BASIC, [START]).state;

  it('on yes records the consent, starts recording and moves on', () => {
    const { state, commands } = play(BASIC, [answer('rec', { choice: 'yes' })], started());
    expect(commands).toEqual([
      { type: 'RecordConsent', stepId: 'rec', purpose: 'recording', granted: true },
      { type: 'StartRecording', stepId: 'rec' },
      { type: 'Say', stepId: 'name', lineId: 'line-4', text: 'Name?' },
      { type: 'AwaitInput', stepId: 'name', input: { type: 'text', maxLength: 10 } },
    ]);
    expect(state.consents).toEqual({ rec: true });
    expect(state.recording).toBe(true);
    expect(state.stepId).toBe('name');
  });

  it('reads typed answers in English and Chinese', () => {
    expect(types(play(BASIC, [answer('rec', { text: 'Sure, I agree' })], started()).commands).slice(0, 2)).toEqual([
      'RecordConsent',
      'StartRecording',
    ]);
    const declined = play(BASIC, [answer('rec', { text: '我不同意' })], started());
    expect(declined.state.status).toBe('declined');
  });

  it('on no records the refusal, says why and ends the session as declined', () => {
    const { state, commands } = play(BASIC, [answer('rec', { choice: 'no' })], started());
    expect(commands).toEqual([
      { type: 'RecordConsent', stepId: 'rec', purpose: 'recording', granted: false },
      { type: 'Say', stepId: 'rec', lineId: 'line-4', text: expect.stringContaining("can't continue") },
      { type: 'EndSession', outcome: 'declined', reason: 'rec: consent to recording declined' },
    ]);
    expect(state).toMatchObject({ status: 'declined', consents: { rec: false }, recording: false, awaiting: null });
    expect(state.endReason).toBe('rec: consent to recording declined');
  });

  it('asks again after an unclear answer, then hands over to review when attempts run out', () => {
    const { batches, state } = play(
      BASIC,
      [answer('rec', { text: 'maybe' }), answer('rec', { text: 'hmm' }), answer('rec', { text: '不是不同意' })],
      started(),
    );
    expect(said(batches[0] ?? [])).toEqual(["Sorry, I didn't quite catch that. Please answer yes or no.", 'Record?']);
    expect(types(batches[0] ?? [])).toEqual(['Say', 'Say', 'AwaitInput']);
    expect(types(batches[1] ?? [])).toEqual(['Say', 'Say', 'AwaitInput']);
    expect(batches[2]).toEqual([
      { type: 'Say', stepId: 'rec', lineId: 'line-8', text: expect.stringContaining('review your application') },
      { type: 'EndSession', outcome: 'review', reason: 'rec: no clear answer after 3 attempts' },
    ]);
    expect(state).toMatchObject({ status: 'review', attempts: { rec: 3 }, consents: {} });
  });

  it('routes to onFail when attempts run out, and uses the script labels and lines', () => {
    const script = scriptOf([
      '  - id: rec',
      '    kind: consent',
      '    purpose: recording',
      '    text: { en: Record?, zh-CN: 录像？ }',
      '    yesLabel: { en: I agree, zh-CN: 同意 }',
      '    noLabel: { en: I do not agree, zh-CN: 不同意 }',
      '    reask: { en: Yes or no please, zh-CN: 请回答是或否 }',
      '    maxAttempts: 2',
      '    onFail: help',
      '  - { id: bye, kind: end, outcome: completed }',
      '  - { id: help, kind: end, outcome: review, text: { en: Someone will call, zh-CN: 稍后联系 } }',
    ]);
    const { batches, state } = play(script, [START, answer('rec', { text: 'hmm' }), answer('rec', { text: 'blue' })]);
    expect(batches[0]?.at(-1)).toMatchObject({ input: { yesLabel: 'I agree', noLabel: 'I do not agree' } });
    expect(said(batches[1] ?? [])).toEqual(['Yes or no please', 'Record?']);
    expect(batches[2]).toEqual([
      { type: 'Say', stepId: 'help', lineId: 'line-4', text: 'Someone will call' },
      { type: 'EndSession', outcome: 'review', reason: 'review at help' },
    ]);
    expect(state.kindState?.rec).toEqual({ failed: 'no clear answer after 2 attempts' });
  });

  it('records a non-recording purpose without starting the recording', () => {
    const script = scriptOf([
      '  - { id: self, kind: consent, purpose: self-and-voluntary, text: { en: Yours?, zh-CN: 本人？ } }',
      '  - { id: bye, kind: end, outcome: completed }',
    ]);
    const { commands } = play(script, [START, answer('self', { choice: 'yes' })]);
    expect(types(commands)).toEqual(['Say', 'AwaitInput', 'RecordConsent', 'EndSession']);
  });
});

describe('question', () => {
  const atName = () => play(BASIC, [START, answer('rec', { choice: 'yes' })]).state;

  it('stores the normalized answer and goes on; the end stops the recording', () => {
    const { state, commands } = play(BASIC, [answer('name', { text: '  Jo   Smith ' })], atName());
    expect(state.answers).toEqual({ name: 'Jo Smith' });
    expect(commands).toEqual([
      { type: 'Say', stepId: 'bye', lineId: 'line-5', text: 'Bye' },
      { type: 'StopRecording', stepId: 'bye' },
      { type: 'EndSession', outcome: 'completed', reason: 'completed at bye' },
    ]);
    expect(state).toMatchObject({ status: 'completed', recording: false, awaiting: null, endReason: 'completed at bye' });
  });

  it('says the invalid line and waits again; exhausting attempts ends in review', () => {
    const { batches, state } = play(
      BASIC,
      [answer('name', { text: 'J' }), answer('name', { text: 'far too long a name' }), answer('name', { choice: 'yes' })],
      atName(),
    );
    expect(batches[0]).toEqual([
      { type: 'Say', stepId: 'name', lineId: 'line-5', text: 'Bad name' },
      { type: 'AwaitInput', stepId: 'name', input: { type: 'text', maxLength: 10 } },
    ]);
    expect(state.answers).toEqual({});
    expect(types(batches[2] ?? [])).toEqual(['Say', 'StopRecording', 'EndSession']);
    expect(batches[2]?.at(-1)).toEqual({ type: 'EndSession', outcome: 'review', reason: 'name: no valid answer after 3 attempts' });
  });

  it('accepts a valid answer on a later attempt', () => {
    const { state } = play(BASIC, [answer('name', { text: 'J' }), answer('name', { text: 'Jo' })], atName());
    expect(state).toMatchObject({ status: 'completed', answers: { name: 'Jo' }, attempts: { name: 2 } });
  });

  it('shows placeholder and hint, and uses the default invalid line for dates', () => {
    const script = scriptOf([
      '  - id: dob',
      '    kind: question',
      '    text: { en: Born?, zh-CN: 出生？ }',
      '    answer: { type: date }',
      '    placeholder: { en: YYYY-MM-DD, zh-CN: 年-月-日 }',
      '    hint: { en: As on your ID, zh-CN: 与证件一致 }',
      '  - { id: bye, kind: end, outcome: completed }',
    ]);
    const { batches, state } = play(script, [
      { type: 'SessionStarted', locale: 'zh-CN' },
      answer('dob', { text: '1990-02-30' }),
      answer('dob', { text: '1990年2月3日' }),
    ]);
    expect(batches[0]?.at(-1)).toEqual({
      type: 'AwaitInput',
      stepId: 'dob',
      input: { type: 'text', maxLength: 20, placeholder: '年-月-日', hint: '与证件一致' },
    });
    expect(said(batches[1] ?? [])).toEqual(['请按“年-月-日”的格式输入日期，例如 1990-04-21。']);
    expect(state.answers).toEqual({ dob: '1990-02-03' });
  });
});

describe('timeouts', () => {
  const TIMED = scriptOf([
    '  - id: ask',
    '    kind: question',
    '    text: { en: Name?, zh-CN: 姓名？ }',
    '    timeoutSeconds: 30',
    '  - { id: bye, kind: end, outcome: completed }',
  ]);

  it('arms a timer with the question and cancels it when answered', () => {
    const { batches, state } = play(TIMED, [START, answer('ask', { text: 'Jo' })]);
    expect(batches[0]).toEqual([
      { type: 'Say', stepId: 'ask', lineId: 'line-1', text: 'Name?' },
      { type: 'AwaitInput', stepId: 'ask', input: { type: 'text', maxLength: 200 } },
      { type: 'StartTimer', stepId: 'ask', timerId: 'timer-2', ms: 30_000 },
    ]);
    expect(batches[1]).toEqual([
      { type: 'CancelTimer', timerId: 'timer-2' },
      { type: 'EndSession', outcome: 'completed', reason: 'completed at bye' },
    ]);
    expect(state.timer).toBeNull();
  });

  it('re-arms the timer after an invalid answer', () => {
    const { batches } = play(TIMED, [START, answer('ask', { text: ' ' })]);
    expect(types(batches[1] ?? [])).toEqual(['Say', 'CancelTimer', 'AwaitInput', 'StartTimer']);
    expect(batches[1]?.[1]).toEqual({ type: 'CancelTimer', timerId: 'timer-2' });
    expect(batches[1]?.[3]).toMatchObject({ timerId: 'timer-4' });
  });

  it('re-prompts once after a timeout (one attempt), then gives up', () => {
    const { batches, state } = play(TIMED, [
      START,
      { type: 'TimedOut', stepId: 'ask', timerId: 'timer-2' },
      { type: 'TimedOut', stepId: 'ask', timerId: 'timer-6' },
    ]);
    expect(batches[1]).toEqual([
      { type: 'Say', stepId: 'ask', lineId: 'line-3', text: 'Are you still there? Take your time. Here is the question again.' },
      { type: 'Say', stepId: 'ask', lineId: 'line-4', text: 'Name?' },
      { type: 'AwaitInput', stepId: 'ask', input: { type: 'text', maxLength: 200 } },
      { type: 'StartTimer', stepId: 'ask', timerId: 'timer-5', ms: 30_000 },
    ]);
    // The second TimedOut names a timer that was never armed: rejected, nothing changes.
    expect(batches[2]).toEqual([
      { type: 'RejectInput', stepId: 'ask', code: 'not_awaiting', message: 'this timer is no longer armed' },
    ]);
    const timedOutAgain = reduce(TIMED, state, { type: 'TimedOut', stepId: 'ask', timerId: 'timer-5' });
    expect(timedOutAgain.commands).toEqual([
      { type: 'Say', stepId: 'ask', lineId: 'line-6', text: expect.stringContaining('review your application') },
      { type: 'EndSession', outcome: 'review', reason: 'ask: no answer in time' },
    ]);
    expect(timedOutAgain.state).toMatchObject({ status: 'review', timer: null, attempts: { ask: 2 } });
  });

  it('rejects a timeout of another step', () => {
    const started = play(TIMED, [START]).state;
    const result = reduce(TIMED, started, { type: 'TimedOut', stepId: 'bye', timerId: 'timer-2' });
    expect(result.commands).toEqual([{ type: 'RejectInput', stepId: 'bye', code: 'wrong_step', message: 'timer of another step' }]);
    expect(result.state).toBe(started);
  });
});

describe('input for the wrong moment', () => {
  it('rejects answers before the session starts', () => {
    const state = initialState(BASIC, 'en');
    const result = reduce(BASIC, state, answer('rec', { choice: 'yes' }));
    expect(result.commands).toEqual([{ type: 'RejectInput', stepId: 'rec', code: 'not_awaiting', message: 'the session has not started' }]);
    expect(result.state).toBe(state);
  });

  it('rejects an answer for another step', () => {
    const started = play(BASIC, [START]).state;
    const result = reduce(BASIC, started, answer('name', { text: 'Jo' }));
    expect(result.commands).toEqual([{ type: 'RejectInput', stepId: 'name', code: 'wrong_step', message: 'this answer is for another step' }]);
    expect(result.state).toBe(started);
  });

  it('rejects everything but SessionStarted and MediaFailed after the end', () => {
    const ended = play(BASIC, [START, answer('rec', { choice: 'no' })]).state;
    for (const event of [
      answer('rec', { choice: 'yes' }),
      { type: 'TimedOut', stepId: 'rec', timerId: 'timer-1' } as const,
      { type: 'VerifierFinished', stepId: 'rec', verifier: 'x', outcome: 'pass' } as const,
    ]) {
      const result = reduce(BASIC, ended, event);
      expect(result.commands).toEqual([{ type: 'RejectInput', stepId: 'rec', code: 'session_ended', message: 'the session has ended' }]);
      expect(result.state).toBe(ended);
    }
    expect(reduce(BASIC, ended, { type: 'MediaFailed', reason: 'x' }).commands).toEqual([]);
  });

  it('rejects a verifier result at a step that runs no verifier', () => {
    const started = play(BASIC, [START]).state;
    const result = reduce(BASIC, started, { type: 'VerifierFinished', stepId: 'rec', verifier: 'ocr', outcome: 'pass' });
    expect(result.commands).toEqual([
      { type: 'RejectInput', stepId: 'rec', code: 'not_awaiting', message: 'this step does not take VerifierFinished' },
    ]);
    expect(result.state).toBe(started);
  });
});

describe('media failure', () => {
  it('ends an active session for review, stopping the recording', () => {
    const { commands, state } = play(BASIC, [START, answer('rec', { choice: 'yes' }), { type: 'MediaFailed', reason: 'camera lost' }]);
    expect(commands.slice(-2)).toEqual([
      { type: 'StopRecording', stepId: 'name' },
      { type: 'EndSession', outcome: 'review', reason: 'media failed: camera lost' },
    ]);
    expect(state).toMatchObject({ status: 'review', endReason: 'media failed: camera lost', recording: false });
  });

  it('is ignored before the session starts', () => {
    const state = initialState(BASIC, 'en');
    expect(reduce(BASIC, state, { type: 'MediaFailed', reason: 'x' })).toEqual({ state, commands: [] });
  });
});

describe('kinds added from outside the runner', () => {
  interface CheckStep {
    id: string;
    kind: 'test-check';
    next?: string;
  }
  const checkKind: StepKind<CheckStep> = {
    kind: 'test-check',
    schema: z.strictObject(stepFields('test-check')),
    flow: 'wait',
    enter: () => ({ commands: [{ type: 'RunVerifier', verifier: 'fake', params: { n: 1 } }], wait: { type: 'none' } }),
    onEvent: (_ctx, event) => {
      if (event.type !== 'VerifierFinished') return { reject: 'not_awaiting', message: 'no' };
      if (event.outcome === 'pass') return { kindState: { score: event.data?.score }, goto: 'next' };
      return { end: 'review', reason: `verifier ${event.outcome}` };
    },
  };
  registerStepKind(checkKind);
  const script = scriptOf(['  - { id: check, kind: test-check }', '  - { id: bye, kind: end, outcome: completed }']);

  it('routes VerifierFinished to the current step kind', () => {
    const { batches, state } = play(script, [
      START,
      { type: 'VerifierFinished', stepId: 'check', verifier: 'fake', outcome: 'pass', data: { score: 0.9 } },
    ]);
    expect(batches[0]).toEqual([
      { type: 'RunVerifier', stepId: 'check', verifier: 'fake', params: { n: 1 } },
      { type: 'AwaitInput', stepId: 'check', input: { type: 'none' } },
    ]);
    expect(state.status).toBe('completed');
    expect(state.kindState?.check).toEqual({ score: 0.9 });
  });

  it('does not accept typed answers while waiting for a verifier', () => {
    const started = play(script, [START]).state;
    const result = reduce(script, started, answer('check', { text: 'hi' }));
    expect(result.commands).toEqual([
      { type: 'RejectInput', stepId: 'check', code: 'not_awaiting', message: 'this step does not take an answer' },
    ]);
  });

  it('lets the kind end the session', () => {
    const { state } = play(script, [START, { type: 'VerifierFinished', stepId: 'check', verifier: 'fake', outcome: 'unavailable' }]);
    expect(state).toMatchObject({ status: 'review', endReason: 'verifier unavailable' });
  });
});

describe('runaway scripts', () => {
  it(`stops after ${MAX_STEPS_PER_EVENT} steps without waiting`, () => {
    // The loader refuses such a loop; a script built in code can still have one.
    const looping: Script = {
      id: 'loop',
      title: { en: 'Loop' },
      locales: ['en'],
      steps: [
        { id: 'a', kind: 'say', text: { en: 'A' } } as Script['steps'][number],
        { id: 'b', kind: 'say', text: { en: 'B' }, next: 'a' } as Script['steps'][number],
      ],
    };
    const { commands, state } = play(looping, [START]);
    expect(said(commands)).toHaveLength(MAX_STEPS_PER_EVENT);
    expect(commands.at(-1)).toEqual({
      type: 'EndSession',
      outcome: 'review',
      reason: `script error: more than ${MAX_STEPS_PER_EVENT} steps without waiting (at a)`,
    });
    expect(state.status).toBe('review');
  });
});

describe('determinism', () => {
  it('gives the same commands and state for the same events', () => {
    const events: DialogueEvent[] = [
      START,
      answer('rec', { text: 'hmm' }),
      answer('rec', { choice: 'yes' }),
      answer('name', { text: 'J' }),
      answer('name', { text: 'Jo Smith' }),
    ];
    const first = play(BASIC, events);
    const second = play(BASIC, events);
    expect(second.batches).toEqual(first.batches);
    expect(second.state).toEqual(first.state);
    const lineIds = first.commands.flatMap((command) => (command.type === 'Say' ? [command.lineId] : []));
    expect(new Set(lineIds).size).toBe(lineIds.length);
  });

  it('keeps the state JSON-serializable', () => {
    const { state } = play(BASIC, [START, answer('rec', { choice: 'yes' })]);
    expect(JSON.parse(JSON.stringify(state)) as DialogueState).toEqual(state);
  });
});
