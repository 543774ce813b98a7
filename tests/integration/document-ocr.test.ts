/**
 * The document reader with the real tesseract.js pool (offline language data from npm) on
 * document pages this test renders itself (tests/support/mrz-render.ts).
 */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chineseIdCheckCharacter, DocumentImageError, OcrError, OcrPool, readDocument, type DocumentResult } from '../../server/verify/document/index.ts';
import { renderChineseIdCard, renderDocumentPage, SAMPLE_HOLDER, td1Lines, td3Lines } from '../support/mrz-render.ts';

const now = new Date('2026-01-01T00:00:00Z');
let pool: OcrPool;

beforeAll(async () => {
  pool = new OcrPool({ size: 2, timeoutMs: 20_000 });
  await pool.warm([
    { language: 'eng', engine: 'lstm' },
    { language: 'eng', engine: 'legacy' },
  ]);
});

afterAll(async () => {
  await pool?.close();
});

const read = (image: Buffer): Promise<DocumentResult> => readDocument(image, { ocr: pool, accepted: ['mrz'], now });

function expectAccepted(result: DocumentResult, lines: string[]) {
  expect(result.kind).toBe('mrz');
  if (result.kind !== 'mrz') return;
  expect(result.status).toBe('accepted');
  expect(result.mrzLines).toEqual(lines);
  expect(Object.values(result.checks).every((c) => c !== false)).toBe(true);
}

describe('MRZ documents read offline', () => {
  it('reads a clean TD3 passport page with all fields and a face-photo box', async () => {
    const lines = td3Lines(SAMPLE_HOLDER);
    const result = await read(await renderDocumentPage(lines));
    expectAccepted(result, lines);
    if (result.kind !== 'mrz') return;
    expect(result).toMatchObject({
      format: 'TD3',
      documentType: 'P',
      issuingState: 'NLD',
      documentNumber: 'X4R829156',
      surname: 'MARTIN',
      givenNames: 'CLARA JANE',
      nationality: 'NLD',
      birthDate: '1988-03-14',
      sex: 'F',
      expiryDate: '2034-09-21',
      expired: false,
    });
    // The rendered portrait spans x 80-440, y 110-570 of a 1400 px page.
    expect(result.photoBox).not.toBeNull();
    expect(result.photoBox!.x).toBeLessThan(120);
    expect(result.photoBox!.x + result.photoBox!.width).toBeGreaterThan(400);
    expect(result.photo?.subarray(1, 4).toString()).toBe('PNG');
  });

  it('reads a TD1 card rotated, blurred and downscaled', async () => {
    const lines = td1Lines(SAMPLE_HOLDER);
    expectAccepted(await read(await renderDocumentPage(lines, { rotate: -6, width: 900, blur: 0.7 })), lines);
  });

  it('reads a TD3 page rotated by 8 degrees with blur and heavy JPEG artefacts', async () => {
    const lines = td3Lines(SAMPLE_HOLDER);
    expectAccepted(await read(await renderDocumentPage(lines, { rotate: 8, blur: 1, jpegQuality: 55 })), lines);
  });

  it('reads a low-resolution page rotated by -10 degrees, and one with glare', async () => {
    const lines = td3Lines(SAMPLE_HOLDER);
    expectAccepted(await read(await renderDocumentPage(lines, { rotate: -10, width: 800, jpegQuality: 60 })), lines);
    expectAccepted(await read(await renderDocumentPage(lines, { glare: true, blur: 0.8 })), lines);
  });

  it('reads one-letter state codes and two-letter names (a German passport), and a page turned 90 degrees', async () => {
    const lines = td3Lines({ ...SAMPLE_HOLDER, surname: 'LI', givenNames: 'NA', issuingState: 'D<<', nationality: 'D<<', documentNumber: 'C01X00T47' });
    expect(lines[0]).toMatch(/^P<D<<LI<<NA<</);
    const page = await renderDocumentPage(lines);
    const result = await read(page);
    expectAccepted(result, lines);
    if (result.kind === 'mrz') expect([result.issuingState, result.surname, result.givenNames, result.unlistedCodes]).toEqual(['D', 'LI', 'NA', []]);
    expectAccepted(await read(await sharp(page).rotate(90).jpeg({ quality: 90 }).toBuffer()), lines);
  });

  it('rejects an MRZ with a wrong check digit instead of guessing', async () => {
    const result = await read(await renderDocumentPage(td3Lines(SAMPLE_HOLDER, { corrupt: true })));
    expect(result.kind).toBe('none');
    if (result.kind === 'none') expect(result.reason).toBe('check_digits_failed');
  });

  it('reports an expired document as expired', async () => {
    const lines = td3Lines({ ...SAMPLE_HOLDER, expiryDate: '240101' });
    const result = await read(await renderDocumentPage(lines));
    expectAccepted(result, lines);
    if (result.kind === 'mrz') expect(result).toMatchObject({ expiryDate: '2024-01-01', expired: true });
  });

  it('finds no MRZ on a page without one', async () => {
    const blank = await sharp({ create: { width: 1200, height: 800, channels: 3, background: '#f2efe6' } }).jpeg().toBuffer();
    const result = await read(blank);
    expect(result.kind).toBe('none');
    if (result.kind === 'none') expect(result.reason).toBe('no_mrz_found');
  });

  it('gives typed errors for a non-image, a truncated JPEG and an oversized image', async () => {
    const reason = async (input: Buffer) => {
      try {
        await read(input);
        return 'no error';
      } catch (error) {
        return error instanceof DocumentImageError ? error.reason : String(error);
      }
    };
    expect(await reason(Buffer.from('%PDF-1.7 definitely not a photo'))).toBe('not_an_image');
    const jpeg = await renderDocumentPage(td3Lines(SAMPLE_HOLDER));
    expect(await reason(jpeg.subarray(0, Math.floor(jpeg.length / 2)))).toBe('truncated');
    // 8000 x 6400 = 51 megapixels (a compressed blank PNG is small to make).
    const huge = await sharp({ create: { width: 8000, height: 6400, channels: 3, background: '#fff' } }).png().toBuffer();
    expect(await reason(huge)).toBe('too_large');
  });
});

describe('OCR pool', () => {
  it('times a job out with a retryable error, recycles the worker and keeps serving', async () => {
    const image = await renderDocumentPage(td3Lines(SAMPLE_HOLDER), { jpegQuality: 0 });
    const error = await pool.recognize({ image, language: 'eng', pageMode: 'block', timeoutMs: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OcrError);
    expect(error).toMatchObject({ code: 'timeout', retryable: true });
    const lines = td3Lines(SAMPLE_HOLDER);
    expectAccepted(await read(await renderDocumentPage(lines)), lines);
  });

  it('rejects jobs after close with a non-retryable error', async () => {
    const closed = new OcrPool({ size: 1 });
    await closed.close();
    await expect(closed.recognize({ image: Buffer.alloc(0), language: 'eng', pageMode: 'line' })).rejects.toMatchObject({ code: 'closed', retryable: false });
  });
});

describe('Chinese resident identity card', () => {
  it('reads the card front and validates the number', async () => {
    const first17 = '44030519900307002';
    const number = first17 + chineseIdCheckCharacter(first17);
    const image = await renderChineseIdCard({ name: '王小明', sex: '女', ethnicity: '汉', birth: [1990, 3, 7], address: '广东省深圳市南山区科技园路一号', number });
    const result = await readDocument(image, { ocr: pool, accepted: ['cn-id'], now });
    expect(result.kind).toBe('cn-id');
    if (result.kind !== 'cn-id') return;
    expect(result).toMatchObject({ idNumber: number, birthDate: '1990-03-07', sex: 'F', name: '王小明' });
  });
});
