import { describe, expect, it } from 'vitest';
import { scriptLines, sentencesToWarm } from './warm.ts';

describe('lines to synthesize ahead of time', () => {
  const script = {
    id: 's',
    title: { en: 'Title', 'zh-CN': '标题' },
    steps: [
      { id: 'a', kind: 'say', text: { en: 'Hello. Do you agree?', 'zh-CN': '您好。同意吗？' } },
      { id: 'b', kind: 'contract', statement: { en: 'I, {name}, agree.' }, faq: [{ answer: { en: 'Do you agree?' } }] },
      { id: 'c', kind: 'end', outcome: 'completed', maxAttempts: 3 },
    ],
  };

  it('finds every localized text, leaving out lines with placeholders', () => {
    expect(scriptLines(script).map((l) => `${l.locale}:${l.text}`)).toEqual([
      'en:Title',
      'zh-CN:标题',
      'en:Hello. Do you agree?',
      'zh-CN:您好。同意吗？',
      'en:Do you agree?',
    ]);
  });

  it('asks for each sentence once, as the speaker will', () => {
    expect(sentencesToWarm(scriptLines(script)).map((s) => s.text)).toEqual(['Title', '标题', 'Hello.', 'Do you agree?', '您好。', '同意吗？']);
  });
});
