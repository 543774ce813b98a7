/**
 * Whether the OCR engines agree on a candidate reading (pure): the acceptance rule on top of
 * the check digits (enginesAgree). Engines fail differently, so a value two of them read is
 * believed where no check digit looks, and a value they are divided on is refused.
 */
import { FILLER_LOOKALIKE } from './clean.ts';
import { computeCheckDigit, fieldSpans, unprotectedPositions, type MrzFormat } from './fields.ts';

/** One OCR reading: the engine, its raw lines (normalised) and the candidate sets made from it. */
export interface EngineReading {
  engine: 'lstm' | 'legacy' | 'paddle';
  rows: string[];
  sets: { format: MrzFormat; lines: string[] }[];
}

/** Folds characters engines confuse into one class, for cross-engine comparison. */
export function foldConfusables(text: string): string {
  return text.replace(/[ODQU]/g, '0').replace(/[IL]/g, '1').replace(/Z/g, '2').replace(/S/g, '5').replace(/B/g, '8').replace(/G/g, '6');
}

/**
 * Whether engines that fail differently agree on `candidate`. Two readings by the same engine
 * often repeat the same mistake, so only agreement across engines counts:
 * - where no check digit looks (names, codes, nationality, sex, visa optional data), an "exact"
 *   witness has the span exactly, fillers included, in one of its candidate sets, and each of
 *   the span's runs of letters/digits is read by another engine too (up to O/0-style confusions
 *   in letters-only fields; a run of one or two characters next to its neighbour); no other
 *   value of the span is confirmed as well (the engines would be divided), and in fields that
 *   may mix letters and digits no credible reading may offer a clear alternative (`dissent`);
 * - fields under a check digit are found exactly in one engine's reading and, up to confusable
 *   characters, in another's: the 7-3-1 check misses errors whose weights cancel (Q,G for 0,0
 *   in positions 1-2 does); two engines rarely make the same one, and a reading that has the
 *   field in other confusables with its check digit passing too makes it ambiguous.
 * The LSTM engine is never the exact witness: it garbles filler runs into K/L/C (its readings
 * only have to contain the runs of letters and digits). The legacy engine reads fillers well,
 * and the paddle engine (paddle.ts) reads fillers and letters well.
 */
export function enginesAgree(readings: EngineReading[], candidate: string[], format: MrzFormat): boolean {
  const engines = [...new Set(readings.map((r) => r.engine))];
  // The LSTM engine garbles filler runs: it is never the exact witness (below).
  const exactEngines = engines.length >= 2 ? engines.filter((e) => e !== 'lstm') : [];
  const rowsOf = (engine: EngineReading['engine'], fold: boolean) =>
    readings.filter((r) => r.engine === engine).map((r) => (fold ? r.rows.map(foldConfusables) : r.rows));
  const confirmedBy = (rows: string[][], token: string) => rows.some((reading) => reading.some((row) => row.includes(token)));
  const alnumSpans = fieldSpans(format).filter((f) => f.kind === 'alnum');
  for (const span of unprotectedPositions(format)) {
    const line = candidate[span.line] ?? '';
    const alnumHere = alnumSpans.filter((f) => f.line === span.line && f.start < span.end && span.start < f.end);
    if (!spanWitnessed(readings, exactEngines, line, span, alnumHere, format)) return false;
    // Another value of the span, a clear substitution away, that two engines confirm just as
    // well (its runs of letters/digits taken whole, beyond the span): the engines are divided
    // (TWN read as TUN by two engines, as TWN by two others), and no choice is safe.
    for (const alternative of new Set(alternativesOf(readings, line, span, format).map((a) => a.value))) {
      const other = line.slice(0, span.start) + alternative + line.slice(span.end);
      // An alternative in confusables only (NLO for NLD) is confirmed by the very readings
      // that confirm the candidate once folded: it must be read as it is.
      const confusable = foldConfusables(alternative) === foldConfusables(line.slice(span.start, span.end));
      if (spanWitnessed(readings, exactEngines, other, span, alnumHere, format, { wholeRuns: true, strict: confusable })) return false;
    }
    for (const field of alnumHere) {
      const piece = { line: span.line, start: Math.max(span.start, field.start), end: Math.min(span.end, field.end) };
      if (dissent(readings, line, piece, format)) return false;
    }
  }
  for (const span of protectedFields(format)) {
    const token = (candidate[span.line] ?? '').slice(span.start, span.end).replace(/<+$/, '');
    if (!token) continue;
    // One engine reads the field exactly, another the same up to confusable characters.
    const folded = foldConfusables(token);
    const agreed = engines.some(
      (a) => confirmedBy(rowsOf(a, false), token) && engines.some((b) => b !== a && confirmedBy(rowsOf(b, true), folded)),
    );
    if (!agreed) return false;
    if (confusableRival(readings, candidate[span.line] ?? '', span, format)) return false;
  }
  for (const span of checkedTails(format)) {
    // Compared in aligned candidate sets: these spans are mostly fillers, whose count a raw
    // reading may get wrong. Fillers count as 0 in check digits, so '<' for '0' passes them:
    // the engines must agree on which it is (confusables fold letters and digits, not '<').
    const want = (candidate[span.line] ?? '').slice(span.start, span.end);
    const spansOf = (engine: EngineReading['engine']) =>
      readings.filter((r) => r.engine === engine).flatMap((r) => r.sets.filter((set) => set.format === format).map((set) => (set.lines[span.line] ?? '').slice(span.start, span.end)));
    const folded = foldConfusables(want);
    const agreed = engines.some((a) => spansOf(a).includes(want) && engines.some((b) => b !== a && spansOf(b).some((got) => foldConfusables(got) === folded)));
    if (!agreed) return false;
  }
  return true;
}

/**
 * Whether a reading has the field under a check digit differently, only in confusable
 * characters (B/8, D/0, ...), with its check digit passing too. The 7-3-1 weights let some
 * pairs of such errors cancel (B for 8 and D for 0 at positions 1-2 do): when the engines read
 * both ways, the check digit cannot choose, and neither reading is safe.
 */
function confusableRival(readings: EngineReading[], line: string, span: { line: number; start: number; end: number }, format: MrzFormat): boolean {
  const want = line.slice(span.start, span.end);
  const folded = foldConfusables(want);
  const rival = (got: string) => got !== want && foldConfusables(got) === folded && String(computeCheckDigit(got.slice(0, -1))) === got.slice(-1);
  return readings.some(
    (r) =>
      r.sets.some((set) => set.format === format && rival((set.lines[span.line] ?? '').slice(span.start, span.end))) ||
      // Raw rows too: a reading too short or long to align may still hold the field whole.
      r.rows.some((row) => {
        for (let at = 0; at + want.length <= row.length; at++) if (rival(row.slice(at, at + want.length))) return true;
        return false;
      }),
  );
}

/**
 * Check-digit-covered spans outside the document number and dates: the personal number with
 * its check digit, and the composite check digit. Check digits catch most misreads there, not
 * a '<' read for a '0' (both count 0), nor errors whose weights cancel.
 */
function checkedTails(format: MrzFormat): { line: number; start: number; end: number }[] {
  switch (format) {
    case 'TD1':
      return [{ line: 1, start: 29, end: 30 }];
    case 'TD2':
    case 'FRENCH_ID':
      return [{ line: 1, start: 35, end: 36 }];
    case 'TD3':
      return [{ line: 1, start: 28, end: 44 }];
    case 'MRVA':
    case 'MRVB':
      return [];
  }
}

/**
 * Whether the engines confirm `line`'s value on `span` (enginesAgree): one (of `exactEngines`)
 * has it exactly in an aligned reading, and each of its runs of letters/digits is read by
 * another engine too.
 */
function spanWitnessed(
  readings: EngineReading[],
  exactEngines: EngineReading['engine'][],
  line: string,
  span: { line: number; start: number; end: number },
  alnumHere: { start: number; end: number }[],
  format: MrzFormat,
  { wholeRuns = false, strict = false }: { wholeRuns?: boolean; strict?: boolean } = {},
): boolean {
  const want = line.slice(span.start, span.end);
  // Runs of letters/digits in letters-only fields may be confirmed up to O/0-style
  // confusions; runs in fields that may mix letters and digits (document code, optional
  // data) must be confirmed as they are, and no reading may offer a clear alternative there.
  const tokens = [...want.matchAll(/[^<]+/g)].map((m) => {
    let start = span.start + (m.index ?? 0);
    let end = start + m[0].length;
    if (wholeRuns) {
      // The whole run of the line, across the span's ends: a short run ("H" for the sex) is
      // found in any reading, its neighbours are not.
      while (start > 0 && line[start - 1] !== '<') start--;
      while (end < line.length && line[end] !== '<') end++;
    }
    const text = line.slice(start, end);
    const literal = strict || alnumHere.some((f) => f.start < end && start < f.end);
    // Where the candidate has a filler (or the line's end) next to the run, so must the
    // reading; where the run continues into a protected field, the check digit looks there.
    const bounded = { before: start === 0 || line[start - 1] === '<', after: end === line.length || line[end] === '<' };
    const fold = (t: string) => (literal ? t : foldConfusables(t));
    return { text: fold(text), strict: literal, bounded, context: shortRunContext(line, start, end, fold) };
  });
  return exactEngines.some((exactEngine) => {
    const exact = readings.some((r) => r.engine === exactEngine && r.sets.some((set) => set.format === format && (set.lines[span.line] ?? '').slice(span.start, span.end) === want));
    if (!exact) return false;
    // Every run is read by another engine too (not necessarily the same one for every run).
    return tokens.every((t) =>
      readings.some(
        (r) => r.engine !== exactEngine && r.rows.some((row) => containsRun(t.strict ? row : foldConfusables(row), t.text, r.engine, t.bounded, t.context)),
      ),
    );
  });
}

/** Values of `span` in aligned readings that differ from `line`'s by a clear substitution, with the reading's line. */
function alternativesOf(readings: EngineReading[], line: string, span: { line: number; start: number; end: number }, format: MrzFormat): { value: string; line: string }[] {
  const want = line.slice(span.start, span.end);
  return readings.flatMap((r) =>
    r.sets.flatMap((set) => {
      const theirs = set.lines[span.line] ?? '';
      const got = theirs.slice(span.start, span.end);
      const clear = set.format === format && got.length === want.length && got !== want && isClearAlternative(got, want, r.engine);
      return clear && alignedAround(theirs, line, span) ? [{ value: got, line: theirs }] : [];
    }),
  );
}

/**
 * The neighbouring run a run of one or two characters must be found with: any reading holds a
 * lone "U" somewhere (the LSTM engine's garbled filler runs do), next to "MEI" it is evidence.
 * The run before it (else the one after), and the number of fillers between them.
 */
function shortRunContext(line: string, start: number, end: number, fold: (t: string) => string): RunContext | undefined {
  if (end - start >= 3) return undefined;
  const before = /([^<]+)(<+)$/.exec(line.slice(0, start));
  // Its nearest three characters are enough, and leave the rest of it to its own witnesses.
  if (before) return { side: 'before', text: fold((before[1] as string).slice(-3)), gap: (before[2] as string).length };
  const after = /^(<+)([^<]+)/.exec(line.slice(end));
  if (after) return { side: 'after', text: fold((after[2] as string).slice(0, 3)), gap: (after[1] as string).length };
  return undefined;
}

interface RunContext {
  side: 'before' | 'after';
  text: string;
  gap: number;
}

/**
 * Whether `row` holds `token` as a whole run of letters/digits: bounded by fillers or the row's
 * ends on the sides where the candidate has them, so that a name cut short ("H" for "HUA") is
 * not confirmed by a reading of the full one; with `context`, next to that neighbouring run.
 * The LSTM engine turns fillers into K/L/C/S, so next to its runs those count as fillers too
 * (and its filler counts are loose).
 */
function containsRun(row: string, token: string, engine: EngineReading['engine'], bounded: { before: boolean; after: boolean }, context?: RunContext): boolean {
  // Rows may be folded (foldConfusables): L is then 1, S is 5.
  const boundary = engine === 'lstm' ? /[<KLCS15]/ : /</;
  for (let at = row.indexOf(token); at >= 0; at = row.indexOf(token, at + 1)) {
    const before = row[at - 1];
    const after = row[at + token.length];
    if (bounded.before && before !== undefined && !boundary.test(before)) continue;
    if (bounded.after && after !== undefined && !boundary.test(after)) continue;
    if (context && !contextAt(row, at, token.length, context, engine === 'lstm')) continue;
    return true;
  }
  return false;
}

function contextAt(row: string, at: number, length: number, context: RunContext, loose: boolean): boolean {
  const gaps = loose ? [context.gap - 1, context.gap, context.gap + 1, context.gap + 2].filter((g) => g >= 1) : [context.gap];
  const filler = loose ? /^[<KLCS15]+$/ : /^<+$/;
  return gaps.some((gap) => {
    if (context.side === 'before') {
      const from = at - gap - context.text.length;
      return from >= 0 && filler.test(row.slice(at - gap, at)) && row.slice(from, at - gap) === context.text;
    }
    const from = at + length + gap;
    return filler.test(row.slice(at + length, from)) && row.slice(from, from + context.text.length) === context.text;
  });
}

/**
 * Whether a credible reading offers a clear alternative to the candidate's value on `span`, a
 * value no check digit protects: a reading that has the span aligned and differs there by a
 * clear substitution (1-2 positions, letters or digits on both sides, no fillers involved). A
 * reading is credible when it is aligned with the candidate (the characters on either side of
 * the span agree, up to confusables: a window of a reading shifted by a dropped or extra
 * character differs everywhere by one place, and is no evidence) and the check digits on the
 * span's own line pass in it (a line without check digits always does): a garbled reading that
 * happens to line up does not veto two engines that agree. The paddle engine does not tell O
 * from 0 apart in OCR-B, so it never dissents about those.
 */
function dissent(readings: EngineReading[], candidateLine: string, span: { line: number; start: number; end: number }, format: MrzFormat): boolean {
  return alternativesOf(readings, candidateLine, span, format).some((a) => lineChecksPass(a.line, span.line, format));
}

/** Whether two readings of a line agree on up to 3 characters on each side of `span` (fillers and their look-alikes alike, confusables folded). */
function alignedAround(a: string, b: string, span: { start: number; end: number }): boolean {
  const norm = (c: string | undefined) => foldConfusables((c ?? '').replace(/[KLC]/, '<'));
  for (let k = Math.max(0, span.start - 3); k < Math.min(b.length, span.end + 3); k++) {
    if (k >= span.start && k < span.end) continue;
    if (norm(a[k]) !== norm(b[k])) return false;
  }
  return true;
}

/** Whether the check digits of the fields on line `index` pass in `line` (a line without any always does). */
export function lineChecksPass(line: string, index: number, format: MrzFormat): boolean {
  return protectedFields(format)
    .filter((f) => f.line === index)
    .every((f) => {
      const field = line.slice(f.start, f.end);
      return String(computeCheckDigit(field.slice(0, -1))) === field.slice(-1);
    });
}

function isClearAlternative(got: string, want: string, engine: EngineReading['engine']): boolean {
  let differences = 0;
  for (let i = 0; i < want.length; i++) {
    const g = got[i] as string;
    const w = want[i] as string;
    if (g === w) continue;
    if (g === '<' || w === '<' || FILLER_LOOKALIKE.test(g)) return false;
    if (engine === 'paddle' && /^[O0]$/.test(g) && /^[O0]$/.test(w)) continue;
    differences++;
  }
  return differences > 0 && differences <= 2;
}

/** Fields under a check digit, with their check digit. */
function protectedFields(format: MrzFormat): { line: number; start: number; end: number }[] {
  switch (format) {
    case 'TD1':
      return [
        { line: 0, start: 5, end: 15 },
        { line: 1, start: 0, end: 7 },
        { line: 1, start: 8, end: 15 },
      ];
    case 'TD2':
    case 'MRVB':
    case 'TD3':
    case 'MRVA':
      return [
        { line: 1, start: 0, end: 10 },
        { line: 1, start: 13, end: 20 },
        { line: 1, start: 21, end: 28 },
      ];
    case 'FRENCH_ID':
      return [
        { line: 1, start: 0, end: 13 },
        { line: 1, start: 27, end: 34 },
      ];
  }
}
