/**
 * Synthetic identity-document pages for tests: builds MRZ lines with correct (or deliberately
 * wrong) ICAO check digits and renders a data page (face photo placeholder, a few printed
 * fields, the MRZ in a monospace system font) with sharp from SVG, then degrades it (rotation,
 * blur, glare, JPEG artefacts, low resolution). Everything is made here; no fixture files.
 */
import sharp from 'sharp';

/** ICAO 9303 7-3-1 check digit, written independently of the server code under test. */
export function icaoCheckDigit(value: string): string {
  const weights = [7, 3, 1];
  let sum = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i] as string;
    const n = c === '<' ? 0 : /[0-9]/.test(c) ? Number(c) : c.charCodeAt(0) - 55;
    sum += n * (weights[i % 3] as number);
  }
  return String(sum % 10);
}

const pad = (value: string, length: number) => (value + '<'.repeat(length)).slice(0, length);

export interface Holder {
  surname: string;
  givenNames: string;
  documentNumber: string;
  issuingState: string;
  nationality: string;
  /** YYMMDD */
  birthDate: string;
  sex: 'M' | 'F' | '<';
  /** YYMMDD */
  expiryDate: string;
  optional?: string;
}

function names(holder: Holder, length: number): string {
  const given = holder.givenNames.split(' ').join('<');
  return pad(`${holder.surname.split(' ').join('<')}<<${given}`, length);
}

/** TD3 (passport) lines; `corrupt` changes the birth-date check digit. */
export function td3Lines(holder: Holder, options: { corrupt?: boolean } = {}): string[] {
  const line1 = pad(`P<${holder.issuingState}${names(holder, 39)}`, 44);
  const number = pad(holder.documentNumber, 9);
  const optional = pad(holder.optional ?? '', 14);
  const optionalCheck = /^<*$/.test(optional) ? '<' : icaoCheckDigit(optional);
  let birthCheck = icaoCheckDigit(holder.birthDate);
  if (options.corrupt) birthCheck = String((Number(birthCheck) + 3) % 10);
  const body =
    number + icaoCheckDigit(number) + holder.nationality + holder.birthDate + birthCheck + holder.sex + holder.expiryDate + icaoCheckDigit(holder.expiryDate) + optional + optionalCheck;
  const composite = icaoCheckDigit(body.slice(0, 10) + body.slice(13, 20) + body.slice(21, 43));
  return [line1, body + composite];
}

/** TD1 (identity card) lines. */
export function td1Lines(holder: Holder): string[] {
  const number = pad(holder.documentNumber, 9);
  const line1 = pad(`I<${holder.issuingState}${number}${icaoCheckDigit(number)}${pad(holder.optional ?? '', 15)}`, 30);
  const head = holder.birthDate + icaoCheckDigit(holder.birthDate) + holder.sex + holder.expiryDate + icaoCheckDigit(holder.expiryDate) + holder.nationality;
  const optional2 = '<'.repeat(11);
  const composite = icaoCheckDigit(line1.slice(5, 30) + head.slice(0, 7) + head.slice(8, 15) + optional2);
  const line2 = head + optional2 + composite;
  return [line1, line2, names(holder, 30)];
}

export interface RenderOptions {
  /** Degrees, clockwise. */
  rotate?: number;
  /** Gaussian blur sigma in pixels of the final image. */
  blur?: number;
  /** Final width in pixels (the page is drawn at 1400 px and resized). */
  width?: number;
  jpegQuality?: number;
  /** Adds a bright elliptical highlight over part of the page. */
  glare?: boolean;
}

/** A data page with the MRZ at the bottom, rendered to JPEG (or PNG when jpegQuality is 0). */
export async function renderDocumentPage(lines: string[], options: RenderOptions = {}): Promise<Buffer> {
  const chars = (lines[0] as string).length;
  const pageWidth = 1400;
  const margin = 70;
  const pitch = (pageWidth - 2 * margin) / chars;
  const fontSize = Math.round(pitch / 0.602); // DejaVu Sans Mono advance is 0.602 em
  const lineGap = Math.round(fontSize * 1.45);
  const mrzTop = 620;
  const pageHeight = mrzTop + lineGap * lines.length + 70;
  const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const mrz = lines
    .map((line, i) => `<text x="${margin}" y="${mrzTop + i * lineGap + fontSize}" font-family="DejaVu Sans Mono" font-size="${fontSize}" fill="#111">${escape(line)}</text>`)
    .join('');
  const fields = ['SURNAME', 'GIVEN NAMES', 'NATIONALITY', 'DATE OF BIRTH', 'DATE OF EXPIRY']
    .map((label, i) => `<text x="520" y="${150 + i * 80}" font-family="DejaVu Sans" font-size="26" fill="#335">${label}</text>`)
    .join('');
  const glare = options.glare ? `<ellipse cx="900" cy="300" rx="260" ry="120" fill="#fff" opacity="0.9"/>` : '';
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${pageWidth}" height="${pageHeight}">
    <rect width="100%" height="100%" fill="#eef0e8"/>
    <rect x="20" y="20" width="${pageWidth - 40}" height="${pageHeight - 40}" rx="30" fill="#f6f3ea" stroke="#999" stroke-width="3"/>
    <rect x="80" y="110" width="360" height="460" fill="#b9b4ad"/>
    <circle cx="260" cy="280" r="100" fill="#8c857c"/>
    <rect x="140" y="400" width="240" height="170" rx="80" fill="#8c857c"/>
    <text x="520" y="80" font-family="DejaVu Sans" font-size="44" font-weight="bold" fill="#223">PASSPORT</text>
    ${fields}${glare}${mrz}
  </svg>`;
  let image = sharp(Buffer.from(svg)).flatten({ background: '#ffffff' });
  if (options.rotate) image = sharp(await image.png().toBuffer()).rotate(options.rotate, { background: '#d8d4cc' });
  let buffer = await image.png().toBuffer();
  if (options.width) buffer = await sharp(buffer).resize({ width: options.width }).png().toBuffer();
  if (options.blur) buffer = await sharp(buffer).blur(options.blur).png().toBuffer();
  if (options.jpegQuality === 0) return buffer;
  return sharp(buffer).jpeg({ quality: options.jpegQuality ?? 85 }).toBuffer();
}

export const SAMPLE_HOLDER: Holder = {
  surname: 'MARTIN',
  givenNames: 'CLARA JANE',
  documentNumber: 'X4R829156',
  issuingState: 'NLD',
  nationality: 'NLD',
  birthDate: '880314',
  sex: 'F',
  expiryDate: '340921',
  optional: '',
};

/** A Chinese resident identity card front (text only, Noto CJK from the system). */
export async function renderChineseIdCard(fields: { name: string; sex: '男' | '女'; ethnicity: string; birth: [number, number, number]; address: string; number: string }): Promise<Buffer> {
  const [y, m, d] = fields.birth;
  const text = (x: number, yPos: number, value: string, size = 34) =>
    `<text x="${x}" y="${yPos}" font-family="Noto Sans CJK SC" font-size="${size}" fill="#111">${value}</text>`;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="760">
    <rect width="100%" height="100%" fill="#f4f1ea"/>
    ${text(80, 110, `姓名  ${fields.name}`)}
    ${text(80, 200, `性别  ${fields.sex}      民族  ${fields.ethnicity}`)}
    ${text(80, 290, `出生  ${y}年${m}月${d}日`)}
    ${text(80, 380, `住址  ${fields.address.slice(0, 12)}`)}
    ${text(190, 440, fields.address.slice(12))}
    ${text(80, 640, `公民身份号码  ${fields.number}`, 38)}
  </svg>`;
  return sharp(Buffer.from(svg)).flatten({ background: '#ffffff' }).jpeg({ quality: 90 }).toBuffer();
}
