/** `end`: says a closing line and ends the session with the step's outcome. */
import { z } from 'zod';
import { ZLocalizedText, ZStepId } from '../schema.ts';
import { rejectUnexpected } from './registry.ts';
import type { StepKind } from './registry.ts';

export const ZEndStep = z.strictObject({
  id: ZStepId,
  kind: z.literal('end'),
  outcome: z.enum(['completed', 'declined', 'review'], { error: 'expected completed, declined or review' }),
  text: ZLocalizedText.optional(),
  /** Why the session ends here, for reviewers (default: "<outcome> at <step id>"). */
  reason: z.string({ error: 'expected text' }).trim().min(1).max(200).optional(),
});
export type EndStep = z.infer<typeof ZEndStep>;

export const endKind: StepKind<EndStep> = {
  kind: 'end',
  schema: ZEndStep,
  flow: 'end',
  enter: (ctx) => ({
    commands: ctx.step.text === undefined ? [] : [{ type: 'Say', text: ctx.text(ctx.step.text) }],
    end: ctx.step.outcome,
    reason: ctx.step.reason ?? `${ctx.step.outcome} at ${ctx.step.id}`,
  }),
  onEvent: (_ctx, event) => rejectUnexpected(event),
};
