/**
 * ICAO 9303 machine-readable zones as plain data: line layouts per format, the 7-3-1 check
 * digit, and a strict positional parse that reports every check digit separately.
 *
 * This module is the authority for accepting a reading: a reading is acceptable only when all of
 * its format's check digits pass. The `mrz` package (cheminfo) is used as a second, independent
 * parse in `parse.ts`.
 */

export type MrzFormat = 'TD1' | 'TD2' | 'TD3' | 'MRVA' | 'MRVB' | 'FRENCH_ID';

export const MRZ_CHARSET = /^[A-Z0-9<]+$/;

/** Line count and length per format. */
export const MRZ_SHAPES: Record<MrzFormat, { lines: number; length: number }> = {
  TD1: { lines: 3, length: 30 },
  TD2: { lines: 2, length: 36 },
  TD3: { lines: 2, length: 44 },
  MRVA: { lines: 2, length: 44 },
  MRVB: { lines: 2, length: 36 },
  FRENCH_ID: { lines: 2, length: 36 },
};

/** ICAO 9303 part 3, 4.9: weights 7, 3, 1; digits as is, A-Z = 10..35, '<' = 0. */
export function computeCheckDigit(value: string): number {
  const weights = [7, 3, 1];
  let sum = 0;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    let n: number;
    if (code >= 48 && code <= 57) n = code - 48;
    else if (code >= 65 && code <= 90) n = code - 55;
    else if (code === 60) n = 0;
    else return -1;
    sum += n * (weights[i % 3] as number);
  }
  return sum % 10;
}

/** True when `digit` is the check digit of `value` ('<' stands for 0 only where allowed). */
export function checkDigitMatches(value: string, digit: string, allowFillerAsZero = false): boolean {
  if (digit === '<') return allowFillerAsZero && /^<*$/.test(value);
  if (!/^[0-9]$/.test(digit)) return false;
  return computeCheckDigit(value) === Number(digit);
}

/** Field kinds used for character-class repair (ICAO 9303 part 3, 4.2). */
export type FieldKind = 'alpha' | 'numeric' | 'alnum' | 'names' | 'sex';

/** A span of one line: [start, end). */
export interface FieldSpan {
  line: number;
  start: number;
  end: number;
  kind: FieldKind;
}

/** Fixed spans per format, used by the OCR cleaner to repair characters by position. */
export function fieldSpans(format: MrzFormat): FieldSpan[] {
  const s = (line: number, start: number, end: number, kind: FieldKind): FieldSpan => ({ line, start, end, kind });
  switch (format) {
    case 'TD1':
      return [
        // Document code: the first character is always a letter (A, C or I here; P or V in
        // passports and visas: ICAO 9303 parts 4-7), the second is the issuer's choice.
        s(0, 0, 1, 'alpha'),
        s(0, 1, 2, 'alnum'),
        s(0, 2, 5, 'alpha'),
        s(0, 5, 14, 'alnum'),
        s(0, 14, 15, 'alnum'), // check digit or '<' (long document number)
        s(0, 15, 30, 'alnum'),
        s(1, 0, 7, 'numeric'),
        s(1, 7, 8, 'sex'),
        s(1, 8, 15, 'numeric'),
        s(1, 15, 18, 'alpha'),
        s(1, 18, 29, 'alnum'),
        s(1, 29, 30, 'numeric'),
        s(2, 0, 30, 'names'),
      ];
    case 'TD2':
    case 'MRVB':
      return [
        s(0, 0, 1, 'alpha'),
        s(0, 1, 2, 'alnum'),
        s(0, 2, 5, 'alpha'),
        s(0, 5, 36, 'names'),
        s(1, 0, 9, 'alnum'),
        s(1, 9, 10, 'alnum'),
        s(1, 10, 13, 'alpha'),
        s(1, 13, 20, 'numeric'),
        s(1, 20, 21, 'sex'),
        s(1, 21, 28, 'numeric'),
        ...(format === 'TD2' ? [s(1, 28, 35, 'alnum'), s(1, 35, 36, 'numeric')] : [s(1, 28, 36, 'alnum')]),
      ];
    case 'TD3':
    case 'MRVA':
      return [
        s(0, 0, 1, 'alpha'),
        s(0, 1, 2, 'alnum'),
        s(0, 2, 5, 'alpha'),
        s(0, 5, 44, 'names'),
        s(1, 0, 9, 'alnum'),
        s(1, 9, 10, 'numeric'),
        s(1, 10, 13, 'alpha'),
        s(1, 13, 20, 'numeric'),
        s(1, 20, 21, 'sex'),
        s(1, 21, 28, 'numeric'),
        ...(format === 'TD3' ? [s(1, 28, 42, 'alnum'), s(1, 42, 44, 'alnum')] : [s(1, 28, 44, 'alnum')]),
      ];
    case 'FRENCH_ID':
      return [
        s(0, 0, 2, 'alpha'),
        s(0, 2, 5, 'alpha'),
        s(0, 5, 30, 'names'),
        s(0, 30, 36, 'alnum'),
        s(1, 0, 4, 'numeric'),
        s(1, 4, 7, 'alnum'),
        s(1, 7, 13, 'numeric'),
        s(1, 13, 27, 'names'),
        s(1, 27, 34, 'numeric'),
        s(1, 34, 35, 'sex'),
        s(1, 35, 36, 'numeric'),
      ];
  }
}

export interface MrzChecks {
  documentNumber: boolean;
  birthDate: boolean;
  expiryDate: boolean;
  /** Personal number / optional data check digit where the format has one (TD3). */
  optionalData: boolean | null;
  /** Composite check digit where the format has one (TD1, TD2, TD3, French ID). */
  composite: boolean | null;
}

/** Raw positional fields (ICAO encoding: '<' as filler, dates YYMMDD). */
export interface MrzRawFields {
  format: MrzFormat;
  documentCode: string;
  issuingState: string;
  documentNumber: string;
  surname: string;
  givenNames: string;
  nationality: string;
  /** YYMMDD */
  birthDate: string;
  sex: 'M' | 'F' | 'X';
  /** YYMMDD, '' when the format has none (French ID). */
  expiryDate: string;
  optionalData: string;
}

export interface MrzParse {
  fields: MrzRawFields;
  checks: MrzChecks;
  /** All check digits of the format pass and dates/sex are well formed. */
  valid: boolean;
  /** Why `valid` is false (first problem found). */
  problem?: string;
}

/** Detects the format from line count, line length and document code. */
export function detectFormat(lines: readonly string[]): MrzFormat | null {
  const first = lines[0] ?? '';
  if (lines.length === 3 && lines.every((l) => l.length === 30)) return 'TD1';
  if (lines.length !== 2 || lines[1]?.length !== first.length) return null;
  if (first.length === 44) return first.startsWith('V') ? 'MRVA' : 'TD3';
  if (first.length === 36) {
    // Pre-2021 French identity card (2x36, not ICAO TD2).
    if (first.startsWith('IDFRA')) return 'FRENCH_ID';
    return first.startsWith('V') ? 'MRVB' : 'TD2';
  }
  return null;
}

function trimFiller(value: string): string {
  return value.replace(/<+$/, '');
}

/** Splits a names field into surname and given names ('<<' separates, '<' is a space). */
export function splitNames(field: string): { surname: string; givenNames: string } {
  const trimmed = trimFiller(field);
  const at = trimmed.indexOf('<<');
  const surname = at >= 0 ? trimmed.slice(0, at) : trimmed;
  const given = at >= 0 ? trimmed.slice(at + 2) : '';
  const clean = (v: string) => v.replace(/<+/g, ' ').trim();
  return { surname: clean(surname), givenNames: clean(given) };
}

function isDate(value: string): boolean {
  if (!/^[0-9]{6}$/.test(value)) return false;
  const month = Number(value.slice(2, 4));
  const day = Number(value.slice(4, 6));
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

function normalizeSex(value: string): 'M' | 'F' | 'X' | null {
  if (value === 'M' || value === 'F') return value;
  if (value === '<' || value === 'X') return 'X';
  return null;
}

/**
 * Document number with the ICAO long-number rule (TD1/TD2/MRV-B): when the check digit position
 * holds '<', the number continues in the optional data and its last character there is the check
 * digit.
 */
function documentNumberWithOverflow(
  head: string,
  checkChar: string,
  optional: string,
): { number: string; valid: boolean; optionalRest: string } {
  if (checkChar !== '<') {
    return { number: trimFiller(head), valid: checkDigitMatches(head, checkChar), optionalRest: optional };
  }
  const end = optional.indexOf('<');
  const tail = end >= 0 ? optional.slice(0, end) : optional;
  if (tail.length < 1) return { number: trimFiller(head), valid: false, optionalRest: optional };
  const digit = tail.slice(-1);
  const number = head + tail.slice(0, -1);
  // ICAO 9303-5 4.2.4: the check digit covers the whole field, including the filler in the
  // check-digit position. Some issuers (seen on Portuguese and Belgian cards) compute it over
  // the number alone; both are accepted, the composite check still covers the field.
  const valid = checkDigitMatches(`${head}<${tail.slice(0, -1)}`, digit) || checkDigitMatches(number, digit);
  return { number, valid, optionalRest: optional.slice(tail.length) };
}

/** Strict positional parse; never throws on well-shaped lines (returns null if the shape is wrong). */
export function parseMrzLines(lines: readonly string[]): MrzParse | null {
  if (!lines.every((l) => MRZ_CHARSET.test(l))) return null;
  const format = detectFormat(lines);
  if (!format) return null;
  const l0 = lines[0] as string;
  const l1 = lines[1] as string;
  let fields: MrzRawFields;
  let checks: MrzChecks;
  const code = trimFiller(l0.slice(0, 2));
  switch (format) {
    case 'TD1': {
      const l2 = lines[2] as string;
      const doc = documentNumberWithOverflow(l0.slice(5, 14), l0[14] as string, l0.slice(15, 30));
      const names = splitNames(l2);
      fields = {
        format,
        documentCode: code,
        issuingState: trimFiller(l0.slice(2, 5)),
        documentNumber: doc.number,
        surname: names.surname,
        givenNames: names.givenNames,
        nationality: trimFiller(l1.slice(15, 18)),
        birthDate: l1.slice(0, 6),
        sex: normalizeSex(l1[7] as string) ?? 'X',
        expiryDate: l1.slice(8, 14),
        optionalData: [trimFiller(doc.optionalRest).replace(/^<+/, ''), trimFiller(l1.slice(18, 29))]
          .filter(Boolean)
          .join(' '),
      };
      checks = {
        documentNumber: doc.valid,
        birthDate: checkDigitMatches(l1.slice(0, 6), l1[6] as string),
        expiryDate: checkDigitMatches(l1.slice(8, 14), l1[14] as string),
        optionalData: null,
        composite: checkDigitMatches(l0.slice(5, 30) + l1.slice(0, 7) + l1.slice(8, 15) + l1.slice(18, 29), l1[29] as string),
      };
      break;
    }
    case 'TD2':
    case 'MRVB': {
      const visa = format === 'MRVB';
      const optionalEnd = visa ? 36 : 35;
      const doc = visa
        ? { number: trimFiller(l1.slice(0, 9)), valid: checkDigitMatches(l1.slice(0, 9), l1[9] as string), optionalRest: l1.slice(28, 36) }
        : documentNumberWithOverflow(l1.slice(0, 9), l1[9] as string, l1.slice(28, optionalEnd));
      const names = splitNames(l0.slice(5, 36));
      fields = {
        format,
        documentCode: code,
        issuingState: trimFiller(l0.slice(2, 5)),
        documentNumber: doc.number,
        surname: names.surname,
        givenNames: names.givenNames,
        nationality: trimFiller(l1.slice(10, 13)),
        birthDate: l1.slice(13, 19),
        sex: normalizeSex(l1[20] as string) ?? 'X',
        expiryDate: l1.slice(21, 27),
        optionalData: trimFiller(doc.optionalRest).replace(/^<+/, ''),
      };
      checks = {
        documentNumber: doc.valid,
        birthDate: checkDigitMatches(l1.slice(13, 19), l1[19] as string),
        expiryDate: checkDigitMatches(l1.slice(21, 27), l1[27] as string),
        optionalData: null,
        composite: visa ? null : checkDigitMatches(l1.slice(0, 10) + l1.slice(13, 20) + l1.slice(21, 35), l1[35] as string),
      };
      break;
    }
    case 'TD3':
    case 'MRVA': {
      const visa = format === 'MRVA';
      const names = splitNames(l0.slice(5, 44));
      fields = {
        format,
        documentCode: code,
        issuingState: trimFiller(l0.slice(2, 5)),
        documentNumber: trimFiller(l1.slice(0, 9)),
        surname: names.surname,
        givenNames: names.givenNames,
        nationality: trimFiller(l1.slice(10, 13)),
        birthDate: l1.slice(13, 19),
        sex: normalizeSex(l1[20] as string) ?? 'X',
        expiryDate: l1.slice(21, 27),
        optionalData: trimFiller(l1.slice(28, visa ? 44 : 42)),
      };
      checks = {
        documentNumber: checkDigitMatches(l1.slice(0, 9), l1[9] as string),
        birthDate: checkDigitMatches(l1.slice(13, 19), l1[19] as string),
        expiryDate: checkDigitMatches(l1.slice(21, 27), l1[27] as string),
        optionalData: visa ? null : checkDigitMatches(l1.slice(28, 42), l1[42] as string, true),
        composite: visa ? null : checkDigitMatches(l1.slice(0, 10) + l1.slice(13, 20) + l1.slice(21, 43), l1[43] as string),
      };
      break;
    }
    case 'FRENCH_ID': {
      const surname = trimFiller(l0.slice(5, 30)).replace(/<+/g, ' ').trim();
      const given = trimFiller(l1.slice(13, 27)).replace(/<<+/g, ', ').replace(/</g, ' ').trim();
      fields = {
        format,
        documentCode: code,
        issuingState: trimFiller(l0.slice(2, 5)),
        documentNumber: l1.slice(0, 12),
        surname,
        givenNames: given,
        nationality: 'FRA',
        birthDate: l1.slice(27, 33),
        sex: normalizeSex(l1[34] as string) ?? 'X',
        expiryDate: '',
        optionalData: trimFiller(l0.slice(30, 36)),
      };
      checks = {
        documentNumber: checkDigitMatches(l1.slice(0, 12), l1[12] as string),
        birthDate: checkDigitMatches(l1.slice(27, 33), l1[33] as string),
        expiryDate: true,
        optionalData: null,
        composite: checkDigitMatches(l0 + l1.slice(0, 35), l1[35] as string),
      };
      break;
    }
  }
  const parse: MrzParse = { fields, checks, valid: true };
  const failed = (Object.keys(checks) as (keyof MrzChecks)[]).find((k) => checks[k] === false);
  if (failed) return { ...parse, valid: false, problem: `check digit failed: ${failed}` };
  if (!isDate(fields.birthDate)) return { ...parse, valid: false, problem: 'birth date malformed' };
  if (format !== 'FRENCH_ID' && !isDate(fields.expiryDate)) return { ...parse, valid: false, problem: 'expiry date malformed' };
  if (normalizeSex(format === 'TD1' ? (lines[1] as string)[7] as string : format === 'FRENCH_ID' ? l1[34] as string : l1[20] as string) === null) {
    return { ...parse, valid: false, problem: 'sex malformed' };
  }
  // Letters in ICAO 9303, but documents exist that print digits (a Romanian specimen's
  // nationality reads "132"); whether to believe an unlisted code is the reader's call (codes.ts).
  if (!/^[A-Z0-9]{1,3}$/.test(fields.issuingState) || !/^[A-Z0-9]{1,3}$/.test(fields.nationality)) {
    return { ...parse, valid: false, problem: 'state code malformed' };
  }
  if (!/^[A-Z]/.test(fields.documentCode)) return { ...parse, valid: false, problem: 'document code malformed' };
  return parse;
}

/**
 * YYMMDD to YYYY-MM-DD. Birth dates take the latest century not in the future; expiry dates take
 * 20YY unless that is more than 50 years ahead of `now`.
 */
export function expandDate(yymmdd: string, kind: 'birth' | 'expiry', now: Date): string | null {
  if (!isDate(yymmdd)) return null;
  const yy = Number(yymmdd.slice(0, 2));
  const nowYear = now.getUTCFullYear();
  let year = 2000 + yy;
  if (kind === 'birth') {
    const iso = `${year}-${yymmdd.slice(2, 4)}-${yymmdd.slice(4, 6)}`;
    if (iso > now.toISOString().slice(0, 10)) year -= 100;
  } else if (year > nowYear + 50) {
    year -= 100;
  }
  const iso = `${year}-${yymmdd.slice(2, 4)}-${yymmdd.slice(4, 6)}`;
  const d = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== iso) return null;
  return iso;
}

/**
 * Positions not covered by a check digit of their own: names, codes, nationality, sex and
 * optional data that only the composite covers. One mod-10 digit over a long span is weak
 * evidence once many candidate readings are tried, so the reader also requires the two OCR
 * engines to agree on these positions before it accepts.
 */
export function unprotectedPositions(format: MrzFormat): { line: number; start: number; end: number }[] {
  switch (format) {
    case 'TD1':
      return [
        { line: 0, start: 0, end: 5 },
        { line: 0, start: 15, end: 30 },
        { line: 1, start: 7, end: 8 },
        { line: 1, start: 15, end: 29 },
        { line: 2, start: 0, end: 30 },
      ];
    case 'TD2':
      return [
        { line: 0, start: 0, end: 36 },
        { line: 1, start: 10, end: 13 },
        { line: 1, start: 20, end: 21 },
        { line: 1, start: 28, end: 35 },
      ];
    case 'MRVB':
      return [
        { line: 0, start: 0, end: 36 },
        { line: 1, start: 10, end: 13 },
        { line: 1, start: 20, end: 21 },
        { line: 1, start: 28, end: 36 },
      ];
    case 'TD3':
      return [
        { line: 0, start: 0, end: 44 },
        { line: 1, start: 10, end: 13 },
        { line: 1, start: 20, end: 21 },
      ];
    case 'MRVA':
      return [
        { line: 0, start: 0, end: 44 },
        { line: 1, start: 10, end: 13 },
        { line: 1, start: 20, end: 21 },
        { line: 1, start: 28, end: 44 },
      ];
    case 'FRENCH_ID':
      return [
        { line: 0, start: 0, end: 36 },
        { line: 1, start: 13, end: 27 },
        { line: 1, start: 34, end: 35 },
      ];
  }
}
