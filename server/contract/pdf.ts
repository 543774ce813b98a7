/**
 * Renders the filled contract and its evidence appendix to PDF (pdfkit, Noto Sans CJK for all
 * text so Chinese and Latin names render and stay extractable), then adds a CMS signature
 * (subFilter ETSI.CAdES.detached) with @signpdf: the placeholder goes into the finished buffer
 * (@signpdf/placeholder-plain, which works on pdfkit 0.20 output) and the signer fills it.
 *
 * Deterministic: the same inputs (including `sealedAt`, used for the PDF dates, the file id and
 * the CMS signing time) give the same bytes, since pdfkit's file id derives from the dates and
 * RSA PKCS#1 v1.5 signatures are deterministic.
 */
import { readFileSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import { plainAddPlaceholder } from '@signpdf/placeholder-plain';
import { SignPdf } from '@signpdf/signpdf';
import type { AppendixSection } from './appendix.ts';
import type { PdfCertificate } from './certificate.ts';
import type { ContractLocale } from './evidence.ts';
import type { ContractBlock } from './template.ts';
import { ContractInputError, ContractKeyError } from './errors.ts';

export const DEFAULT_FONT_DIR = '/usr/share/fonts/opentype/noto';
const REGULAR = { file: 'NotoSansCJK-Regular.ttc', postscript: 'NotoSansCJKsc-Regular' };
const BOLD = { file: 'NotoSansCJK-Bold.ttc', postscript: 'NotoSansCJKsc-Bold' };

/**
 * Parsed fonts (fontkit objects, which pdfkit accepts in place of a file). Parsing a 19 MB
 * collection takes ~70 ms, so it is done once and shared by every document; each document
 * still embeds its own subset.
 */
export interface ContractFonts {
  regular: PDFKit.Mixins.PDFFontSource;
  bold: PDFKit.Mixins.PDFFontSource;
  /** False for the built-in Latin fallback: Chinese contracts cannot be rendered with it. */
  cjk?: boolean;
}

/**
 * Noto CJK when installed; otherwise PDF's built-in Helvetica, so English contracts still work on
 * a machine without the Debian fonts (`problem` says what is missing, for a startup warning).
 */
export function loadContractFontsOrFallback(dir = DEFAULT_FONT_DIR): { fonts: ContractFonts; problem: string | null } {
  try {
    return { fonts: loadContractFonts(dir), problem: null };
  } catch (error) {
    if (!(error instanceof ContractKeyError)) throw error;
    return { fonts: { regular: 'Helvetica', bold: 'Helvetica-Bold', cjk: false }, problem: error.message };
  }
}

const fontCache = new Map<string, ContractFonts>();

/** Reads and parses the Noto CJK collections once; throws a ContractKeyError (startup) when they are missing. */
export function loadContractFonts(dir = DEFAULT_FONT_DIR): ContractFonts {
  const cached = fontCache.get(dir);
  if (cached) return cached;
  const parse = (face: { file: string; postscript: string }) => {
    let bytes: Buffer;
    try {
      bytes = readFileSync(`${dir}/${face.file}`);
    } catch {
      throw new ContractKeyError(`font ${dir}/${face.file} cannot be read (Debian: apt-get install fonts-noto-cjk)`);
    }
    // pdfkit parses the file with its own fontkit; a throwaway document hands the parsed font back.
    const probe = new PDFDocument({ autoFirstPage: false });
    try {
      probe.registerFont('probe', bytes, face.postscript);
      probe.font('probe');
    } catch {
      throw new ContractKeyError(`font ${dir}/${face.file} has no face ${face.postscript}`);
    }
    const parsed = (probe as unknown as { _font?: { font?: { layout?: unknown } } })._font?.font;
    if (typeof parsed?.layout !== 'function') throw new ContractKeyError(`font ${dir}/${face.file} could not be parsed`);
    return parsed as unknown as PDFKit.Mixins.PDFFontSource;
  };
  const fonts = { regular: parse(REGULAR), bold: parse(BOLD) };
  fontCache.set(dir, fonts);
  return fonts;
}

export interface RenderInput {
  locale: ContractLocale;
  blocks: ContractBlock[];
  /** Printed under the contract: who signed, when, and the confirmation statement. */
  signatureBlock: { caption: string; lines: string[]; image?: Uint8Array };
  appendixTitle: string;
  appendix: AppendixSection[];
  /** Footer: e.g. the reference. Page numbers are added. */
  footer: string;
  title: string;
  sealedAt: Date;
  fonts: ContractFonts;
}

const MARGIN = 56;
const INK = '#111111';
const MUTED = '#555555';

/** Renders the unsigned PDF. */
export function renderContractPdf(input: RenderInput): Promise<Buffer> {
  if (input.locale !== 'en' && input.fonts?.cjk === false) {
    return Promise.reject(new ContractInputError('Chinese contract PDFs need the Noto CJK fonts (Debian: apt-get install fonts-noto-cjk)'));
  }
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN + 14, left: MARGIN, right: MARGIN },
    bufferPages: true,
    lang: input.locale,
    displayTitle: true,
    info: {
      Title: input.title,
      Creator: 'Attest',
      Producer: 'Attest (pdfkit)',
      CreationDate: input.sealedAt,
      ModDate: input.sealedAt,
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const builtIn = input.fonts?.cjk === false;
  doc.registerFont('regular', input.fonts.regular, builtIn ? undefined : REGULAR.postscript);
  doc.registerFont('bold', input.fonts.bold, builtIn ? undefined : BOLD.postscript);
  const width = doc.page.width - MARGIN * 2;

  for (const block of input.blocks) {
    switch (block.kind) {
      case 'title':
        doc.font('bold').fontSize(17).fillColor(INK).text(block.text, { align: 'center', width });
        doc.moveDown(0.8);
        break;
      case 'heading':
        doc.moveDown(0.4).font('bold').fontSize(11.5).fillColor(INK).text(block.text, MARGIN, undefined, { width });
        doc.moveDown(0.25);
        break;
      case 'paragraph':
        doc.font('regular').fontSize(10).fillColor(INK).text(block.text, MARGIN, undefined, { width, align: 'left', lineGap: 2 });
        doc.moveDown(0.5);
        break;
      case 'item':
        doc.font('regular').fontSize(10).fillColor(INK).text(`•  ${block.text}`, MARGIN + 10, undefined, { width: width - 10, lineGap: 2, indent: 0 });
        doc.moveDown(0.2);
        break;
    }
  }

  // Signature block.
  doc.moveDown(1);
  if (doc.y > doc.page.height - MARGIN - 160) doc.addPage();
  doc.font('bold').fontSize(11).fillColor(INK).text(input.signatureBlock.caption, MARGIN, undefined, { width });
  doc.moveDown(0.3);
  if (input.signatureBlock.image) {
    const top = doc.y;
    doc.image(Buffer.from(input.signatureBlock.image), MARGIN, top, { fit: [220, 80] });
    doc.y = top + 84;
  }
  doc.font('regular').fontSize(9.5).fillColor(INK);
  for (const line of input.signatureBlock.lines) doc.text(line, MARGIN, undefined, { width, lineGap: 1.5 });

  // Evidence appendix.
  doc.addPage();
  doc.font('bold').fontSize(15).fillColor(INK).text(input.appendixTitle, MARGIN, undefined, { width });
  doc.moveDown(0.6);
  const labelWidth = 170;
  for (const section of input.appendix) {
    if (doc.y > doc.page.height - MARGIN - 80) doc.addPage();
    doc.moveDown(0.3).font('bold').fontSize(10.5).fillColor(INK).text(section.heading, MARGIN, undefined, { width });
    doc.moveDown(0.2);
    for (const row of section.rows) {
      doc.font('regular');
      const valueSize = row.mono ? 7.5 : 8.5;
      const valueHeight = doc.fontSize(valueSize).heightOfString(row.value, { width: width - labelWidth });
      const labelHeight = doc.fontSize(8.5).heightOfString(row.label, { width: labelWidth - 8 });
      if (doc.y + Math.max(valueHeight, labelHeight) > doc.page.height - MARGIN - 14) doc.addPage();
      const top = doc.y;
      doc.fontSize(8.5).fillColor(MUTED).text(row.label, MARGIN, top, { width: labelWidth - 8 });
      doc.fontSize(valueSize).fillColor(INK).text(row.value, MARGIN + labelWidth, top, { width: width - labelWidth });
      doc.y = top + Math.max(valueHeight, labelHeight) + 3;
    }
  }

  // Footers: reference and page numbers.
  const range = doc.bufferedPageRange();
  for (let index = 0; index < range.count; index++) {
    doc.switchToPage(range.start + index);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .font('regular')
      .fontSize(7.5)
      .fillColor(MUTED)
      .text(`${input.footer} · ${index + 1}/${range.count}`, MARGIN, doc.page.height - MARGIN + 8, { width, align: 'center', lineBreak: false });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}

export const PDF_SUBFILTER = 'ETSI.CAdES.detached';

/** Adds the placeholder to the finished PDF and signs it with a fresh signer (one per signature). */
export async function signContractPdf(pdf: Buffer, certificate: PdfCertificate, signingTime: Date): Promise<Buffer> {
  const withPlaceholder = plainAddPlaceholder({
    pdfBuffer: pdf,
    reason: 'Sealed e-contract and session evidence',
    contactInfo: '',
    name: certificate.commonName,
    location: '',
    signingTime,
    subFilter: PDF_SUBFILTER,
    appName: 'Attest',
  });
  return new SignPdf().sign(withPlaceholder, certificate.createSigner(), signingTime);
}
