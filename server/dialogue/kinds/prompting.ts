/**
 * What kinds that ask the applicant something (consent, question) share: asking, bounded
 * retries, a single re-prompt after a timeout, and routing to `onFail` or to human review.
 */
import type { z } from 'zod';
import { ZLocalizedText, ZMaxAttempts, ZStepId, ZTimeoutSeconds } from '../schema.ts';
import type { BaseStep, InputSpec, LocalizedText } from '../types.ts';
import { DEFAULT_HANDOFF, DEFAULT_REPROMPT } from './defaults.ts';
import type { KindContext, KindResult, StepRoute } from './registry.ts';

export const DEFAULT_MAX_ATTEMPTS = 3;

/** Fields of every asking step; spread into the kind's `z.strictObject({...})`. */
export const promptFields = {
  /** The question, said on enter and again after a timeout. */
  text: ZLocalizedText,
  maxAttempts: ZMaxAttempts.optional(),
  timeoutSeconds: ZTimeoutSeconds.optional(),
  /** Said before the question is repeated after a timeout. */
  reprompt: ZLocalizedText.optional(),
  /** Step to go to when attempts run out; default: end the session for human review. */
  onFail: ZStepId.optional(),
};

export type PromptStep = BaseStep & z.infer<z.ZodObject<typeof promptFields>>;

interface PromptState {
  timedOut?: boolean;
  /** Why the step gave up and took `onFail`. */
  failed?: string;
}

function timeoutOf(step: PromptStep): { timeoutMs?: number } {
  return step.timeoutSeconds === undefined ? {} : { timeoutMs: step.timeoutSeconds * 1000 };
}

export function promptRoutes(step: PromptStep): StepRoute[] {
  return step.onFail === undefined ? [] : [{ path: ['onFail'], stepId: step.onFail }];
}

/** Says the question and waits for `input`. */
export function ask(ctx: KindContext<PromptStep>, input: InputSpec): KindResult {
  return { commands: [{ type: 'Say', text: ctx.text(ctx.step.text) }], wait: input, ...timeoutOf(ctx.step) };
}

/** Attempts are used up: go to `onFail`, or hand over to human review. */
export function fail(ctx: KindContext<PromptStep>, reason: string, attempts: number): KindResult {
  // The reason stays with the step's kind data, so a reviewer sees why the route was taken.
  if (ctx.step.onFail !== undefined) {
    return { attempts, kindState: { ...(ctx.kindState as PromptState), failed: reason }, goto: ctx.step.onFail };
  }
  return {
    attempts,
    commands: [{ type: 'Say', text: ctx.text(DEFAULT_HANDOFF) }],
    end: 'review',
    reason: `${ctx.step.id}: ${reason}`,
  };
}

/** `fail` for kinds with their own step data: keeps that data, with why the step gave up. */
export function failKeeping(ctx: KindContext<BaseStep & { onFail?: string }>, state: object, reason: string, attempts: number): KindResult {
  // `fail` reads only the step's id, onFail and the session's language.
  const result = fail({ ...ctx, kindState: state } as unknown as KindContext<PromptStep>, reason, attempts);
  return { ...result, kindState: { ...state, failed: reason } };
}

/** The answer was not usable: say `lines` and wait again, unless that was the last attempt. */
export function retry(ctx: KindContext<PromptStep>, lines: string[], input: InputSpec, reason: string): KindResult {
  const attempts = ctx.attempts + 1;
  const max = ctx.step.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (attempts >= max) return fail(ctx, `${reason} after ${attempts} attempts`, attempts);
  return {
    attempts,
    commands: lines.map((text) => ({ type: 'Say', text })),
    wait: input,
    ...timeoutOf(ctx.step),
  };
}

/** The step's timer fired: re-prompt once (an attempt), the second time give up. */
export function timedOut(ctx: KindContext<PromptStep>, input: InputSpec): KindResult {
  const attempts = ctx.attempts + 1;
  const max = ctx.step.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const state = (ctx.kindState ?? {}) as PromptState;
  if (state.timedOut === true || attempts >= max) return fail(ctx, 'no answer in time', attempts);
  const reprompt: LocalizedText = ctx.step.reprompt ?? DEFAULT_REPROMPT;
  return {
    attempts,
    kindState: { ...state, timedOut: true } satisfies PromptState,
    commands: [
      { type: 'Say', text: ctx.text(reprompt) },
      { type: 'Say', text: ctx.text(ctx.step.text) },
    ],
    wait: input,
    ...timeoutOf(ctx.step),
  };
}
