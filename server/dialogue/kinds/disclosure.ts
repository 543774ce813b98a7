/**
 * `disclosure`: a statement delivered verbatim (shown and spoken exactly as the script has it),
 * then an acknowledgement: "I have read and understood" moves on and is recorded; "I have a
 * question" (or a typed question) gets an approved answer and the acknowledgement again; a
 * "no" reads the disclosure again; anything unclear is explained and asked again, up to
 * `maxAttempts`, then `onFail`. Coercion signals route like at an `intent` step.
 */
import { z } from 'zod';
import { stepFields, ZLocalizedText } from '../schema.ts';
import type { InputSpec, LocalizedText } from '../types.ts';
import type { DefaultText } from './defaults.ts';
import {
  answerAndAskAgain,
  answeringFields,
  answeringRoutes,
  classificationOf,
  DEFAULT_MAX_QUESTIONS,
  DEFAULT_MIN_CONFIDENCE,
  noteReading,
  retryKeeping,
  routeCoercion,
  yesNoInput,
} from './intent.ts';
import { timedOut } from './prompting.ts';
import { rejectUnexpected } from './registry.ts';
import type { KindContext, KindResult, StepKind } from './registry.ts';

export const DEFAULT_ACKNOWLEDGE: DefaultText = {
  en: 'Have you read and understood this? If anything is unclear, you can ask me now.',
  'zh-CN': '请问您是否已阅读并理解以上内容？如有不清楚的地方，现在就可以向我提问。',
};
export const DEFAULT_ACK_YES: DefaultText = { en: 'I have read and understood', 'zh-CN': '我已阅读并理解' };
export const DEFAULT_ACK_QUESTION: DefaultText = { en: 'I have a question', 'zh-CN': '我有疑问' };
export const DEFAULT_ASK_YOUR_QUESTION: DefaultText = {
  en: 'Of course. Please type or say your question.',
  'zh-CN': '好的，请输入或说出您的问题。',
};
export const DEFAULT_READ_AGAIN: DefaultText = {
  en: "No problem, I'll go through it again.",
  'zh-CN': '没关系，我再为您说明一遍。',
};
export const DEFAULT_DISCLOSURE_EXPLAIN: DefaultText = {
  en: 'Before we go on, I need to know that you have read and understood this. Please confirm, or ask me your question.',
  'zh-CN': '在继续之前，我需要确认您已阅读并理解以上内容。请确认，或直接向我提问。',
};

export const ZDisclosureStep = z.strictObject({
  ...stepFields('disclosure'),
  ...answeringFields,
  /** The acknowledgement question, said after the disclosure. */
  ask: ZLocalizedText.optional(),
  /** Said before the disclosure is delivered again after a "no". */
  readAgain: ZLocalizedText.optional(),
  /** Said when the applicant presses "I have a question" without typing one. */
  askYourQuestion: ZLocalizedText.optional(),
});
export type DisclosureStep = z.infer<typeof ZDisclosureStep>;

function askLine(ctx: KindContext<DisclosureStep>): string {
  return ctx.text(ctx.step.ask ?? DEFAULT_ACKNOWLEDGE);
}

function input(ctx: KindContext<DisclosureStep>): InputSpec {
  return yesNoInput(ctx, DEFAULT_ACK_YES, DEFAULT_ACK_QUESTION);
}

/** The same step, with the acknowledgement as its question (what a timeout repeats, not the whole text). */
function asAcknowledgement(ctx: KindContext<DisclosureStep>): KindContext<DisclosureStep> {
  const ask: LocalizedText = ctx.step.ask ?? DEFAULT_ACKNOWLEDGE;
  return { ...ctx, step: { ...ctx.step, text: ask } };
}

function waitAgain(ctx: KindContext<DisclosureStep>, lines: string[], kindState: object): KindResult {
  return {
    kindState,
    commands: lines.map((text) => ({ type: 'Say', text })),
    wait: input(ctx),
    ...(ctx.step.timeoutSeconds === undefined ? {} : { timeoutMs: ctx.step.timeoutSeconds * 1000 }),
  };
}

export const disclosureKind: StepKind<DisclosureStep> = {
  kind: 'disclosure',
  classifiesAnswers: true,
  schema: ZDisclosureStep,
  flow: 'wait',
  routes: answeringRoutes,
  enter: (ctx) => waitAgain(ctx, [ctx.text(ctx.step.text), askLine(ctx)], {}),
  onEvent: (ctx, event) => {
    const { step } = ctx;
    if (event.type === 'TimedOut') return timedOut(asAcknowledgement(ctx), input(ctx));
    if (event.type !== 'AnswerReceived') return rejectUnexpected(event);
    const reading = classificationOf(ctx, event, askLine(ctx), { yes: 'affirm', no: 'question' }, 'affirm');
    const kindState = noteReading(ctx, reading);

    if (reading.coercion_signals.length > 0) return routeCoercion(ctx, reading, kindState);
    if (reading.label === 'question' && !reading.injection) {
      const typed = event.text?.trim() ?? '';
      if (typed === '') {
        // "I have a question" pressed: invite it (no attempt used, but bounded like questions).
        const asked = kindState.questions ?? 0;
        if (asked < (step.maxQuestions ?? DEFAULT_MAX_QUESTIONS)) {
          return waitAgain(ctx, [ctx.text(step.askYourQuestion ?? DEFAULT_ASK_YOUR_QUESTION)], { ...kindState, questions: asked + 1 });
        }
      } else {
        const answered = answerAndAskAgain(ctx, typed, [askLine(ctx)], input(ctx), kindState);
        if (answered !== null) return answered;
      }
    }
    const confident = reading.confidence >= (step.minConfidence ?? DEFAULT_MIN_CONFIDENCE) && !reading.injection;
    if (confident && reading.label === 'affirm') {
      const purpose = step.purpose ?? 'disclosure-acknowledged';
      return {
        attempts: ctx.attempts + 1,
        kindState,
        answer: 'acknowledged',
        consent: true,
        commands: [{ type: 'RecordConsent', purpose, granted: true }],
        goto: 'next',
      };
    }
    if (confident && reading.label === 'deny') {
      // Not understood: deliver the disclosure again, verbatim.
      const lines = [ctx.text(step.readAgain ?? DEFAULT_READ_AGAIN), ctx.text(step.text), askLine(ctx)];
      return retryKeeping(ctx, lines, input(ctx), 'disclosure not understood', kindState);
    }
    const reason = reading.injection ? 'prompt injection in the answer' : `no clear acknowledgement (${reading.label})`;
    return retryKeeping(ctx, [ctx.text(step.explain ?? DEFAULT_DISCLOSURE_EXPLAIN), askLine(ctx)], input(ctx), reason, kindState);
  },
};
