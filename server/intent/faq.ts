/**
 * Answering an applicant's question from approved answers only. Offline retrieval: the question
 * and each entry's sample questions become sets of terms (English words with a light stemmer,
 * Chinese character bigrams), and an entry scores by how much of the question's weight
 * (inverse document frequency over the entries) it covers. Below `threshold` nothing is
 * answered: the question is noted for a specialist. Pure and deterministic; no term is ever
 * made up, the text returned is an approved answer verbatim.
 */
import type { IntentLocale } from './types.ts';

export interface FaqEntry {
  id: string;
  /** Sample questions (any number) per locale; all locales are matched whatever the session's. */
  questions: Partial<Record<IntentLocale, string[]>>;
  /** The approved answer per locale. */
  answer: Partial<Record<IntentLocale, string>>;
}

export type FaqAnswer =
  | { kind: 'answer'; id: string; text: string; score: number }
  | { kind: 'noted'; score: number; bestId: string | null };

export const DEFAULT_FAQ_THRESHOLD = 0.35;

const EN_STOP = new Set(
  (
    'a an the is are am was were be been do does did i me my we you your it its this that these those of to in on at for ' +
    'with by from and or but if so can could would should will shall may might must have has had what which who whom whose ' +
    'how when where why there here please tell about any some much many there just also than then ok okay yes no not ' +
    'want like know would need get us our their them they he she his her one'
  ).split(' '),
);
const ZH_FILLER = /[的了吗呢吧啊呀哦嘛我您你是请问就还也都很这那个]/gu;

function stem(word: string): string {
  if (word.length > 5 && word.endsWith('ing')) return word.slice(0, -3);
  if (word.length > 4 && word.endsWith('ed')) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

/** The terms of a text: stemmed English content words and Chinese character bigrams (or single characters). */
export function faqTerms(text: string): Set<string> {
  const terms = new Set<string>();
  const normalized = text.normalize('NFKC').toLowerCase().replace(/[’']/g, '');
  for (const word of normalized.match(/[a-z0-9]+/g) ?? []) {
    if (!EN_STOP.has(word)) terms.add(stem(word));
  }
  for (const run of normalized.match(/\p{Script=Han}+/gu) ?? []) {
    const chars = [...run.replace(ZH_FILLER, '')];
    if (chars.length === 1) terms.add(chars[0] ?? '');
    for (let index = 0; index + 1 < chars.length; index += 1) terms.add(`${chars[index]}${chars[index + 1]}`);
  }
  terms.delete('');
  return terms;
}

export interface FaqIndex {
  entries: FaqEntry[];
  terms: Set<string>[];
  idf: Map<string, number>;
  unknownIdf: number;
}

export function indexFaq(entries: FaqEntry[]): FaqIndex {
  const terms = entries.map((entry) => {
    const set = new Set<string>();
    for (const list of Object.values(entry.questions)) for (const question of list ?? []) for (const term of faqTerms(question)) set.add(term);
    return set;
  });
  const df = new Map<string, number>();
  for (const set of terms) for (const term of set) df.set(term, (df.get(term) ?? 0) + 1);
  const n = Math.max(1, entries.length);
  const idf = new Map([...df.entries()].map(([term, count]) => [term, Math.log(1 + n / count)]));
  return { entries, terms, idf, unknownIdf: Math.log(1 + n) };
}

/** The best approved answer to `question` in `locale`, or a note that a specialist will answer. */
export function answerFromFaq(
  question: string,
  index: FaqIndex,
  locale: IntentLocale,
  threshold = DEFAULT_FAQ_THRESHOLD,
): FaqAnswer {
  const query = faqTerms(question);
  let total = 0;
  for (const term of query) total += index.idf.get(term) ?? index.unknownIdf;
  let best: { at: number; score: number } | null = null;
  if (total > 0) {
    index.terms.forEach((terms, at) => {
      let covered = 0;
      for (const term of query) if (terms.has(term)) covered += index.idf.get(term) ?? 0;
      const score = covered / total;
      if (best === null || score > best.score) best = { at, score };
    });
  }
  const found = best as { at: number; score: number } | null;
  const entry = found === null ? undefined : index.entries[found.at];
  const score = found === null ? 0 : Math.round(found.score * 1000) / 1000;
  const text = entry?.answer[locale] ?? Object.values(entry?.answer ?? {}).find((value) => value !== undefined);
  if (entry === undefined || text === undefined || score < threshold) return { kind: 'noted', score, bestId: entry?.id ?? null };
  return { kind: 'answer', id: entry.id, text, score };
}
