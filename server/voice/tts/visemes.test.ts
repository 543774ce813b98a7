import { describe, expect, it } from 'vitest';
import { splitSentences, spreadWords, timingsFromEnvelope, timingsFromEvents, visemeForPhoneme } from './visemes.ts';

describe('visemes from phonemes', () => {
  it('maps IPA phonemes (stress and length marks ignored) to mouth shapes', () => {
    expect(visemeForPhoneme('m')).toBe('closed');
    expect(visemeForPhoneme('b')).toBe('closed');
    expect(visemeForPhoneme('f')).toBe('teeth');
    expect(visemeForPhoneme('ˈoʊ')).toBe('round');
    expect(visemeForPhoneme('ˈuː')).toBe('pucker');
    expect(visemeForPhoneme('ˈiː')).toBe('wide');
    expect(visemeForPhoneme('ɑ')).toBe('open');
    expect(visemeForPhoneme('ə')).toBe('open');
    expect(visemeForPhoneme('t')).toBe('tongue');
    expect(visemeForPhoneme('')).toBe('rest');
    expect(visemeForPhoneme('ʂ')).toBe('pucker');
  });

  it('turns espeak-ng events into word cues (UTF-16 offsets) and merged visemes ending at rest', () => {
    const text = 'Hello, do you';
    const events = [
      { type: 'word', audioMs: 0, textPosition: 1, length: 5 },
      { type: 'phoneme', audioMs: 11, textPosition: 1, length: 0, id: 'h' },
      { type: 'phoneme', audioMs: 62, textPosition: 1, length: 0, id: 'ə' },
      { type: 'phoneme', audioMs: 112, textPosition: 1, length: 0, id: 'l' },
      { type: 'phoneme', audioMs: 219, textPosition: 1, length: 0, id: 'ˈoʊ' },
      { type: 'word', audioMs: 589, textPosition: 8, length: 2 },
      { type: 'phoneme', audioMs: 602, textPosition: 8, length: 0, id: 'd' },
      { type: 'phoneme', audioMs: 619, textPosition: 8, length: 0, id: 'ˈuː' },
      { type: 'word', audioMs: 736, textPosition: 11, length: 3 },
      { type: 'phoneme', audioMs: 745, textPosition: 11, length: 0, id: 'j' },
    ];
    const { words, visemes } = timingsFromEvents(text, events, 900);
    expect(words.map((w) => [w.text, w.startMs, w.endMs, w.from, w.to])).toEqual([
      ['Hello', 0, 589, 0, 5],
      ['do', 589, 736, 7, 9],
      ['you', 736, 900, 10, 13],
    ]);
    expect(visemes.map((v) => v.viseme)).toEqual(['tongue', 'open', 'tongue', 'round', 'tongue', 'pucker', 'wide', 'rest']);
    expect(visemes.at(-1)).toEqual({ viseme: 'rest', atMs: 900 });
  });

  it('counts code points for positions, so characters outside the BMP do not shift words', () => {
    const text = '😀 hi';
    const { words } = timingsFromEvents(text, [{ type: 'word', audioMs: 10, textPosition: 3, length: 2 }], 100);
    expect(words[0]?.text).toBe('hi');
  });
});

describe('timings from the audio envelope', () => {
  it('opens the mouth on loud windows, rests on silence, and spreads words over the voiced span', () => {
    const rate = 10_000;
    const samples = new Int16Array(rate); // 1 s: silence, 0.5 s tone, silence
    for (let i = 2_500; i < 7_500; i++) samples[i] = Math.round(12_000 * Math.sin(i / 3));
    const { words, visemes } = timingsFromEnvelope('one two', samples, rate);
    expect(visemes[0]?.viseme).toBe('rest');
    expect(visemes.some((v) => v.viseme === 'open')).toBe(true);
    expect(visemes.at(-1)?.viseme).toBe('rest');
    expect(words[0]?.startMs).toBeGreaterThanOrEqual(200);
    expect(words.at(-1)?.endMs).toBeLessThanOrEqual(800);
  });

  it('spreads CJK characters one by one', () => {
    expect(spreadWords('您好', 0, 100).map((w) => [w.text, w.startMs, w.endMs])).toEqual([
      ['您', 0, 50],
      ['好', 50, 100],
    ]);
  });
});

describe('sentence splitting', () => {
  it('splits at sentence ends but not inside numbers', () => {
    expect(splitSentences('You can borrow 5,000 at 7.2%. Do you agree? Yes!')).toEqual(['You can borrow 5,000 at 7.2%.', 'Do you agree?', 'Yes!']);
  });

  it('splits Chinese at full-width stops', () => {
    expect(splitSentences('您好，我是艾娃。请问您同意吗？')).toEqual(['您好，我是艾娃。', '请问您同意吗？']);
  });

  it('cuts very long sentences at commas', () => {
    const long = Array.from({ length: 20 }, (_, i) => `part number ${i}`).join(', ');
    const parts = splitSentences(long, 60);
    expect(parts.length).toBeGreaterThan(3);
    expect(parts.every((p) => p.length <= 60)).toBe(true);
    expect(parts.join(' ')).toBe(long);
  });
});
