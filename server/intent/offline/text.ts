/**
 * Text handling shared by the offline readers: normalization, splitting an answer into clauses,
 * and splitting a clause into runs of Han characters and other text. Pure functions.
 */

/** At most this many characters are read (answers are short; this bounds the work per turn). */
export const MAX_ANSWER_CHARS = 2000;

/** NFKC (full-width to ASCII), lower case, one kind of apostrophe and quote, no control characters. */
export function normalizeText(text: string): string {
  return text
    .slice(0, MAX_ANSWER_CHARS)
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[’‘`´ʼ]/g, "'")
    .replace(/[“”«»]/g, '"')
    .replace(/\p{Cf}/gu, '')
    .replace(/[\p{Cc}\s]+/gu, ' ')
    .trim();
}

export interface Clause {
  text: string;
  /** The clause ended with a question mark. */
  asked: boolean;
}

/**
 * Splits at sentence and clause punctuation (ASCII and CJK) and at contrastive conjunctions,
 * which end a negation's scope ("I don't mind, but ..."). NFKC has already turned ？ into ?.
 */
export function splitClauses(text: string): Clause[] {
  const clauses: Clause[] = [];
  const pattern = /([^.,!;:?。，、！；：…()[\]{}"「」『』【】~\n]+)([.,!;:?。，、！；：…()[\]{}"「」『』【】~\n]*)/gu;
  for (const match of text.matchAll(pattern)) {
    const body = match[1] ?? '';
    const asked = (match[2] ?? '').includes('?');
    const parts = body.split(/\s+(?:but|however|although|though)\s+|但是|可是|不过|只是/u);
    parts.forEach((part, index) => {
      const trimmed = part.trim();
      if (trimmed !== '') clauses.push({ text: trimmed, asked: asked && index === parts.length - 1 });
    });
  }
  return clauses;
}

/** Runs of Han characters and runs of everything else, in order. */
export function scriptRuns(clause: string): { han: boolean; text: string }[] {
  const runs: { han: boolean; text: string }[] = [];
  for (const part of clause.split(/(\p{Script=Han}+)/u)) {
    if (part.trim() === '') continue;
    runs.push({ han: /\p{Script=Han}/u.test(part), text: part.trim() });
  }
  return runs;
}
