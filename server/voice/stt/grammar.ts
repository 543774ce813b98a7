/**
 * Grammars of expected answers (pure): which phrases a yes/no question may get, and their JSGF
 * form for pocketsphinx. A grammar-constrained recognizer is reliable on short answers where a
 * free language model is not (see FINDINGS.md "Speech").
 */
import type { InputSpec, Locale } from '../../http/protocol.ts';
import type { Grammar } from './types.ts';

const YES_NO_EN: Grammar = {
  name: 'yesno',
  phrases: {
    yes: ['yes', 'yeah', 'yep', 'yes i do', 'yes i agree', 'yes i am', 'yes please', 'i agree', 'i do', 'sure', 'correct', "that's right", 'of course', 'okay'],
    no: ['no', 'nope', 'no i do not', "no i don't", "i don't", 'i do not', 'i disagree', 'not really', 'no thanks'],
  },
};

const YES_NO_ZH: Grammar = {
  name: 'yesno',
  phrases: {
    yes: ['是', '是的', '对', '同意', '我同意', '明白', '好的', '可以'],
    no: ['不', '不是', '不对', '不同意', '我不同意', '不明白', '不可以'],
  },
};

/** The grammar for the answer a prompt awaits, or null when it needs free text (names, dates). */
export function grammarFor(input: InputSpec, locale: Locale): Grammar | null {
  if (input.type !== 'yesno') return null;
  return locale === 'zh-CN' ? YES_NO_ZH : YES_NO_EN;
}

/** JSGF source for a grammar (words must be in the recognizer's dictionary). */
export function toJsgf(grammar: Grammar): string {
  const alternatives = Object.values(grammar.phrases)
    .flat()
    .map((p) => p.toLowerCase().replace(/[^a-z' ]/g, '').replace(/\s+/g, ' ').trim())
    .filter((p, i, all) => p !== '' && all.indexOf(p) === i);
  return `#JSGF V1.0;\ngrammar ${grammar.name.replace(/[^a-z0-9_]/gi, '_')};\npublic <answer> = ${alternatives.join(' | ')};\n`;
}

/** The meaning of a phrase the grammar allows ("yes i do" -> "yes"), or null. */
export function meaningOf(grammar: Grammar, text: string): string | null {
  const normalized = text.toLowerCase().replace(/[^\p{L}' ]/gu, '').replace(/\s+/g, ' ').trim();
  for (const [meaning, phrases] of Object.entries(grammar.phrases)) {
    if (phrases.some((p) => p.toLowerCase() === normalized)) return meaning;
  }
  return null;
}
