/** `say`: the assistant says a line and the script moves straight on. */
import { z } from 'zod';
import { stepFields, ZLocalizedText } from '../schema.ts';
import { rejectUnexpected } from './registry.ts';
import type { StepKind } from './registry.ts';

export const ZSayStep = z.strictObject({ ...stepFields('say'), text: ZLocalizedText });
export type SayStep = z.infer<typeof ZSayStep>;

export const sayKind: StepKind<SayStep> = {
  kind: 'say',
  schema: ZSayStep,
  flow: 'pass',
  enter: (ctx) => ({ commands: [{ type: 'Say', text: ctx.text(ctx.step.text) }], goto: 'next' }),
  onEvent: (_ctx, event) => rejectUnexpected(event),
};
