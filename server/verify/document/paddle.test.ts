/**
 * The paddle engine with the real ONNX model from npm (offline) on MRZ lines this test renders.
 */
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { td3Lines, SAMPLE_HOLDER } from '../../../tests/support/mrz-render.ts';
import type { GrayImage } from './gray.ts';
import { PaddleRecognizer } from './paddle.ts';

const recognizer = new PaddleRecognizer();
afterAll(() => recognizer.close());

const WHITELIST = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<';

/** One MRZ line as a grey image, `height` px tall (character height about 60% of it). */
async function renderLine(text: string, height: number): Promise<GrayImage> {
  const fontSize = Math.round(height * 0.62);
  const width = Math.round(text.length * fontSize * 0.602 + height);
  const escaped = text.replace(/</g, '&lt;');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#f4f1e8"/>
    <text x="${height / 2}" y="${Math.round(height * 0.72)}" font-family="DejaVu Sans Mono" font-size="${fontSize}" fill="#151515">${escaped}</text></svg>`;
  const { data, info } = await sharp(Buffer.from(svg)).flatten({ background: '#ffffff' }).grayscale().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, info.width * info.height) };
}

/** The engine does not tell O from 0 in this font either; the MRZ reader repairs by position. */
const fold = (s: string) => s.replace(/O/g, '0');

describe('paddle OCR engine', () => {
  const lines = td3Lines(SAMPLE_HOLDER);

  it('reads a rendered MRZ data line whole, with character positions', async () => {
    const line = lines[1] as string;
    const image = await renderLine(line, 40);
    const whole = await recognizer.recognizeLine(image, { whitelist: WHITELIST, timeoutMs: 30_000 });
    expect(fold(whole.text)).toBe(fold(line));
    expect(whole.confidence).toBeGreaterThan(50);
    // One position per character, increasing left to right at the font's pitch.
    const xs = whole.chars.map((c) => c.x);
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
    const pitch = (xs.at(-1)! - xs[0]!) / (xs.length - 1);
    expect(pitch).toBeGreaterThan(40 * 0.62 * 0.602 * 0.8);
    expect(pitch).toBeLessThan(40 * 0.62 * 0.602 * 1.2);
  });

  it('reads the names of a names line in windows, which the whole-line reading loses', async () => {
    // The network was trained on short crops: read whole, a names line loses letters inside
    // the long filler run; windows keep them (a window of fillers alone is not reliable: the
    // reader's filler repair and the other engines settle those).
    const image = await renderLine(lines[0] as string, 40);
    const windowed = await recognizer.recognizeLine(image, { whitelist: WHITELIST, window: { width: 9, overlap: 2 }, timeoutMs: 30_000 });
    expect(windowed.text.startsWith('P<NLDMARTIN<<CLARA<JANE<<')).toBe(true);
  });

  it('keeps to the whitelist and times out a job that cannot finish in time', async () => {
    const image = await renderLine('ROAD 12, 3F', 40);
    const free = await recognizer.recognizeLine(image, { timeoutMs: 30_000 });
    expect(free.text).toMatch(/[ ,]/);
    const digits = await recognizer.recognizeLine(image, { whitelist: '0123456789', timeoutMs: 30_000 });
    expect(digits.text).toMatch(/^[0-9]*$/);
    await expect(recognizer.recognizeLine(await renderLine(lines[1] as string, 40), { timeoutMs: 0 })).rejects.toThrow(/exceeded/);
  });
});
