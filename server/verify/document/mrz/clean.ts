/**
 * From raw OCR text to candidate MRZ line sets (pure).
 *
 * OCR errors we repair, only where the ICAO layout makes the repair unambiguous:
 * - line length: fillers ('<') are the usual victims (runs dropped, doubled or read as K/L/C);
 *   lines are brought to the format's length by adjusting their longest filler-like run, or by
 *   padding/trimming the end (several variants; the check digits choose).
 * - character class by position: digits in date and check-digit positions, letters in state
 *   codes, sex and names (O/0, I/1, S/5, B/8, Z/2, G/6 confusions).
 * - a trailing run of filler look-alikes in a names field becomes fillers.
 * Nothing here decides acceptance: every candidate still has to pass all check digits.
 */
import { MRZ_SHAPES, fieldSpans, type MrzFormat } from './fields.ts';

const TO_DIGIT: Record<string, string> = { O: '0', Q: '0', D: '0', U: '0', I: '1', L: '1', T: '1', Z: '2', S: '5', B: '8', G: '6', A: '4', E: '8' };
const TO_LETTER: Record<string, string> = { '0': 'O', '1': 'I', '2': 'Z', '5': 'S', '8': 'B', '6': 'G', '4': 'A', '7': 'T', '3': 'B' };
/** Characters LSTM engines produce for '<' in long filler runs. */
export const FILLER_LOOKALIKE = /^[<KLC]$/;

/** Upper-cases, removes spaces and anything outside the MRZ alphabet (after mapping look-alikes). */
export function normalizeOcrLine(line: string): string {
  return line
    .toUpperCase()
    .replace(/[«‹]/g, '<<')
    .replace(/\s+/g, '')
    .replace(/[^A-Z0-9<]/g, '');
}

/** Applies character-class repair by field position (lines must have the format's length). */
export function repairByPosition(lines: string[], format: MrzFormat): string[] {
  const chars = lines.map((l) => l.split(''));
  for (const span of fieldSpans(format)) {
    const row = chars[span.line];
    if (!row) continue;
    for (let i = span.start; i < span.end && i < row.length; i++) {
      const c = row[i] as string;
      if (span.kind === 'numeric' && c !== '<') row[i] = TO_DIGIT[c] ?? c;
      else if ((span.kind === 'names' || span.kind === 'sex') && c !== '<') row[i] = TO_LETTER[c] ?? c;
      else if (span.kind === 'alpha' && c !== '<' && /[A-Z]/.test(row.slice(span.start, span.end).join(''))) {
        // A code printed all in digits is deliberate (some issuers do), not a misread.
        row[i] = TO_LETTER[c] ?? c;
      }
    }
    if (span.kind === 'names') {
      // Trailing filler run: from the end, filler look-alikes back to the first '<<'-like run.
      let j = Math.min(span.end, row.length) - 1;
      let fillers = 0;
      while (j >= span.start && FILLER_LOOKALIKE.test(row[j] as string)) {
        if (row[j] === '<') fillers++;
        j--;
      }
      // A look-alike right after a letter may be the name's own last letter (MICHAEL<<): keep it.
      if (j >= span.start && row[j + 1] !== '<') j++;
      const runLength = Math.min(span.end, row.length) - 1 - j;
      if (runLength >= 3 && fillers >= 1) {
        for (let k = j + 1; k < Math.min(span.end, row.length); k++) row[k] = '<';
      }
    }
  }
  return chars.map((r) => r.join(''));
}

/** Variants of a line brought to `length`. */
export function fitLength(line: string, length: number): string[] {
  if (line.length === length) return [line];
  const out = new Set<string>();
  const diff = length - line.length;
  if (Math.abs(diff) > Math.max(4, Math.round(length * 0.2))) return [];
  // Longest run of fillers (or filler look-alikes mixed with fillers).
  const runs = [...line.matchAll(/<[<KLC]*</g)].sort((a, b) => b[0].length - a[0].length);
  const longest = runs[0];
  if (longest && longest.index !== undefined) {
    const start = longest.index;
    const run = longest[0];
    if (diff > 0) {
      out.add(line.slice(0, start) + '<'.repeat(run.length + diff) + line.slice(start + run.length));
    } else if (run.length + diff >= 1) {
      out.add(line.slice(0, start) + '<'.repeat(run.length + diff) + line.slice(start + run.length));
    }
  }
  if (diff > 0) {
    out.add(line + '<'.repeat(diff));
  } else {
    // Junk before or after the line (a neighbouring mark read as characters): every window.
    for (let offset = 0; offset <= -diff; offset++) out.add(line.slice(offset, offset + length));
  }
  return [...out];
}

/** Candidate line sets (each already at the format's shape and position-repaired). */
export function candidateLineSets(text: string): { format: MrzFormat; lines: string[] }[] {
  const rows = text
    .split(/\r?\n/)
    .map(normalizeOcrLine)
    .filter((l) => l.length >= 20);
  const results: { format: MrzFormat; lines: string[] }[] = [];
  const seen = new Set<string>();
  const push = (format: MrzFormat, lines: string[]) => {
    const repaired = repairByPosition(lines, format);
    const key = format + ':' + repaired.join('\n');
    if (seen.has(key)) return;
    seen.add(key);
    results.push({ format, lines: repaired });
  };
  const formats: MrzFormat[] = ['TD1', 'TD2', 'TD3'];
  for (const format of formats) {
    const { lines: count, length } = MRZ_SHAPES[format];
    for (let start = 0; start + count <= rows.length; start++) {
      const window = rows.slice(start, start + count);
      const tolerance = Math.max(4, Math.round(length * 0.2));
      if (!window.every((l) => Math.abs(l.length - length) <= tolerance)) continue;
      const variants = window.map((l) => fitLength(l, length));
      if (variants.some((v) => v.length === 0)) continue;
      for (const combo of cartesian(variants, 16)) push(format, combo);
      // Visas and French cards share TD2/TD3 shapes: repair by their own layouts too.
      if (format === 'TD3' && window[0]?.startsWith('V')) for (const combo of cartesian(variants, 16)) push('MRVA', combo);
      if (format === 'TD2' && window[0]?.startsWith('V')) for (const combo of cartesian(variants, 16)) push('MRVB', combo);
      if (format === 'TD2' && /^[I1][D0]FRA/.test(window[0] ?? '')) for (const combo of cartesian(variants, 16)) push('FRENCH_ID', combo);
    }
  }
  return results;
}

/**
 * Line sets from a reading whose rows are the located lines, one each (a line-by-line read),
 * when only some rows fit the format: the others are left empty (''). An engine that garbles
 * one line still contributes the lines it read well (recombine pools them; an empty line is
 * never a witness).
 */
export function partialLineSets(text: string): { format: MrzFormat; lines: string[] }[] {
  const rows = text.split(/\r?\n/).map(normalizeOcrLine);
  const results: { format: MrzFormat; lines: string[] }[] = [];
  for (const format of Object.keys(MRZ_SHAPES) as MrzFormat[]) {
    const { lines: count, length } = MRZ_SHAPES[format];
    if (rows.length !== count) continue;
    const fits = rows.map((row) => (Math.abs(row.length - length) <= Math.max(4, Math.round(length * 0.2)) ? fitLength(row, length) : []));
    const usable = fits.filter((f) => f.length > 0).length;
    // All rows usable: candidateLineSets has them already; none: nothing to add.
    if (usable === 0 || usable === count) continue;
    fits.forEach((variants, index) => {
      for (const variant of variants.slice(0, 4)) {
        const lines = rows.map((_, i) => (i === index ? variant : '<'.repeat(length)));
        const repaired = repairByPosition(lines, format)[index] as string;
        results.push({ format, lines: rows.map((_, i) => (i === index ? repaired : '')) });
      }
    });
  }
  return results;
}

export function cartesian(lists: string[][], limit: number): string[][] {
  let acc: string[][] = [[]];
  for (const list of lists) {
    const next: string[][] = [];
    for (const prefix of acc) for (const item of list) if (next.length < limit) next.push([...prefix, item]);
    acc = next;
  }
  return acc;
}

/**
 * Combines two readings of the same MRZ from engines that fail differently (clean.ts header):
 * per position, a '<' from the filler-reliable reading wins over a filler look-alike from the
 * other; lines may also be taken from either reading. Returns candidate sets for the check
 * digits to choose from.
 */
export function combineReadings(primary: string, fillerReliable: string): { format: MrzFormat; lines: string[] }[] {
  const a = candidateLineSets(primary);
  const b = candidateLineSets(fillerReliable);
  const out: { format: MrzFormat; lines: string[] }[] = [];
  for (const x of a) {
    for (const y of b) {
      if (x.format !== y.format) continue;
      const merged = x.lines.map((line, i) => {
        const other = y.lines[i] as string;
        let result = '';
        for (let k = 0; k < line.length; k++) {
          const c = line[k] as string;
          const d = other[k] as string;
          result += d === '<' && FILLER_LOOKALIKE.test(c) ? '<' : c;
        }
        return result;
      });
      out.push({ format: x.format, lines: repairByPosition(merged, x.format) });
      // Line-wise mixes (e.g. names line from one engine, data line from the other).
      for (let i = 0; i < x.lines.length; i++) {
        const mixed = x.lines.map((line, k) => (k === i ? (y.lines[k] as string) : line));
        out.push({ format: x.format, lines: mixed });
      }
    }
  }
  return out;
}

/**
 * A names field still holding a long mixed run of fillers and look-alikes, or letters after a
 * long filler run, was misread: such a reading must not be accepted even when the (names-blind)
 * check digits pass.
 */
export function namesLookGarbled(lines: string[], format: MrzFormat): boolean {
  const spans = fieldSpans(format).filter((s) => s.kind === 'names');
  return spans.some((span) => {
    const field = (lines[span.line] ?? '').slice(span.start, span.end).replace(/<+$/, '');
    // Names are left-justified: letters after a run of 3+ fillers are stray marks.
    if (/<{3,}[A-Z0-9]/.test(field)) return true;
    return [...field.matchAll(/[<KLC]{5,}/g)].some((m) => (m[0].match(/[KLC]/g) ?? []).length >= 2);
  });
}

/** Filler look-alikes next to fillers in names fields: a sign of misread fillers (lower is better). */
export function fillerSuspicion(lines: string[]): number {
  let n = 0;
  for (const line of lines) n += (line.match(/<[KLC]|[KLC]<(?=[<KLC])/g) ?? []).length;
  return n;
}

/**
 * Pools the lines of all readings per format and line index, and recombines them: each line
 * may come from whichever reading got it right (check digits judge the protected lines,
 * agreement between readings the others).
 */
export function recombine(sets: { format: MrzFormat; lines: string[] }[], limit = 600): { format: MrzFormat; lines: string[] }[] {
  const byFormat = new Map<MrzFormat, Set<string>[]>();
  for (const set of sets) {
    const pools = byFormat.get(set.format) ?? set.lines.map(() => new Set<string>());
    set.lines.forEach((line, i) => {
      if (line !== '') pools[i]?.add(line);
    });
    byFormat.set(set.format, pools);
  }
  const out: { format: MrzFormat; lines: string[] }[] = [];
  for (const [format, pools] of byFormat) {
    for (const pool of pools) for (const line of majorityLines([...pool])) pool.add(line);
    for (const lines of cartesian(pools.map((p) => [...p]), limit)) out.push({ format, lines: repairByPosition(lines, format) });
  }
  return out;
}

/**
 * Character-level vote over readings of one line (all of the format's length): the most
 * frequent character per position; where the top two tie, both (at most 4 tied positions, so at
 * most 16 lines). Errors of different readings rarely fall on the same position.
 */
export function majorityLines(lines: string[]): string[] {
  if (lines.length < 3) return [];
  const length = (lines[0] as string).length;
  let results = [''];
  let ties = 0;
  for (let i = 0; i < length; i++) {
    const counts = new Map<string, number>();
    for (const line of lines) counts.set(line[i] as string, (counts.get(line[i] as string) ?? 0) + 1);
    const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1]);
    const top = ranked[0] as [string, number];
    const second = ranked[1];
    if (second && second[1] === top[1] && ties < 4) {
      ties++;
      results = results.flatMap((r) => [r + top[0], r + second[0]]);
    } else {
      results = results.map((r) => r + top[0]);
    }
  }
  return results;
}
