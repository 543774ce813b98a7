import { describe, expect, it } from 'vitest';
import type { TranscriptLine } from '../../server/http/protocol.ts';
import { answerText, isFinished, splitTranscript, stepNumbers } from './sessionView.ts';

const line = (id: string, from: TranscriptLine['from']): TranscriptLine => ({
  id,
  from,
  text: `text ${id}`,
  stepId: 'consent',
  at: '2025-01-01T00:00:00Z',
});

describe('splitTranscript', () => {
  it('takes the latest assistant line as the caption and keeps the rest in order', () => {
    const lines = [line('a1', 'assistant'), line('u2', 'applicant'), line('a3', 'assistant'), line('u4', 'applicant')];
    const { current, earlier } = splitTranscript(lines);
    expect(current?.id).toBe('a3');
    expect(earlier.map((l) => l.id)).toEqual(['a1', 'u2', 'u4']);
  });

  it('has no caption before the assistant speaks', () => {
    expect(splitTranscript([])).toEqual({ current: null, earlier: [] });
    expect(splitTranscript([line('u1', 'applicant')]).current).toBeNull();
  });
});

describe('stepNumbers', () => {
  it('shows the 1-based index from the server as the step number', () => {
    expect(stepNumbers({ index: 2, total: 5, stepId: 's', kind: 'question' })).toEqual({ current: 2, total: 5 });
    expect(stepNumbers({ index: 1, total: 5, stepId: 's', kind: 'consent' })).toEqual({ current: 1, total: 5 });
  });

  it('clamps to the range and hides an empty script', () => {
    expect(stepNumbers({ index: 9, total: 5, stepId: 's', kind: 'x' })).toEqual({ current: 5, total: 5 });
    expect(stepNumbers({ index: 0, total: 5, stepId: 's', kind: 'x' })).toEqual({ current: 1, total: 5 });
    expect(stepNumbers({ index: 1, total: 0, stepId: 's', kind: 'x' })).toBeNull();
    expect(stepNumbers(null)).toBeNull();
  });
});

describe('answerText', () => {
  it('trims, limits the length and refuses blanks', () => {
    expect(answerText('  hello  ', 100)).toBe('hello');
    expect(answerText('abcdef', 3)).toBe('abc');
    expect(answerText('   ', 100)).toBeNull();
  });
});

describe('isFinished', () => {
  it('is true for the statuses with a finished screen', () => {
    expect(['completed', 'declined', 'review', 'interrupted'].every((s) => isFinished(s as never))).toBe(true);
    expect(isFinished('created')).toBe(false);
    expect(isFinished('active')).toBe(false);
    expect(isFinished('expired')).toBe(false);
  });
});
