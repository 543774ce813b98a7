/**
 * Issuing state and nationality codes. No check digit covers them, so a code missing from the
 * ICAO list is usually a misread; but a document may print one all the same (a Romanian
 * specimen card prints "132" as the nationality). Such a code is accepted only when the engines
 * witness it strictly (below) and is reported, so that the applicant confirms it and a reviewer
 * sees it flagged, instead of the applicant being asked for capture after capture.
 */
import { states } from 'mrz';
import { lineChecksPass, type EngineReading } from './agree.ts';
import type { MrzFormat } from './fields.ts';

/**
 * ICAO 9303 part 3 codes (the `mrz` package's list) plus UTO, the fictional state of the ICAO
 * specimens.
 */
export const KNOWN_STATES: ReadonlySet<string> = new Set([...Object.keys(states), 'UTO']);

export type CodeField = 'issuingState' | 'nationality';

interface CodeSpan {
  field: CodeField;
  line: number;
  start: number;
  end: number;
}

/** Where the codes sit per format (the French card's nationality is implied, not printed). */
export function codeSpans(format: MrzFormat): CodeSpan[] {
  const issuing: CodeSpan = { field: 'issuingState', line: 0, start: 2, end: 5 };
  switch (format) {
    case 'TD1':
      return [issuing, { field: 'nationality', line: 1, start: 15, end: 18 }];
    case 'FRENCH_ID':
      return [issuing];
    default:
      return [issuing, { field: 'nationality', line: 1, start: 10, end: 13 }];
  }
}

/** The code fields of `lines` whose value is not on the ICAO list. */
export function unlistedCodes(lines: readonly string[], format: MrzFormat): CodeField[] {
  return codeSpans(format)
    .filter((s) => !KNOWN_STATES.has((lines[s.line] ?? '').slice(s.start, s.end).replace(/<+$/, '')))
    .map((s) => s.field);
}

/**
 * Whether an unlisted code is read so consistently that it must be what is printed: two
 * different engines, at least one of them not the LSTM engine (it garbles fillers), have exactly
 * this value at this place in their own aligned readings, with no confusable folding; and no
 * credible reading (its line's check digits pass) has a listed code there instead.
 */
export function unlistedCodesWitnessed(readings: EngineReading[], candidate: readonly string[], format: MrzFormat, fields: readonly CodeField[]): boolean {
  return codeSpans(format)
    .filter((s) => fields.includes(s.field))
    .every((span) => {
      const want = (candidate[span.line] ?? '').slice(span.start, span.end);
      const engines = new Set<EngineReading['engine']>();
      for (const reading of readings) {
        for (const set of reading.sets) {
          if (set.format !== format) continue;
          const line = set.lines[span.line] ?? '';
          const got = line.slice(span.start, span.end);
          if (got === want) engines.add(reading.engine);
          else if (KNOWN_STATES.has(got.replace(/<+$/, '')) && lineChecksPass(line, span.line, format)) return false;
        }
      }
      return engines.size >= 2 && [...engines].some((e) => e !== 'lstm');
    });
}
