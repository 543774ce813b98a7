import { describe, expect, it } from 'vitest';
import { ContractInputError } from './errors.ts';
import { loadContractFontsOrFallback, renderContractPdf, type RenderInput } from './pdf.ts';

/** A machine without Debian's fonts-noto-cjk still starts and renders English contracts. */
describe('contract fonts fallback', () => {
  const { fonts, problem } = loadContractFontsOrFallback('/nonexistent-font-dir');
  const input = (locale: 'en' | 'zh-CN'): RenderInput => ({
    locale,
    blocks: [
      { kind: 'title', text: 'Loan agreement' },
      { kind: 'paragraph', text: 'The borrower agrees to repay 50,000 CNY over 24 months.' },
    ],
    signatureBlock: { caption: 'Signed', lines: ['I, Jane Example, agree.'] },
    appendixTitle: 'Evidence',
    appendix: [{ heading: 'Session', rows: [] }],
    footer: 'ATT-TEST-0001',
    title: 'Loan agreement',
    sealedAt: new Date('2026-11-28T10:00:00Z'),
    fonts,
  });

  it('falls back to the built-in Latin fonts and says what is missing', () => {
    expect(fonts.cjk).toBe(false);
    expect(problem).toContain('fonts-noto-cjk');
  });

  it('renders an English contract with them', async () => {
    const pdf = await renderContractPdf(input('en'));
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it('refuses a Chinese contract with a reason instead of printing missing glyphs', async () => {
    await expect(renderContractPdf(input('zh-CN'))).rejects.toBeInstanceOf(ContractInputError);
  });
});
