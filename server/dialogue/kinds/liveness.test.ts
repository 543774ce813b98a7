import { describe, expect, it } from 'vitest';
import { play, said, scriptOf, types } from '../test-support.ts';
import type { DialogueEvent } from '../types.ts';

const START: DialogueEvent = { type: 'SessionStarted', locale: 'en' };
const script = scriptOf([
  '  - id: live',
  '    kind: liveness',
  '    text: { en: Now a quick check that it is really you., zh-CN: 现在进行简单的本人核验。 }',
  '    maxAttempts: 2',
  '    timeoutSeconds: 60',
  '    onFail: review',
  '  - { id: done, kind: end, outcome: completed }',
  '  - { id: review, kind: end, outcome: review }',
]);
const finished = (runId: string, outcome: 'pass' | 'fail' | 'timeout' | 'unavailable', data: Record<string, unknown> = {}): DialogueEvent => ({
  type: 'VerifierFinished',
  stepId: 'live',
  verifier: 'liveness',
  outcome,
  data: { runId, ...data },
});

describe('liveness step', () => {
  it('runs the liveness verifier with a run id and its time bound, and shows the oval', () => {
    const { batches } = play(script, [START]);
    expect(types(batches[0] ?? [])).toEqual(['Say', 'RunVerifier', 'AwaitInput']);
    expect(batches[0]?.[1]).toMatchObject({ params: { runId: 'live#1', timeoutMs: 65_000, config: { maxTotalMs: 60_000 } } });
    expect(batches[0]?.[2]).toMatchObject({ input: { type: 'liveness' } });
  });

  it('moves on when the check passes', () => {
    expect(play(script, [START, finished('live#1', 'pass')]).state.status).toBe('completed');
  });

  it('retries once with a new run after an ordinary failure, then routes to review', () => {
    const first = play(script, [START, finished('live#1', 'fail', { reason: 'challenge_failed' })]);
    expect(first.state.status).toBe('active');
    expect(said(first.batches[1] ?? [])[0]).toContain("Let's try again");
    expect(types(play(script, [finished('live#1', 'pass')], first.state).commands)).toEqual(['RejectInput']);
    const second = play(script, [finished('live#2', 'fail', { reason: 'frozen_frames' })], first.state);
    expect(second.state).toMatchObject({ status: 'review', stepId: 'review' });
  });

  it('never retries a face that does not match the document: a person decides', () => {
    const { state } = play(script, [START, finished('live#1', 'fail', { reason: 'face_mismatch' })]);
    expect(state).toMatchObject({ status: 'review', attempts: { live: 1 } });
    expect((state.kindState?.live as { failed: string }).failed).toBe('liveness: face_mismatch');
  });

  it('does not take typed answers', () => {
    const { commands } = play(script, [START, { type: 'AnswerReceived', stepId: 'live', text: 'I blinked' }]);
    expect(commands.at(-1)).toMatchObject({ type: 'RejectInput' });
  });
});
