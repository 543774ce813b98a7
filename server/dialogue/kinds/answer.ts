/**
 * Typed answers to `question` steps: the script's `answer:` spec, and checking + normalizing a
 * typed answer against it. Pure functions; no clock (so "at least 18 years old" is a later
 * check against the document, not something a date answer can know here).
 */
import { z } from 'zod';

export const DEFAULT_TEXT_MAX = 200;

const DATE = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/;

/** A real calendar date as YYYY-MM-DD, or null. Accepts 1990-4-21, 1990/04/21, 1990年4月21日. */
export function parseDate(input: string): string | null {
  const match = DATE.exec(input.normalize('NFKC').trim());
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1000 || month < 1 || month > 12 || day < 1) return null;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  if (day > days) return null;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** A number typed with optional sign, decimals and thousands commas, as a plain decimal string. */
export function parseNumber(input: string): number | null {
  const text = input.normalize('NFKC').trim().replace(/\s+/g, '');
  if (!/^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$/.test(text)) return null;
  const value = Number(text.replace(/,/g, ''));
  return Number.isFinite(value) ? value : null;
}

const ZDate = z.string({ error: 'expected a date as YYYY-MM-DD' }).refine((value) => parseDate(value) === value, {
  error: 'expected a real date as YYYY-MM-DD',
});

const ZLength = z
  .int({ error: 'expected a number from 1 to 2000' })
  .min(1, { error: 'expected a number from 1 to 2000' })
  .max(2000, { error: 'expected a number from 1 to 2000' });

const ZPattern = z.string({ error: 'expected a regular expression' }).superRefine((pattern, ctx) => {
  try {
    new RegExp(pattern, 'u');
  } catch (error) {
    ctx.addIssue({
      code: 'custom',
      message: `invalid regular expression: ${error instanceof Error ? error.message : String(error)}`,
    });
  }
});

const ZTextAnswer = z
  .strictObject({
    type: z.literal('text'),
    minLength: ZLength.optional(),
    maxLength: ZLength.optional(),
    /** The whole answer must match (the loader compiles it with the `u` flag). */
    pattern: ZPattern.optional(),
  })
  .refine((spec) => (spec.minLength ?? 1) <= (spec.maxLength ?? DEFAULT_TEXT_MAX), {
    error: 'minLength is greater than maxLength',
    path: ['minLength'],
  });

const ZDateAnswer = z
  .strictObject({ type: z.literal('date'), min: ZDate.optional(), max: ZDate.optional() })
  .refine((spec) => spec.min === undefined || spec.max === undefined || spec.min <= spec.max, {
    error: 'min is after max',
    path: ['min'],
  });

const ZNumberAnswer = z
  .strictObject({
    type: z.literal('number'),
    min: z.number({ error: 'expected a number' }).optional(),
    max: z.number({ error: 'expected a number' }).optional(),
    integer: z.boolean({ error: 'expected true or false' }).optional(),
  })
  .refine((spec) => spec.min === undefined || spec.max === undefined || spec.min <= spec.max, {
    error: 'min is greater than max',
    path: ['min'],
  });

export const ZAnswerSpec = z.discriminatedUnion('type', [ZTextAnswer, ZDateAnswer, ZNumberAnswer], {
  error: (issue) => (issue.code === 'invalid_union' ? 'expected type: text, date or number' : undefined),
});
export type AnswerSpec = z.infer<typeof ZAnswerSpec>;

/** The longest input the client should allow for this answer. */
export function inputMaxLength(spec: AnswerSpec): number {
  if (spec.type === 'text') return spec.maxLength ?? DEFAULT_TEXT_MAX;
  return spec.type === 'date' ? 20 : 32;
}

export type AnswerCheck = { ok: true; value: string } | { ok: false };

/** Checks a typed answer and returns its normalized form. */
export function checkAnswer(spec: AnswerSpec, input: string): AnswerCheck {
  if (input.length > 4 * inputMaxLength(spec)) return { ok: false };
  switch (spec.type) {
    case 'text': {
      // Control characters are dropped, whitespace collapsed; length counts characters, not UTF-16 units.
      const value = input
        .normalize('NFC')
        .replace(/\p{Cf}/gu, '')
        .replace(/\p{Cc}/gu, ' ')
        .replace(/\s+/g, ' ')
        .trim();
      const length = [...value].length;
      if (length < (spec.minLength ?? 1) || length > (spec.maxLength ?? DEFAULT_TEXT_MAX)) return { ok: false };
      if (spec.pattern !== undefined && !new RegExp(`^(?:${spec.pattern})$`, 'u').test(value)) return { ok: false };
      return { ok: true, value };
    }
    case 'date': {
      const value = parseDate(input);
      if (value === null) return { ok: false };
      if ((spec.min !== undefined && value < spec.min) || (spec.max !== undefined && value > spec.max)) {
        return { ok: false };
      }
      return { ok: true, value };
    }
    case 'number': {
      const value = parseNumber(input);
      if (value === null) return { ok: false };
      if (spec.integer === true && !Number.isInteger(value)) return { ok: false };
      if ((spec.min !== undefined && value < spec.min) || (spec.max !== undefined && value > spec.max)) {
        return { ok: false };
      }
      return { ok: true, value: String(value) };
    }
  }
}
