/**
 * Intent: classifying an applicant's answer (affirm / deny / unsure / question / other, plus
 * coercion and prompt-injection signals), offline or with an LLM, and answering questions from
 * approved product facts.
 */
export { createIntentClassifier, INTENT_PROMPT_FILE, intentOptionsFromEnv, ZIntentClassifierOptions } from './factory.ts';
export type { IntentClassifierOptions } from './factory.ts';
export { classifyOffline, classifyOfflineTimed, createOfflineClassifier } from './offline/index.ts';
export type { OfflineResult } from './offline/index.ts';
export { createLlmClassifier, LLM_REPLY_JSON_SCHEMA, mergeWithOffline, ZLlmReply } from './llm/provider.ts';
export type { LlmIntentOptions, LlmReply } from './llm/provider.ts';
export { answerFromFaq, DEFAULT_FAQ_THRESHOLD, faqTerms, indexFaq } from './faq.ts';
export type { FaqAnswer, FaqEntry, FaqIndex } from './faq.ts';
export { getProduct, loadProductsFromDir, parseProduct, ProductError, registerProducts, ZProductFile } from './products.ts';
export type { Product } from './products.ts';
export { COERCION_SIGNALS, INTENT_LABELS, INTENT_PROVIDERS, ZIntentClassification } from './types.ts';
export type {
  CoercionSignal,
  IntentClassification,
  IntentClassifier,
  IntentContext,
  IntentLabel,
  IntentLocale,
  IntentProvider,
  IntentTurn,
} from './types.ts';
