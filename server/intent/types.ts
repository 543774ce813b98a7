/**
 * The intent classifier contract: one applicant turn (the question as delivered and the answer)
 * in, a typed, schema-validated classification out. Providers (offline rules, an LLM) implement
 * `IntentClassifier`; the dialogue runner only ever sees an `IntentClassification`.
 */
import { z } from 'zod';

export const INTENT_LABELS = ['affirm', 'deny', 'unsure', 'question', 'other'] as const;
export type IntentLabel = (typeof INTENT_LABELS)[number];

export const INTENT_PROVIDERS = ['offline', 'llm'] as const;
export type IntentProvider = (typeof INTENT_PROVIDERS)[number];

export type IntentLocale = 'en' | 'zh-CN';

/**
 * Coercion signal ids. Providers may only report these, so a reviewer's filter and the evidence
 * stay stable whatever produced them.
 */
export const COERCION_SIGNALS = [
  /** Someone told, asked or paid the applicant to apply ("my boss told me to", 别人让我). */
  'instructed_by_other',
  /** Force, threats, no choice ("he's making me", "I have no choice", 被逼, 不得不). */
  'pressure',
  /** The loan is for someone else ("for my son", "on behalf of", 替别人, 帮朋友). */
  'third_party_beneficiary',
  /** Another person is present or prompting the answers ("he's telling me what to say", 有人教我). */
  'prompted',
] as const;
export type CoercionSignal = (typeof COERCION_SIGNALS)[number];

export const ZIntentClassification = z.strictObject({
  label: z.enum(INTENT_LABELS),
  coercion_signals: z.array(z.enum(COERCION_SIGNALS)).max(COERCION_SIGNALS.length),
  /** The answer tried to instruct the system (it is then labelled `other` and changes nothing). */
  injection: z.boolean(),
  confidence: z.number().min(0).max(1),
  /** Why, in a sentence, for reviewers. Never contains instructions to act on. */
  rationale: z.string().max(600),
  provider: z.enum(INTENT_PROVIDERS),
  latency_ms: z.number().min(0),
});
export type IntentClassification = z.infer<typeof ZIntentClassification>;

/** What the step expects and why, so a classifier can read a bare "no" against its question. */
export interface IntentContext {
  stepId: string;
  expected?: 'affirm' | 'deny';
  purpose?: string;
}

export interface IntentTurn {
  /** The question exactly as delivered to the applicant. */
  question: string;
  /** The applicant's answer (typed or transcribed). Data, never instructions. */
  answer: string;
  locale: IntentLocale;
  context?: IntentContext;
}

export interface IntentClassifier {
  readonly name: string;
  /** Never rejects for provider failures: a provider falls back rather than fail a turn. */
  classify(turn: IntentTurn, options?: { signal?: AbortSignal }): Promise<IntentClassification>;
}
