/**
 * Parse of a candidate MRZ: our strict positional parse (fields.ts) decides; the `mrz` package
 * (cheminfo, well kept) parses the same lines independently for the ICAO formats it knows, and
 * any disagreement about a check digit rejects the reading. Visas (MRV-A/B) are not modelled by
 * the package (it expects passport/ID layouts), so only our parse applies to them.
 */
import { parse as parseWithLibrary } from 'mrz';
import { unlistedCodes, type CodeField } from './codes.ts';
import { parseMrzLines, type MrzParse } from './fields.ts';

const LIBRARY_CHECKS: Record<string, keyof MrzParse['checks']> = {
  documentNumberCheckDigit: 'documentNumber',
  birthDateCheckDigit: 'birthDate',
  expirationDateCheckDigit: 'expiryDate',
  compositeCheckDigit: 'composite',
};

/**
 * A parse of candidate lines, with the code fields that are not on the ICAO list (codes.ts: the
 * reader accepts those only when the engines witness them strictly).
 */
export type CandidateParse = MrzParse & { unlistedCodes: CodeField[] };

/** First character of the document code per format (ICAO 9303 parts 4-7). */
const DOCUMENT_CODE: Record<string, RegExp> = {
  TD1: /^[IAC]/,
  TD2: /^[IAC]/,
  TD3: /^P/,
  MRVA: /^V/,
  MRVB: /^V/,
  FRENCH_ID: /^ID$/,
};

export function parseCandidate(lines: readonly string[]): CandidateParse | null {
  const parsed = parseMrzLines(lines);
  if (!parsed) return null;
  const own: CandidateParse = { ...parsed, unlistedCodes: unlistedCodes(lines, parsed.fields.format) };
  if (!own.valid) return own;
  const f = own.fields;
  if (!(DOCUMENT_CODE[f.format] as RegExp).test(f.documentCode)) return { ...own, valid: false, problem: 'document code does not fit the format' };
  if (own.fields.format === 'MRVA' || own.fields.format === 'MRVB') return own;
  try {
    const library = parseWithLibrary(lines);
    for (const detail of library.details) {
      const ours = detail.field ? LIBRARY_CHECKS[detail.field] : undefined;
      if (ours && own.checks[ours] === true && !detail.valid) {
        return { ...own, valid: false, problem: `mrz library disagrees: ${detail.field}` };
      }
    }
  } catch {
    return { ...own, valid: false, problem: 'mrz library could not parse the lines' };
  }
  return own;
}
