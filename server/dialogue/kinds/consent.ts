/**
 * `consent`: asks a yes/no question and records the answer as a consent for `purpose`.
 * Yes records it (and starts the recording when `purpose: recording`) and moves on; no records
 * the refusal, says `declined` and ends the session as declined; an unclear answer is asked
 * again, up to `maxAttempts`, then `onFail`. A question ("how long is the recording kept?") gets an
 * approved answer (step `faq`, then the `product`'s) or "noted for a specialist", and the
 * consent question again, without using an attempt: consent must be informed.
 */
import { z } from 'zod';
import { stepFields, ZLocalizedText } from '../schema.ts';
import type { InputSpec } from '../types.ts';
import { readYesNo } from '../yesno.ts';
import { classifyOffline } from '../../intent/offline/classify.ts';
import { answerAndAskAgain, answeringFields, answeringState } from './intent.ts';
import { DEFAULT_DECLINED, DEFAULT_NO_LABEL, DEFAULT_REASK, DEFAULT_YES_LABEL } from './defaults.ts';
import { ask, promptFields, promptRoutes, retry, timedOut } from './prompting.ts';
import { rejectUnexpected } from './registry.ts';
import type { KindContext, StepKind } from './registry.ts';

/** The purpose whose consent starts the session recording. */
export const RECORDING_PURPOSE = 'recording';

export const ZConsentStep = z.strictObject({
  ...stepFields('consent'),
  ...promptFields,
  /** What is consented to, e.g. `recording` (starts the recording) or `self-and-voluntary`. */
  purpose: z
    .string({ error: 'expected a purpose' })
    .regex(/^[a-z][a-z0-9-]*$/, { error: "expected a lowercase purpose, e.g. recording or self-and-voluntary" })
    .max(64, { error: 'a purpose is at most 64 characters' }),
  yesLabel: ZLocalizedText.optional(),
  noLabel: ZLocalizedText.optional(),
  /** Said when the applicant answers no, before the session ends as declined. */
  declined: ZLocalizedText.optional(),
  /** Said before the question is repeated after an unclear answer. */
  reask: ZLocalizedText.optional(),
  /** Approved answers to questions asked at this step, matched before the product's. */
  faq: answeringFields.faq,
  product: answeringFields.product,
  noted: answeringFields.noted,
  maxQuestions: answeringFields.maxQuestions,
});
export type ConsentStep = z.infer<typeof ZConsentStep>;

function input(ctx: KindContext<ConsentStep>): InputSpec {
  return {
    type: 'yesno',
    yesLabel: ctx.text(ctx.step.yesLabel ?? DEFAULT_YES_LABEL),
    noLabel: ctx.text(ctx.step.noLabel ?? DEFAULT_NO_LABEL),
  };
}

/** Whether an answer that is neither yes nor no asks something (the provider's reading first). */
function isQuestion(event: { text?: string; classification?: { label: string } }, ctx: KindContext<ConsentStep>): boolean {
  if (event.text === undefined) return false;
  if (event.classification) return event.classification.label === 'question';
  return classifyOffline({ question: ctx.text(ctx.step.text), answer: event.text, locale: ctx.locale }).label === 'question';
}

export const consentKind: StepKind<ConsentStep> = {
  kind: 'consent',
  classifiesAnswers: true,
  schema: ZConsentStep,
  flow: 'wait',
  routes: promptRoutes,
  enter: (ctx) => ask(ctx, input(ctx)),
  onEvent: (ctx, event) => {
    const { step } = ctx;
    if (event.type === 'TimedOut') return timedOut(ctx, input(ctx));
    if (event.type !== 'AnswerReceived') return rejectUnexpected(event);
    const answer = readYesNo(event);
    const attempts = ctx.attempts + 1;
    if (answer === 'yes') {
      return {
        attempts,
        consent: true,
        commands: [
          { type: 'RecordConsent', purpose: step.purpose, granted: true },
          ...(step.purpose === RECORDING_PURPOSE ? [{ type: 'StartRecording' as const }] : []),
        ],
        goto: 'next',
      };
    }
    if (answer === 'no') {
      return {
        attempts,
        consent: false,
        commands: [
          { type: 'RecordConsent', purpose: step.purpose, granted: false },
          { type: 'Say', text: ctx.text(step.declined ?? DEFAULT_DECLINED) },
        ],
        end: 'declined',
        reason: `${step.id}: consent to ${step.purpose} declined`,
      };
    }
    if (isQuestion(event, ctx)) {
      const answered = answerAndAskAgain(ctx, event.text ?? '', [ctx.text(step.text)], input(ctx), answeringState(ctx));
      if (answered) return answered;
    }
    return retry(ctx, [ctx.text(step.reask ?? DEFAULT_REASK), ctx.text(step.text)], input(ctx), 'no clear answer');
  },
};
