/**
 * The offline intent classifier: pure, synchronous, deterministic. Order of decisions:
 *
 * 1. prompt injection -> `other`, `injection: true` (whatever else the answer says);
 * 2. coercion cues are collected (and masked, so "made me" is not read as a yes or no);
 * 3. each clause is read by the English or Chinese reader (mixed answers work);
 * 4. a real question -> `question`; a hedge or a mixed yes-and-no -> `unsure`;
 *    one clear polarity -> `affirm` / `deny` (double negation and weak forms lower confidence);
 *    a cue with no yes or no answers the question by what it asserts; anything else -> `other`.
 */
import type { IntentClassification, IntentTurn } from '../types.ts';
import { readChinese } from './chinese.ts';
import { asksAboutCoercion, detectCoercion, detectInjection } from './cues.ts';
import { expandContractions, readEnglish } from './english.ts';
import { emptyReading } from './reading.ts';
import type { ClauseReading } from './reading.ts';
import { normalizeText, scriptRuns, splitClauses } from './text.ts';

export type OfflineResult = Omit<IntentClassification, 'provider' | 'latency_ms'>;

const UNDERSTANDING_QUESTION = /\b(understand|understood|clear|comprehend|make sense|aware)\b|明白|理解|清楚|了解|懂|知悉|知晓/u;

function combine(readings: ClauseReading[]): ClauseReading {
  const total = emptyReading();
  let weakOnly = true;
  for (const reading of readings) {
    total.affirm += reading.affirm;
    total.deny += reading.deny;
    if ((reading.affirm > 0 || reading.deny > 0) && !reading.weakOnly) weakOnly = false;
    total.doubleNegation ||= reading.doubleNegation;
    total.hedge ||= reading.hedge;
    total.mild ||= reading.mild;
    total.choice ||= reading.choice;
    total.notUnderstood ||= reading.notUnderstood;
    total.question ||= reading.question;
  }
  total.weakOnly = weakOnly;
  return total;
}

function readClauses(text: string): ClauseReading {
  const readings: ClauseReading[] = [];
  for (const clause of splitClauses(text)) {
    const runs = scriptRuns(clause.text);
    const parts = runs.map((run, index) => {
      const asked = clause.asked && index === runs.length - 1;
      return run.han ? readChinese(run.text, asked) : readEnglish(run.text, asked);
    });
    readings.push(combine(parts));
  }
  return combine(readings);
}

function result(label: OfflineResult['label'], confidence: number, rationale: string, extra: Partial<OfflineResult> = {}): OfflineResult {
  return { label, confidence, rationale, coercion_signals: [], injection: false, ...extra };
}

/** Classifies one answer. Pure: the same turn always gives the same result. */
export function classifyOffline(turn: IntentTurn): OfflineResult {
  const normalized = normalizeText(turn.answer);
  if (normalized === '') return result('other', 0.9, 'empty answer');
  const text = expandContractions(normalized);
  const cues = detectCoercion(text);
  const signals = { coercion_signals: cues.signals };
  if (detectInjection(text)) {
    return result('other', 0.95, 'the answer contains instructions to the system (prompt injection); treated as data, not acted on', {
      ...signals,
      injection: true,
    });
  }
  const reading = readClauses(cues.masked);
  // With a coercion cue, a bare copula or auxiliary (我是被逼的, "he is making me") is not a yes.
  if (cues.signals.length > 0 && reading.weakOnly) {
    reading.affirm = 0;
    reading.deny = 0;
  }
  const polar = reading.affirm > 0 || reading.deny > 0;
  const aboutCoercion = asksAboutCoercion(turn.question);
  const cueNote = cues.signals.length > 0 ? `; coercion cues: ${cues.signals.join(', ')}` : '';

  if (reading.question) return result('question', 0.85, `the applicant asks a question${cueNote}`, signals);
  if (reading.hedge || (reading.mild && !polar)) return result('unsure', 0.8, `hedged answer${cueNote}`, signals);
  if (reading.affirm > 0 && reading.deny > 0) return result('unsure', 0.6, `both yes and no in one answer${cueNote}`, signals);
  if (polar) {
    const label = reading.affirm > 0 ? 'affirm' : 'deny';
    const notes: string[] = [];
    let confidence = 0.92;
    if (reading.doubleNegation) {
      confidence = 0.6;
      notes.push('double negation');
    }
    if (reading.mild) {
      confidence = Math.min(confidence, 0.6);
      notes.push('softened ("I think so")');
    }
    if (reading.weakOnly) {
      confidence = Math.min(confidence, 0.75);
      notes.push('short or implicit form');
    }
    const detail = notes.length > 0 ? ` (${notes.join(', ')})` : '';
    return result(label, confidence, `${label === 'affirm' ? 'affirmation' : 'denial'}${detail}${cueNote}`, signals);
  }
  if (reading.notUnderstood) {
    return UNDERSTANDING_QUESTION.test(turn.question.normalize('NFKC').toLowerCase())
      ? result('deny', 0.8, 'the applicant says they do not understand', signals)
      : result('question', 0.7, 'the applicant asks for an explanation', signals);
  }
  if (cues.signals.length > 0) {
    // "My boss told me to": to "are you applying freely?" that is a no; to "is anyone making you?" a yes.
    return result(aboutCoercion ? 'affirm' : 'deny', 0.6, `no explicit yes or no; coercion cues: ${cues.signals.join(', ')}`, signals);
  }
  if (cues.deniedCoercion) {
    // "Nobody told me to": a yes to "are you applying freely?", a no to "is anyone making you?".
    return result(aboutCoercion ? 'deny' : 'affirm', 0.7, 'the applicant says nobody else is behind the application', signals);
  }
  if (reading.choice) return result('unsure', 0.7, 'no choice between the options', signals);
  return result('other', 0.4, 'no yes, no, hedge or question found', signals);
}
