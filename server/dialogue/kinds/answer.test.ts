import { describe, expect, it } from 'vitest';
import { checkAnswer, parseDate, parseNumber } from './answer.ts';

describe('parseDate', () => {
  it.each([
    ['1990-04-21', '1990-04-21'],
    ['1990-4-1', '1990-04-01'],
    ['1990/04/21', '1990-04-21'],
    ['1990.04.21', '1990-04-21'],
    ['1990年4月21日', '1990-04-21'],
    ['１９９０－０４－２１', '1990-04-21'],
    [' 2000-02-29 ', '2000-02-29'],
  ])('%j -> %s', (input, expected) => {
    expect(parseDate(input)).toBe(expected);
  });

  it.each(['1990-02-30', '1900-02-29', '2023-02-29', '1990-13-01', '1990-00-10', '1990-04-31', '21/04/1990', '1990-04', 'yesterday', ''])(
    'rejects %j',
    (input) => {
      expect(parseDate(input)).toBeNull();
    },
  );
});

describe('parseNumber', () => {
  it.each([
    ['42', 42],
    ['-3.5', -3.5],
    ['12,000', 12000],
    ['１２', 12],
  ])('%j -> %s', (input, expected) => {
    expect(parseNumber(input)).toBe(expected);
  });

  it.each(['', 'twelve', '1,2', '1e5', '12abc'])('rejects %j', (input) => {
    expect(parseNumber(input)).toBeNull();
  });
});

describe('checkAnswer', () => {
  it('normalizes text and counts characters, not UTF-16 units', () => {
    expect(checkAnswer({ type: 'text', minLength: 2 }, '  Mary   Jane\tSmith ')).toEqual({ ok: true, value: 'Mary Jane Smith' });
    expect(checkAnswer({ type: 'text', minLength: 2 }, '张伟')).toEqual({ ok: true, value: '张伟' });
    expect(checkAnswer({ type: 'text', minLength: 2 }, '张')).toEqual({ ok: false });
    expect(checkAnswer({ type: 'text', maxLength: 3 }, '𠀀𠀀𠀀')).toEqual({ ok: true, value: '𠀀𠀀𠀀' });
    expect(checkAnswer({ type: 'text', maxLength: 3 }, 'abcd')).toEqual({ ok: false });
    expect(checkAnswer({ type: 'text' }, '   ')).toEqual({ ok: false });
  });

  it('requires the whole text to match the pattern', () => {
    const spec = { type: 'text' as const, pattern: '[\\p{L} ]+' };
    expect(checkAnswer(spec, 'José Núñez')).toEqual({ ok: true, value: 'José Núñez' });
    expect(checkAnswer(spec, 'R2D2')).toEqual({ ok: false });
  });

  it('checks dates against min and max', () => {
    const spec = { type: 'date' as const, min: '1900-01-01', max: '2010-12-31' };
    expect(checkAnswer(spec, '1990/4/21')).toEqual({ ok: true, value: '1990-04-21' });
    expect(checkAnswer(spec, '1899-12-31')).toEqual({ ok: false });
    expect(checkAnswer(spec, '2011-01-01')).toEqual({ ok: false });
  });

  it('checks numbers against min, max and integer', () => {
    const spec = { type: 'number' as const, min: 1, max: 100, integer: true };
    expect(checkAnswer(spec, '50')).toEqual({ ok: true, value: '50' });
    expect(checkAnswer(spec, '50.5')).toEqual({ ok: false });
    expect(checkAnswer(spec, '0')).toEqual({ ok: false });
    expect(checkAnswer(spec, '1,000')).toEqual({ ok: false });
  });
});
