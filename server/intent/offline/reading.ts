/**
 * What the English and Chinese readers report for one clause, and the negation-scope rules they
 * share. A reader turns a clause into a list of `Mark`s (its lexicon decides which words are
 * what); `readMarks` applies negation: a negator flips the next polarity word in the clause, two
 * negators cancel ("I don't disagree", 不是不同意: double negation, an affirmation read with less
 * confidence), and a negator with nothing after it is a "no" ("certainly not", 不).
 */

export type Mark =
  | 'affirm'
  /** Counts only when the clause has no other polarity (是, "do", "really"). */
  | 'weak'
  | 'deny'
  | 'negator'
  /** A hedge: maybe, not sure, 也许, 不确定. */
  | 'hedge'
  /** A mild hedge that only softens an explicit yes or no: "I think so", 应该是. */
  | 'mild'
  /** Choosing between options without committing: either, both, 都行. */
  | 'choice'
  /** "I don't understand", 不明白: a "no" to "do you understand", else a request to explain. */
  | 'not_understood'
  | 'question'
  /** A masked coercion cue: it ends a negation's scope and is not a polarity word. */
  | 'cue';

export interface ClauseReading {
  affirm: number;
  deny: number;
  /** Polarity read only from weak words or a bare negation. */
  weakOnly: boolean;
  doubleNegation: boolean;
  hedge: boolean;
  mild: boolean;
  choice: boolean;
  notUnderstood: boolean;
  /** A question word or form that asks something (not embedded under a hedge). */
  question: boolean;
}

export function emptyReading(): ClauseReading {
  return {
    affirm: 0,
    deny: 0,
    weakOnly: false,
    doubleNegation: false,
    hedge: false,
    mild: false,
    choice: false,
    notUnderstood: false,
    question: false,
  };
}

export function readMarks(marks: Mark[]): ClauseReading {
  const reading = emptyReading();
  let pending = 0;
  let weak = false;
  let negators = 0;
  let strong = 0;
  let cue = false;
  for (const mark of marks) {
    switch (mark) {
      case 'negator':
        pending += 1;
        negators += 1;
        break;
      case 'affirm':
      case 'deny': {
        const positive = mark === 'affirm';
        if (pending >= 2 || (pending === 1 && !positive)) reading.doubleNegation = true;
        const flips = pending % 2 === 1;
        if (positive !== flips) reading.affirm += 1;
        else reading.deny += 1;
        strong += 1;
        pending = 0;
        break;
      }
      case 'weak':
        weak = true;
        break;
      case 'not_understood':
        if (pending % 2 === 1) {
          reading.affirm += 1;
          reading.doubleNegation = true;
          strong += 1;
        } else {
          reading.notUnderstood = true;
        }
        pending = 0;
        break;
      case 'cue':
        cue = true;
        pending = 0;
        break;
      case 'hedge':
        if (pending % 2 === 1) {
          reading.deny += 1; // "not possible", 不可能: a negated hedge is a no
          strong += 1;
        } else {
          reading.hedge = true;
        }
        pending = 0;
        break;
      case 'mild':
        reading.mild = true;
        break;
      case 'choice':
        reading.choice = true;
        break;
      case 'question':
        // A question word after a hedge or "don't understand" is embedded: "I don't know what to say".
        if (!reading.hedge && !reading.notUnderstood) reading.question = true;
        break;
    }
  }
  if (strong === 0 && !cue && !reading.hedge) {
    if (weak) {
      // Only weak words: any negation makes it a no (当然不是, 不是不是, "really not").
      if (negators > 0) reading.deny += 1;
      else reading.affirm += 1;
      reading.weakOnly = true;
    } else if (pending > 0) {
      reading.deny += 1; // "not really", "I'm not", 没有
      reading.weakOnly = true;
    }
  } else if (pending > 0 && strong > 0 && !cue) {
    // "absolutely not" is read by the intensifier rule; here: "yes ... not" ends with a bare negation.
    reading.deny += 1;
  }
  return reading;
}
