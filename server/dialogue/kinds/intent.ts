/**
 * `intent`: a question with an expected answer (`expect: affirm | deny`), e.g. "Are you applying
 * for yourself and of your own free will?". The answer is classified; the step moves on only
 * on the expected label with enough confidence. Otherwise:
 *
 * - any coercion signal -> `onCoercion`, else the session ends for human review (signals kept);
 * - a question -> the approved answer (step `faq`, then the `product`'s FAQ) or "noted for a
 *   specialist", then the question again (bounded by `maxQuestions`; uses no attempt);
 * - a confident opposite answer -> `onMismatch` when the script names one;
 * - unsure, other (incl. prompt injection), low confidence or a mismatch -> `explain`, then the
 *   question again, up to `maxAttempts`, then `onFail` (default: end for review).
 *
 * The classification comes on the event (`AnswerReceived.classification`, set by the session's
 * provider and validated here). Without it the step classifies with the offline rules: they are
 * pure and synchronous (no clock, no IO, no randomness), so calling them inside the reducer keeps
 * it deterministic, and replaying the stored events gives the same transitions.
 */
import { z } from 'zod';
import { answerFromFaq, indexFaq } from '../../intent/faq.ts';
import type { FaqEntry } from '../../intent/faq.ts';
import { classifyOffline } from '../../intent/offline/classify.ts';
import { getProduct } from '../../intent/products.ts';
import { ZIntentClassification } from '../../intent/types.ts';
import type { IntentClassification, IntentLabel } from '../../intent/types.ts';
import { stepFields, ZLocalizedText, ZStepId } from '../schema.ts';
import type { InputSpec, LocalizedText } from '../types.ts';
import type { DefaultText } from './defaults.ts';
import { DEFAULT_HANDOFF, DEFAULT_NO_LABEL, DEFAULT_YES_LABEL } from './defaults.ts';
import { promptFields, promptRoutes, retry, timedOut } from './prompting.ts';
import type { PromptStep } from './prompting.ts';
import { rejectUnexpected } from './registry.ts';
import type { KindCommand, KindContext, KindResult, StepEvent, StepKind, StepRoute } from './registry.ts';

export const DEFAULT_MIN_CONFIDENCE = 0.7;
export const DEFAULT_MAX_QUESTIONS = 3;

export const DEFAULT_EXPLAIN: DefaultText = {
  en: 'I need a clear answer to this question before we can go on. Please answer yes or no, or ask me if anything is unclear.',
  'zh-CN': '在继续之前，这个问题需要您明确回答。请回答“是”或“否”；如有不清楚的地方，也可以向我提问。',
};
export const DEFAULT_NOTED: DefaultText = {
  en: "That's a good question. I can't answer it here, so I've noted it for a specialist, who will reply before anything is final.",
  'zh-CN': '这是个好问题。我无法在这里回答，已为您记录下来，专员会在办理完成前给您答复。',
};
export const DEFAULT_COERCION_HANDOFF: DefaultText = DEFAULT_HANDOFF;

const ZFaqEntry = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9_-]*$/, { error: "expected an id: lowercase letters, digits, '-' or '_'" }),
  questions: z.strictObject({
    en: z.array(z.string().trim().min(1).max(500)).min(1).optional(),
    'zh-CN': z.array(z.string().trim().min(1).max(500)).min(1).optional(),
  }),
  answer: ZLocalizedText,
});

/** Fields shared by `intent` and `disclosure`. */
export const answeringFields = {
  ...promptFields,
  yesLabel: ZLocalizedText.optional(),
  noLabel: ZLocalizedText.optional(),
  /** Said after an unclear or unexpected answer, before the question is asked again. */
  explain: ZLocalizedText.optional(),
  /** Step to go to when the answer shows someone else is behind it; default: end for review. */
  onCoercion: ZStepId.optional(),
  /** The expected label counts only at or above this confidence (default 0.7). */
  minConfidence: z.number({ error: 'expected a number from 0 to 1' }).min(0).max(1).optional(),
  /** Questions answered at this step before further ones count as unclear answers (default 3). */
  maxQuestions: z.int({ error: 'expected a number from 0 to 10' }).min(0).max(10).optional(),
  /** Approved answers for this step, matched before the product's. */
  faq: z.array(ZFaqEntry).max(50).optional(),
  /** A product in prompts/products/ whose approved FAQ answers questions here. */
  product: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { error: 'expected a product id' }).optional(),
  /** Said when no approved answer matches a question. */
  noted: ZLocalizedText.optional(),
  /** What is confirmed, recorded like a consent (e.g. `self-and-voluntary`). */
  purpose: z
    .string({ error: 'expected a purpose' })
    .regex(/^[a-z][a-z0-9-]*$/, { error: 'expected a lowercase purpose, e.g. self-and-voluntary' })
    .max(64)
    .optional(),
};

export const ZIntentStep = z.strictObject({
  ...stepFields('intent'),
  ...answeringFields,
  /** The answer that lets the session go on. */
  expect: z.enum(['affirm', 'deny'], { error: 'expected affirm or deny' }),
  /** Step to go to at once on a confident opposite answer (e.g. an `end` step that declines). */
  onMismatch: ZStepId.optional(),
});
export type IntentStep = z.infer<typeof ZIntentStep>;

type AnsweringStep = PromptStep & {
  yesLabel?: LocalizedText;
  noLabel?: LocalizedText;
  explain?: LocalizedText;
  onCoercion?: string;
  minConfidence?: number;
  maxQuestions?: number;
  faq?: FaqEntry[];
  product?: string;
  noted?: LocalizedText;
  purpose?: string;
};

/** What the step keeps for reviewers (besides the per-turn evidence stored with each event). */
export interface AnsweringState {
  timedOut?: boolean;
  failed?: string;
  questions?: number;
  coercion?: string[];
  injections?: number;
  last?: { label: IntentLabel; confidence: number; provider: string };
}

export function answeringState(ctx: KindContext): AnsweringState {
  return (ctx.kindState ?? {}) as AnsweringState;
}

export function answeringRoutes(step: AnsweringStep & { onMismatch?: string }): StepRoute[] {
  const routes = promptRoutes(step);
  if (step.onCoercion !== undefined) routes.push({ path: ['onCoercion'], stepId: step.onCoercion });
  if (step.onMismatch !== undefined) routes.push({ path: ['onMismatch'], stepId: step.onMismatch });
  return routes;
}

export function yesNoInput(ctx: KindContext<AnsweringStep>, yes: LocalizedText = DEFAULT_YES_LABEL, no: LocalizedText = DEFAULT_NO_LABEL): InputSpec {
  return { type: 'yesno', yesLabel: ctx.text(ctx.step.yesLabel ?? yes), noLabel: ctx.text(ctx.step.noLabel ?? no) };
}

type Answer = Extract<StepEvent, { type: 'AnswerReceived' }>;

function button(label: IntentLabel, choice: string): IntentClassification {
  return {
    label,
    coercion_signals: [],
    injection: false,
    confidence: 1,
    rationale: `button: ${choice}`,
    provider: 'offline',
    latency_ms: 0,
  };
}

/**
 * The reading of an answer: a button press without text as pressed; else the validated
 * classification on the event; else the offline rules on the text (latency 0: no clock here).
 */
export function classificationOf(
  ctx: KindContext<AnsweringStep>,
  event: Answer,
  question: string,
  buttons: { yes: IntentLabel; no: IntentLabel },
  expected?: 'affirm' | 'deny',
): IntentClassification {
  const text = event.text?.trim() ?? '';
  const choice = event.choice?.trim().toLowerCase();
  if (text === '' && (choice === 'yes' || choice === 'no')) return button(buttons[choice], choice);
  if (event.classification !== undefined) {
    const supplied = ZIntentClassification.safeParse(event.classification);
    if (supplied.success) return supplied.data;
  }
  const answer = text !== '' ? text : (event.choice ?? '');
  const offline = classifyOffline({
    question,
    answer,
    locale: ctx.locale,
    context: { stepId: ctx.step.id, ...(expected === undefined ? {} : { expected }), ...(ctx.step.purpose === undefined ? {} : { purpose: ctx.step.purpose }) },
  });
  const note = event.classification === undefined ? '' : ' (supplied classification was invalid)';
  return { ...offline, rationale: `${offline.rationale}${note}`, provider: 'offline', latency_ms: 0 };
}

/** The kind data after reading `reading` (signals and injections accumulate). */
export function noteReading(ctx: KindContext, reading: IntentClassification): AnsweringState {
  const state = answeringState(ctx);
  const coercion = [...new Set([...(state.coercion ?? []), ...reading.coercion_signals])].sort();
  return {
    ...state,
    ...(coercion.length > 0 ? { coercion } : {}),
    ...(reading.injection ? { injections: (state.injections ?? 0) + 1 } : {}),
    last: { label: reading.label, confidence: reading.confidence, provider: reading.provider },
  };
}

/** Someone else is behind the answer: route to `onCoercion` or end for review, keeping the signals. */
export function routeCoercion(ctx: KindContext<AnsweringStep>, reading: IntentClassification, kindState: AnsweringState): KindResult {
  const attempts = ctx.attempts + 1;
  const reason = `coercion signals: ${reading.coercion_signals.join(', ')}`;
  if (ctx.step.onCoercion !== undefined) {
    return { attempts, kindState: { ...kindState, failed: reason }, goto: ctx.step.onCoercion };
  }
  return {
    attempts,
    kindState: { ...kindState, failed: reason },
    commands: [{ type: 'Say', text: ctx.text(DEFAULT_COERCION_HANDOFF) }],
    end: 'review',
    reason: `${ctx.step.id}: ${reason}`,
  };
}

/** The approved answer to the applicant's question, or the "noted for a specialist" line. */
export function answerQuestion(ctx: KindContext<AnsweringStep>, question: string): string {
  const entries: FaqEntry[] = [...(ctx.step.faq ?? [])];
  const product = ctx.step.product === undefined ? undefined : getProduct(ctx.step.product);
  if (product !== undefined) entries.push(...product.faq);
  const found = entries.length === 0 ? null : answerFromFaq(question, indexFaq(entries), ctx.locale);
  if (found !== null && found.kind === 'answer') return found.text;
  return ctx.text(ctx.step.noted ?? DEFAULT_NOTED);
}

/**
 * A question at a step: answer it and ask again (no attempt used), while questions remain.
 * Returns null when the step has answered `maxQuestions` already.
 */
export function answerAndAskAgain(
  ctx: KindContext<AnsweringStep>,
  question: string,
  askAgain: string[],
  input: InputSpec,
  kindState: AnsweringState,
): KindResult | null {
  const asked = kindState.questions ?? 0;
  if (asked >= (ctx.step.maxQuestions ?? DEFAULT_MAX_QUESTIONS)) return null;
  // The approved answer is not binding text: a configured LLM may word it for this question.
  const commands: KindCommand[] = [
    { type: 'Say', text: answerQuestion(ctx, question), rephrase: { question } },
    ...askAgain.map((text) => ({ type: 'Say' as const, text })),
  ];
  return {
    kindState: { ...kindState, questions: asked + 1 },
    commands,
    wait: input,
    ...(ctx.step.timeoutSeconds === undefined ? {} : { timeoutMs: ctx.step.timeoutSeconds * 1000 }),
  };
}

/** `retry` from prompting, keeping this step's kind data. */
export function retryKeeping(ctx: KindContext<AnsweringStep>, lines: string[], input: InputSpec, reason: string, kindState: AnsweringState): KindResult {
  const result = retry({ ...ctx, kindState }, lines, input, reason);
  return result.kindState === undefined ? { ...result, kindState } : result;
}

function describe(reading: IntentClassification, expect: IntentLabel): string {
  if (reading.injection) return 'prompt injection in the answer';
  if (reading.label === expect) return `${reading.label} with low confidence (${reading.confidence})`;
  return reading.label === 'affirm' || reading.label === 'deny' ? `unexpected answer (${reading.label})` : `no clear answer (${reading.label})`;
}

function input(ctx: KindContext<IntentStep>): InputSpec {
  return yesNoInput(ctx);
}

export const intentKind: StepKind<IntentStep> = {
  kind: 'intent',
  classifiesAnswers: true,
  schema: ZIntentStep,
  flow: 'wait',
  routes: answeringRoutes,
  enter: (ctx) => ({
    commands: [{ type: 'Say', text: ctx.text(ctx.step.text) }],
    wait: input(ctx),
    ...(ctx.step.timeoutSeconds === undefined ? {} : { timeoutMs: ctx.step.timeoutSeconds * 1000 }),
  }),
  onEvent: (ctx, event) => {
    const { step } = ctx;
    if (event.type === 'TimedOut') return timedOut(ctx, input(ctx));
    if (event.type !== 'AnswerReceived') return rejectUnexpected(event);
    const question = ctx.text(step.text);
    const reading = classificationOf(ctx, event, question, { yes: 'affirm', no: 'deny' }, step.expect);
    const kindState = noteReading(ctx, reading);

    if (reading.coercion_signals.length > 0) return routeCoercion(ctx, reading, kindState);
    if (reading.label === 'question' && !reading.injection) {
      const answered = answerAndAskAgain(ctx, event.text ?? '', [question], input(ctx), kindState);
      if (answered !== null) return answered;
    }
    const confident = reading.confidence >= (step.minConfidence ?? DEFAULT_MIN_CONFIDENCE) && !reading.injection;
    if (confident && reading.label === step.expect) {
      return {
        attempts: ctx.attempts + 1,
        kindState,
        answer: reading.label,
        ...(step.purpose === undefined
          ? {}
          : { consent: true, commands: [{ type: 'RecordConsent', purpose: step.purpose, granted: true }] }),
        goto: 'next',
      };
    }
    const opposite = step.expect === 'affirm' ? 'deny' : 'affirm';
    if (confident && reading.label === opposite && step.onMismatch !== undefined) {
      return {
        attempts: ctx.attempts + 1,
        kindState: { ...kindState, failed: `unexpected answer (${reading.label})` },
        answer: reading.label,
        ...(step.purpose === undefined
          ? {}
          : { consent: false, commands: [{ type: 'RecordConsent', purpose: step.purpose, granted: false }] }),
        goto: step.onMismatch,
      };
    }
    return retryKeeping(ctx, [ctx.text(step.explain ?? DEFAULT_EXPLAIN), question], input(ctx), describe(reading, step.expect), kindState);
  },
};
