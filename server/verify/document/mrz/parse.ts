/**
 * Parse of a candidate MRZ: our strict positional parse (fields.ts) decides; the `mrz` package
 * (cheminfo, well kept) parses the same lines independently for the ICAO formats it knows, and
 * any disagreement about a check digit rejects the reading. Visas (MRV-A/B) are not modelled by
 * the package (it expects passport/ID layouts), so only our parse applies to them.
 */
import { parse as parseWithLibrary, states } from 'mrz';
import { parseMrzLines, type MrzParse } from './fields.ts';

const LIBRARY_CHECKS: Record<string, keyof MrzParse['checks']> = {
  documentNumberCheckDigit: 'documentNumber',
  birthDateCheckDigit: 'birthDate',
  expirationDateCheckDigit: 'expiryDate',
  compositeCheckDigit: 'composite',
};

/**
 * ICAO 9303 part 3 codes (the `mrz` package's list) plus UTO, the fictional state of the ICAO
 * specimens. An unknown code in the names line (not covered by check digits) means a misread.
 */
const KNOWN_STATES = new Set([...Object.keys(states), 'UTO']);

/** First character of the document code per format (ICAO 9303 parts 4-7). */
const DOCUMENT_CODE: Record<string, RegExp> = {
  TD1: /^[IAC]/,
  TD2: /^[IAC]/,
  TD3: /^P/,
  MRVA: /^V/,
  MRVB: /^V/,
  FRENCH_ID: /^ID$/,
};

export function parseCandidate(lines: readonly string[]): MrzParse | null {
  const own = parseMrzLines(lines);
  if (!own || !own.valid) return own;
  const f = own.fields;
  if (!(DOCUMENT_CODE[f.format] as RegExp).test(f.documentCode)) return { ...own, valid: false, problem: 'document code does not fit the format' };
  if (!KNOWN_STATES.has(f.issuingState)) return { ...own, valid: false, problem: 'unknown issuing state' };
  if (!KNOWN_STATES.has(f.nationality)) return { ...own, valid: false, problem: 'unknown nationality' };
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
