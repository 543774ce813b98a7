/**
 * OCR evaluation (issue 3, a contract: keep name, flags and output).
 *
 *   npm run eval:ocr -- --data DIR [--json]
 *
 * DIR holds GROUND_TRUTH.json with `items[]`: `file` (relative to DIR), `mrz` (printed lines),
 * `format`, `all_check_digits_valid`. Every image goes through `readDocument` exactly as an
 * uploaded still. Prints one line per image and a summary (unless --json); the last line is
 * always the JSON totals:
 * {"images","valid_images","mrz_exact","mrz_exact_rate","field_accuracy","rejected",
 *  "false_accepts","p50_ms","p95_ms"}
 * mrz_exact_rate is over the images whose specimen MRZ is valid; field_accuracy is the share of
 * (valid image, field) pairs read correctly, for document number, birth date, expiry, surname,
 * given names and nationality (a rejected image counts as all fields wrong).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DocumentImageError, OcrPool, parseMrzLines, readDocument } from '../../server/verify/document/index.ts';
import { loadItems, percentile, type Item } from './ocr-data.ts';

function fail(message: string): never {
  process.stderr.write(`eval:ocr: ${message}\n`);
  process.stderr.write('usage: npm run eval:ocr -- --data DIR [--json]\n');
  process.exit(2);
}

/** Expected fields from the printed lines (our positional parse of the truth, checks ignored). */
function expectedFields(item: Item): Record<string, string> | null {
  const parse = parseMrzLines(item.mrz);
  if (!parse) return null;
  const f = parse.fields;
  return {
    documentNumber: f.documentNumber,
    birthDate: f.birthDate,
    expiryDate: f.expiryDate,
    surname: f.surname,
    givenNames: f.givenNames,
    nationality: f.nationality,
  };
}

const yymmdd = (iso: string | null): string => (iso ? iso.slice(2, 4) + iso.slice(5, 7) + iso.slice(8, 10) : '');

async function main(): Promise<void> {
  let values: { data?: string; json?: boolean };
  try {
    ({ values } = parseArgs({ options: { data: { type: 'string' }, json: { type: 'boolean' } }, strict: true }));
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  if (!values.data) fail('--data DIR is required');
  const dir = path.resolve(values.data);
  const items = loadItems(dir, fail);
  const json = values.json === true;
  const say = (line: string) => {
    if (!json) process.stdout.write(line + '\n');
  };

  const pool = new OcrPool({ size: 2, timeoutMs: 15_000 });
  await pool.warm([{ language: 'eng', engine: 'lstm' }, { language: 'eng', engine: 'legacy' }, { language: 'eng', engine: 'paddle' }]);
  const now = new Date();
  const times: number[] = [];
  let validImages = 0;
  let exact = 0;
  let rejected = 0;
  let falseAccepts = 0;
  let fieldsRight = 0;
  let fieldsTotal = 0;
  const byFormat = new Map<string, { images: number; valid: number; exact: number; rejected: number; falseAccepts: number }>();

  try {
    for (const item of items) {
      const file = path.join(dir, item.file);
      const expected = item.all_check_digits_valid ? expectedFields(item) : null;
      if (item.all_check_digits_valid) validImages++;
      const started = performance.now();
      let status = 'rejected';
      let detail = '';
      let lines: string[] = [];
      let got: Record<string, string> | null = null;
      try {
        const result = await readDocument(readFileSync(file), { ocr: pool, accepted: ['mrz'], now });
        if (result.kind === 'mrz') {
          status = 'accepted';
          lines = result.mrzLines;
          got = {
            documentNumber: result.documentNumber,
            birthDate: yymmdd(result.birthDate),
            expiryDate: yymmdd(result.expiryDate),
            surname: result.surname,
            givenNames: result.givenNames,
            nationality: result.nationality,
          };
        } else if (result.kind === 'none') {
          detail = result.reason;
        }
      } catch (error) {
        detail = error instanceof DocumentImageError ? `image: ${error.reason}` : `error: ${error instanceof Error ? error.message : String(error)}`;
      }
      const ms = performance.now() - started;
      times.push(ms);
      const isExact = status === 'accepted' && lines.join('\n') === item.mrz.join('\n');
      let fieldScore = '';
      if (status === 'rejected') rejected++;
      if (status === 'accepted' && (!item.all_check_digits_valid || !isExact)) falseAccepts++;
      if (item.all_check_digits_valid) {
        if (isExact) exact++;
        if (expected) {
          const keys = Object.keys(expected);
          const right = got ? keys.filter((k) => got[k] === expected[k]).length : 0;
          fieldsRight += right;
          fieldsTotal += keys.length;
          fieldScore = `${right}/${keys.length}`;
        }
      }
      const tally = byFormat.get(item.format ?? '?') ?? { images: 0, valid: 0, exact: 0, rejected: 0, falseAccepts: 0 };
      tally.images++;
      if (item.all_check_digits_valid) tally.valid++;
      if (item.all_check_digits_valid && isExact) tally.exact++;
      if (status === 'rejected') tally.rejected++;
      if (status === 'accepted' && (!item.all_check_digits_valid || !isExact)) tally.falseAccepts++;
      byFormat.set(item.format ?? '?', tally);
      const verdict = !item.all_check_digits_valid
        ? status === 'accepted'
          ? 'FALSE-ACCEPT(invalid specimen)'
          : 'ok(invalid specimen rejected)'
        : isExact
          ? 'exact'
          : status === 'accepted'
            ? 'FALSE-ACCEPT'
            : 'rejected';
      say(
        `${item.file}  ${item.format ?? ''}  ${verdict}  fields ${fieldScore || '-'}  ${Math.round(ms)} ms${detail ? `  (${detail})` : ''}` +
          (status === 'accepted' && !isExact ? `  read=${lines.join('|')}` : ''),
      );
    }
  } finally {
    await pool.close();
  }

  // Per format (as GROUND_TRUTH.json names it): valid specimens read exactly, rejected, false accepts.
  for (const [format, f] of [...byFormat].sort(([a], [b]) => a.localeCompare(b))) {
    say(`format ${format}: ${f.images} images (${f.valid} valid), exact ${f.exact}/${f.valid}, rejected ${f.rejected}, false accepts ${f.falseAccepts}`);
  }
  const totals = {
    images: items.length,
    valid_images: validImages,
    mrz_exact: exact,
    mrz_exact_rate: validImages ? Math.round((exact / validImages) * 1000) / 1000 : 0,
    field_accuracy: fieldsTotal ? Math.round((fieldsRight / fieldsTotal) * 1000) / 1000 : 0,
    rejected,
    false_accepts: falseAccepts,
    p50_ms: Math.round(percentile(times, 50)),
    p95_ms: Math.round(percentile(times, 95)),
  };
  say(
    `total: ${totals.images} images (${totals.valid_images} valid specimens), MRZ exact ${totals.mrz_exact} (${totals.mrz_exact_rate}), ` +
      `field accuracy ${totals.field_accuracy}, rejected ${totals.rejected}, false accepts ${totals.false_accepts}, ` +
      `p50 ${totals.p50_ms} ms, p95 ${totals.p95_ms} ms`,
  );
  process.stdout.write(JSON.stringify(totals) + '\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`eval:ocr failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
