import { describe, expect, it } from 'vitest';
import { classifyYesNo, readYesNo } from './yesno.ts';
import type { YesNo } from './yesno.ts';

const TABLE: [string, YesNo][] = [
  // English: yes
  ['yes', 'yes'],
  ['Yes.', 'yes'],
  ['yeah', 'yes'],
  ['Sure!', 'yes'],
  ['I agree', 'yes'],
  ['ok', 'yes'],
  ['Okay, I agree to be recorded', 'yes'],
  ['Yes, I do', 'yes'],
  ['I do', 'yes'],
  ['I am', 'yes'],
  ['of course', 'yes'],
  ['no problem', 'yes'],
  ["That's right", 'yes'],
  ['  YES  ', 'yes'],
  // English: no
  ['no', 'no'],
  ['nope', 'no'],
  ['No.', 'no'],
  ["I don't agree", 'no'],
  ['I do not agree', 'no'],
  ['I dont agree', 'no'],
  ['No, I do not agree', 'no'],
  ['no I disagree', 'no'],
  ["I don't", 'no'],
  ["I'm not", 'no'],
  ['absolutely not', 'no'],
  ['I refuse', 'no'],
  ['never agreed', 'no'],
  ['no thanks', 'no'],
  // English: unclear
  ['', 'unclear'],
  ['hmm', 'unclear'],
  ['maybe', 'unclear'],
  ["I'm not sure", 'unclear'],
  ["I don't know", 'unclear'],
  ['yes and no', 'unclear'],
  ['No, I agree', 'unclear'],
  ["I don't disagree", 'unclear'],
  ['not no', 'unclear'],
  ["I don't not agree", 'unclear'],
  ['Yes, but only if I can stop', 'unclear'],
  ['What do you mean?', 'unclear'],
  ['yes?', 'unclear'],
  ["I'm not being forced by anyone", 'unclear'],
  ['banana', 'unclear'],
  // Chinese: yes
  ['是', 'yes'],
  ['是的', 'yes'],
  ['同意', 'yes'],
  ['我同意', 'yes'],
  ['好的', 'yes'],
  ['可以', 'yes'],
  ['对，是我本人', 'yes'],
  ['嗯嗯', 'yes'],
  ['没问题', 'yes'],
  ['是的，我自愿申请', 'yes'],
  ['好的。', 'yes'],
  // Chinese: no
  ['不', 'no'],
  ['不是', 'no'],
  ['不同意', 'no'],
  ['我不同意', 'no'],
  ['拒绝', 'no'],
  ['我拒绝', 'no'],
  ['不，不是', 'no'],
  ['不行', 'no'],
  ['不太同意', 'no'],
  ['不是我本人', 'no'],
  ['不是自愿的', 'no'],
  ['没有', 'no'],
  // Chinese: unclear
  ['不是不同意', 'unclear'],
  ['不拒绝', 'unclear'],
  ['是不是', 'unclear'],
  ['可以吗', 'unclear'],
  ['可以吗？', 'unclear'],
  ['不知道', 'unclear'],
  ['不确定', 'unclear'],
  ['我再想想', 'unclear'],
  ['不，我同意', 'unclear'],
  ['当然不', 'unclear'],
  ['我没有被强迫', 'unclear'],
  ['好的但是我有问题', 'unclear'],
  ['天气', 'unclear'],
  // Mixed
  ['OK 好的', 'yes'],
  ['yes 不同意', 'unclear'],
];

describe('classifyYesNo', () => {
  it.each(TABLE)('%j -> %s', (text, expected) => {
    expect(classifyYesNo(text)).toBe(expected);
  });
});

describe('readYesNo', () => {
  it('takes a button choice before the text', () => {
    expect(readYesNo({ choice: 'yes' })).toBe('yes');
    expect(readYesNo({ choice: 'No' })).toBe('no');
    expect(readYesNo({ choice: 'yes', text: 'no' })).toBe('yes');
  });

  it("honours a classifier's explicit 'unclear' choice", () => {
    expect(readYesNo({ choice: 'unclear', text: 'yes' })).toBe('unclear');
  });

  it('falls back to the text, then to an unknown choice as text', () => {
    expect(readYesNo({ text: '我同意' })).toBe('yes');
    expect(readYesNo({ choice: 'maybe', text: 'nope' })).toBe('no');
    expect(readYesNo({ choice: 'sure' })).toBe('yes');
    expect(readYesNo({})).toBe('unclear');
  });
});
