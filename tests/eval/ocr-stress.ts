/**
 * OCR under harder pictures: every image of an eval:ocr folder, turned, shrunk, blurred,
 * recompressed, darkened or enlarged, through the same pipeline as an uploaded still. What
 * matters most is that nothing is accepted wrong (a refusal costs a retake, a wrong reading
 * may be confirmed unread); the share read exactly shows how robust reading is.
 *
 *   npm run eval:ocr-stress -- --data DIR [--json] [--only rot90,half,...]
 *
 * Last line (always): {"reads","exact","exact_rate","rejected","false_accepts","p50_ms",
 * "by_transform":{name:{"exact","valid","rejected","false_accepts"}}}; exact_rate is over
 * reads of valid specimens.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { OcrPool, readDocument } from '../../server/verify/document/index.ts';
import { loadItems, percentile } from './ocr-data.ts';

function fail(message: string): never {
  process.stderr.write(`eval:ocr-stress: ${message}\n`);
  process.stderr.write(`usage: npm run eval:ocr-stress -- --data DIR [--json] [--only ${Object.keys(TRANSFORMS).join(',')}]\n`);
  process.exit(2);
}

const scaled = async (image: Buffer, factor: number) => {
  const { width } = await sharp(image).metadata();
  return sharp(image).resize(Math.max(1, Math.round((width ?? 1) * factor)));
};

/** Each a picture a phone or webcam could plausibly send. */
const TRANSFORMS: Record<string, (image: Buffer) => Promise<Buffer>> = {
  rot90: (b) => sharp(b).rotate(90).png().toBuffer(),
  rot270: (b) => sharp(b).rotate(270).png().toBuffer(),
  rot7: (b) => sharp(b).rotate(7, { background: '#808080' }).png().toBuffer(),
  rotm3: (b) => sharp(b).rotate(-3, { background: '#ffffff' }).png().toBuffer(),
  small: async (b) => (await scaled(b, 0.6)).jpeg({ quality: 60 }).toBuffer(),
  blur: (b) => sharp(b).blur(1.1).jpeg({ quality: 70 }).toBuffer(),
  jpeg25: (b) => sharp(b).jpeg({ quality: 25 }).toBuffer(),
  dark: (b) => sharp(b).gamma(3).linear(0.7, 0).png().toBuffer(),
  closeup: async (b) => (await scaled(b, 1.8)).png().toBuffer(),
  closeupRot5: async (b) => sharp(await (await scaled(b, 2.2)).png().toBuffer()).rotate(5, { background: '#777777' }).jpeg({ quality: 80 }).toBuffer(),
};

async function main(): Promise<void> {
  let values: { data?: string; json?: boolean; only?: string };
  try {
    ({ values } = parseArgs({ options: { data: { type: 'string' }, json: { type: 'boolean' }, only: { type: 'string' } }, strict: true }));
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  if (!values.data) fail('--data DIR is required');
  const dir = path.resolve(values.data);
  const items = loadItems(dir, fail);
  const names = values.only ? values.only.split(',').map((n) => n.trim()) : Object.keys(TRANSFORMS);
  const unknown = names.filter((n) => !(n in TRANSFORMS));
  if (unknown.length > 0) fail(`unknown transform ${unknown.join(', ')}`);
  const say = (line: string) => {
    if (!values.json) process.stdout.write(line + '\n');
  };

  const pool = new OcrPool({ size: 2, timeoutMs: 15_000 });
  await pool.warm([{ language: 'eng', engine: 'lstm' }, { language: 'eng', engine: 'legacy' }, { language: 'eng', engine: 'paddle' }]);
  const now = new Date();
  const times: number[] = [];
  const byTransform: Record<string, { exact: number; valid: number; rejected: number; false_accepts: number }> = {};
  try {
    for (const name of names) {
      const tally = { exact: 0, valid: 0, rejected: 0, false_accepts: 0 };
      byTransform[name] = tally;
      for (const item of items) {
        const image = await (TRANSFORMS[name] as (b: Buffer) => Promise<Buffer>)(readFileSync(path.join(dir, item.file)));
        const started = performance.now();
        let verdict: string;
        try {
          const result = await readDocument(image, { ocr: pool, accepted: ['mrz'], now });
          if (result.kind === 'mrz') {
            const exact = item.all_check_digits_valid && result.mrzLines.join('\n') === item.mrz.join('\n');
            if (exact) tally.exact++;
            else tally.false_accepts++;
            verdict = exact ? 'exact' : `FALSE-ACCEPT read=${result.mrzLines.join('|')}`;
          } else {
            tally.rejected++;
            verdict = `rejected (${result.kind === 'none' ? result.reason : result.kind})`;
          }
        } catch (error) {
          tally.rejected++;
          verdict = `rejected (${error instanceof Error ? error.message : String(error)})`;
        }
        if (item.all_check_digits_valid) tally.valid++;
        const ms = performance.now() - started;
        times.push(ms);
        say(`${name}  ${item.file}  ${verdict}  ${Math.round(ms)} ms`);
      }
      say(`${name}: exact ${tally.exact}/${tally.valid}, rejected ${tally.rejected}, false accepts ${tally.false_accepts}`);
    }
  } finally {
    await pool.close();
  }
  const all = Object.values(byTransform);
  const sum = (key: keyof (typeof all)[number]) => all.reduce((s, t) => s + t[key], 0);
  const valid = sum('valid');
  process.stdout.write(
    JSON.stringify({
      reads: times.length,
      exact: sum('exact'),
      exact_rate: valid ? Math.round((sum('exact') / valid) * 1000) / 1000 : 0,
      rejected: sum('rejected'),
      false_accepts: sum('false_accepts'),
      p50_ms: Math.round(percentile(times, 50)),
      by_transform: byTransform,
    }) + '\n',
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`eval:ocr-stress failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
