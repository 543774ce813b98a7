import { describe, expect, it } from 'vitest';
import { grammarFor, meaningOf, toJsgf } from './grammar.ts';
import { parsePocketsphinx } from './pocketsphinx.ts';

describe('answer grammars', () => {
  it('has a yes/no grammar for yes/no prompts and none for free text', () => {
    expect(grammarFor({ type: 'yesno', yesLabel: 'Yes', noLabel: 'No' }, 'en')?.name).toBe('yesno');
    expect(grammarFor({ type: 'text', maxLength: 100 }, 'en')).toBeNull();
  });

  it('writes JSGF with every phrase once, lowercase, no punctuation', () => {
    const jsgf = toJsgf(grammarFor({ type: 'yesno', yesLabel: 'Yes', noLabel: 'No' }, 'en')!);
    expect(jsgf.startsWith('#JSGF V1.0;\ngrammar yesno;\npublic <answer> = ')).toBe(true);
    expect(jsgf).toContain('| i agree |');
    expect(jsgf).toContain("no i don't");
    const alternatives = jsgf.split('=')[1] as string;
    expect(alternatives.replace(/;\n$/, '')).not.toMatch(/[A-Z.,!?;]/);
    expect(alternatives.split('|').length).toBe(new Set(alternatives.split('|').map((a) => a.trim())).size);
  });

  it('gives the meaning of a phrase it allows', () => {
    const grammar = grammarFor({ type: 'yesno', yesLabel: 'Yes', noLabel: 'No' }, 'en')!;
    expect(meaningOf(grammar, 'Yes, I do.')).toBe('yes');
    expect(meaningOf(grammar, 'nope')).toBe('no');
    expect(meaningOf(grammar, 'banana')).toBeNull();
  });
});

describe('pocketsphinx output', () => {
  it('reads the words with their times, leaving out silence and fillers', () => {
    const out = 'yes i do\n<sil> 0.000 0.420 1.000000\nyes 0.430 0.700 1.000000\ni 0.700 0.800 1.000000\ndo(2) 0.800 0.940 1.000000\n[NOISE] 0.94 0.99 1.0\n';
    expect(parsePocketsphinx(out)).toEqual({
      text: 'yes i do',
      words: [
        { text: 'yes', startMs: 430, endMs: 700 },
        { text: 'i', startMs: 700, endMs: 800 },
        { text: 'do', startMs: 800, endMs: 940 },
      ],
    });
  });

  it('drops a word too short to be speech (noise forced into the grammar)', () => {
    expect(parsePocketsphinx('no\n<sil> 0.000 0.860 1.000000\nno 0.870 0.940 1.000000\n')).toEqual({ text: '', words: [] });
  });
});

describe('grammar dictionary', () => {
  it('keeps every pronunciation of the grammar words and nothing else', async () => {
    const { dictionaryFor } = await import('./pocketsphinx.ts');
    const full = 'yes Y EH S\nyeah Y AE\nno N OW\nnod N AA D\ndon\'t D OW N T\ndon\'t(2) D OW N\n';
    expect(dictionaryFor(full, new Set(['yes', 'no', "don't"]))).toBe("yes Y EH S\nno N OW\ndon't D OW N T\ndon't(2) D OW N\n");
  });
});
