/**
 * Zod building blocks shared by the script loader and the step kinds. Each kind composes its
 * own step schema from these, so every script field is validated in exactly one place.
 */
import { z } from 'zod';
import { LOCALES, ZLocale } from '../http/protocol.ts';
import type { LocalizedText } from './types.ts';

export { ZLocale };

const STEP_ID = /^[a-z][a-z0-9_-]*$/;

/** A step id: lowercase, starts with a letter; `next` is reserved (it means "the following step"). */
export const ZStepId = z
  .string({ error: 'expected a step id' })
  .max(64, { error: 'a step id is at most 64 characters' })
  .regex(STEP_ID, { error: "expected a step id: lowercase letters, digits, '-' or '_', starting with a letter" })
  .refine((id) => id !== 'next', { error: "'next' is reserved; choose another step id" });

/** A script id: the slug sessions are created with (same rule as the HTTP body's `scriptId`). */
export const ZScriptId = z
  .string({ error: 'expected a script id' })
  .max(100, { error: 'a script id is at most 100 characters' })
  .regex(/^[a-z0-9][a-z0-9-]*$/, { error: "expected a lowercase slug: letters, digits and '-'" });

const ZLine = z
  .string({ error: 'expected text' })
  .trim()
  .min(1, { error: 'text must not be empty' })
  .max(4000, { error: 'text is at most 4000 characters' });

const localeList = LOCALES.join(', ');

/**
 * Text per locale, e.g. `{ en: Hello, zh-CN: 您好 }`. Which locales must be present depends on
 * the script's `locales`, so that is checked by the loader for every LocalizedText at once.
 */
export const ZLocalizedText: z.ZodType<LocalizedText> = z
  .strictObject(Object.fromEntries(LOCALES.map((locale) => [locale, ZLine.optional()])), {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown locale ${issue.keys.map((k) => `'${k}'`).join(', ')}; known locales: ${localeList}`
        : issue.code === 'invalid_type' && issue.input !== undefined
          ? `expected text per locale, e.g. { en: ..., zh-CN: ... }`
          : undefined,
  })
  .refine((text) => Object.values(text).some((value) => value !== undefined), {
    error: `expected text in at least one locale (${localeList})`,
  });

/** True for a value shaped like a validated LocalizedText (used by the generic locale check). */
export function isLocalizedText(value: unknown): value is LocalizedText {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return (
    keys.length > 0 &&
    keys.every((key) => (LOCALES as readonly string[]).includes(key)) &&
    Object.values(value).every((text) => typeof text === 'string')
  );
}

/** Retries allowed at a step before it routes to its `onFail`. */
export const ZMaxAttempts = z
  .int({ error: 'expected a number from 1 to 10' })
  .min(1, { error: 'expected a number from 1 to 10' })
  .max(10, { error: 'expected a number from 1 to 10' });

/** Seconds to wait for an answer before re-prompting. */
export const ZTimeoutSeconds = z
  .int({ error: 'expected a number of seconds from 5 to 3600' })
  .min(5, { error: 'expected a number of seconds from 5 to 3600' })
  .max(3600, { error: 'expected a number of seconds from 5 to 3600' });

/** The fields every step has; spread into each kind's `z.strictObject({...})`. */
export function stepFields<K extends string>(kind: K) {
  return { id: ZStepId, kind: z.literal(kind), next: ZStepId.optional() };
}

/** The script's top level; `steps` are validated one by one by their kinds' schemas. */
export const ZScriptHeader = z.strictObject({
  id: ZScriptId,
  title: ZLocalizedText,
  locales: z
    .array(ZLocale, { error: `expected a list of locales (${localeList})` })
    .min(1, { error: `expected at least one locale (${localeList})` })
    .refine((locales) => new Set(locales).size === locales.length, { error: 'a locale is listed twice' }),
  /**
   * Declared scope of the compliance lint (server/studio/lint): `identity: before-session` says
   * the lender verified the applicant's identity before sending the link, so a script without
   * document and liveness steps is reported with warnings instead of errors.
   */
  compliance: z
    .strictObject({
      identity: z.enum(['in-session', 'before-session'], { error: 'expected in-session or before-session' }).optional(),
    })
    .optional(),
  steps: z
    .array(z.unknown(), { error: 'expected a list of steps' })
    .min(1, { error: 'a script needs at least one step' }),
});
