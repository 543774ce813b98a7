/**
 * `question`: asks for a typed (or spoken, transcribed) answer, checks it against `answer`, and
 * stores the normalized value in `state.answers[stepId]`. An invalid answer says `invalid` and
 * waits again, up to `maxAttempts`, then `onFail`.
 */
import { z } from 'zod';
import { stepFields, ZLocalizedText } from '../schema.ts';
import type { InputSpec, LocalizedText } from '../types.ts';
import { checkAnswer, inputMaxLength, ZAnswerSpec } from './answer.ts';
import type { AnswerSpec } from './answer.ts';
import { DEFAULT_INVALID_DATE, DEFAULT_INVALID_NUMBER, DEFAULT_INVALID_TEXT } from './defaults.ts';
import { ask, promptFields, promptRoutes, retry, timedOut } from './prompting.ts';
import { classifyOffline } from '../../intent/offline/classify.ts';
import { answerAndAskAgain, answeringFields, answeringState } from './intent.ts';
import { rejectUnexpected } from './registry.ts';
import type { KindContext, StepKind } from './registry.ts';

export const ZQuestionStep = z.strictObject({
  ...stepFields('question'),
  ...promptFields,
  /** What a valid answer is; default `{ type: text }` (1 to 200 characters). */
  answer: ZAnswerSpec.optional(),
  placeholder: ZLocalizedText.optional(),
  hint: ZLocalizedText.optional(),
  /** Said when an answer is not valid, before waiting again. */
  invalid: ZLocalizedText.optional(),
  /** Questions the applicant asks here get approved answers (step `faq`, then the `product`'s). */
  faq: answeringFields.faq,
  product: answeringFields.product,
  noted: answeringFields.noted,
  maxQuestions: answeringFields.maxQuestions,
});
export type QuestionStep = z.infer<typeof ZQuestionStep>;

const TEXT_ANSWER: AnswerSpec = { type: 'text' };

function specOf(ctx: KindContext<QuestionStep>): AnswerSpec {
  return ctx.step.answer ?? TEXT_ANSWER;
}

function input(ctx: KindContext<QuestionStep>): InputSpec {
  const { step } = ctx;
  return {
    type: 'text',
    maxLength: inputMaxLength(specOf(ctx)),
    ...(step.placeholder === undefined ? {} : { placeholder: ctx.text(step.placeholder) }),
    ...(step.hint === undefined ? {} : { hint: ctx.text(step.hint) }),
  };
}

function invalidLine(ctx: KindContext<QuestionStep>): LocalizedText {
  if (ctx.step.invalid !== undefined) return ctx.step.invalid;
  const type = specOf(ctx).type;
  return type === 'date' ? DEFAULT_INVALID_DATE : type === 'number' ? DEFAULT_INVALID_NUMBER : DEFAULT_INVALID_TEXT;
}

export const questionKind: StepKind<QuestionStep> = {
  kind: 'question',
  schema: ZQuestionStep,
  flow: 'wait',
  routes: promptRoutes,
  enter: (ctx) => ask(ctx, input(ctx)),
  onEvent: (ctx, event) => {
    if (event.type === 'TimedOut') return timedOut(ctx, input(ctx));
    if (event.type !== 'AnswerReceived') return rejectUnexpected(event);
    const checked = event.text === undefined ? { ok: false as const } : checkAnswer(specOf(ctx), event.text);
    if (checked.ok) return { attempts: ctx.attempts + 1, answer: checked.value, goto: 'next' };
    // Not an answer but a question ("what is this for?"): answer it from approved facts and ask
    // again, without using an attempt. Only when the text is not a valid answer, so a name that
    // happens to look like a question is never swallowed.
    if (event.text !== undefined && classifyOffline({ question: ctx.text(ctx.step.text), answer: event.text, locale: ctx.locale }).label === 'question') {
      const answered = answerAndAskAgain(ctx, event.text, [ctx.text(ctx.step.text)], input(ctx), answeringState(ctx));
      if (answered) return answered;
    }
    return retry(ctx, [ctx.text(invalidLine(ctx))], input(ctx), 'no valid answer');
  },
};
