/**
 * Chinese resident identity card (front side) reader: chi_sim OCR of the whole card, then
 * label-anchored extraction (姓名 name, 性别 sex, 民族 ethnicity, 出生 birth date, 住址 address,
 * 公民身份号码 number). The 18-character number is re-read with the English model restricted to
 * digits and X (more reliable for digits) and must validate (check character, region, birth
 * date consistent with the printed one) before the reading is accepted.
 */
import type { GrayImage } from '../gray.ts';
import { encodePng, resizeGray } from '../image.ts';
import type { OcrEngine } from '../ocr-pool.ts';
import { validateChineseIdNumber, type CnIdNumberProblem } from './number.ts';

export interface CnIdFields {
  name: string | null;
  sex: 'M' | 'F' | null;
  ethnicity: string | null;
  /** YYYY-MM-DD as printed. */
  birthDate: string | null;
  address: string | null;
  idNumber: string | null;
}

export interface CnIdReading extends CnIdFields {
  status: 'accepted';
  idNumber: string;
  checks: { checkCharacter: boolean; region: boolean; birthDate: boolean; birthDateMatches: boolean | null };
  timings: { totalMs: number; ocrCalls: number };
}

export interface CnIdRejection {
  status: 'rejected';
  reason: 'no_id_number' | 'id_number_invalid';
  problems: CnIdNumberProblem[];
  timings: { totalMs: number; ocrCalls: number };
}

export type CnIdResult = CnIdReading | CnIdRejection;

const CJK = '\\u3400-\\u9fff';

/** Removes the spaces tesseract puts between CJK characters (keeps spaces between Latin words). */
export function stripCjkSpaces(text: string): string {
  return text.replace(new RegExp(`([${CJK}])\\s+(?=[${CJK}])`, 'g'), '$1');
}

/** Extracts the fields from the card's OCR text (pure). */
export function parseChineseIdText(text: string): CnIdFields {
  const lines = text
    .split(/\r?\n/)
    .map((l) => stripCjkSpaces(l).trim())
    .filter(Boolean);
  const joined = lines.join('\n');
  const after = (label: RegExp): string | null => {
    for (const line of lines) {
      const m = label.exec(line);
      if (m) {
        const rest = line.slice(m.index + m[0].length).trim();
        if (rest) return rest;
      }
    }
    return null;
  };
  const nameRaw = after(/姓\s*名/);
  const name = nameRaw ? nameRaw.replace(/[^\u3400-\u9fff·]/g, '') || null : null;
  const sexMatch = /性\s*别\s*([男女])/.exec(joined);
  const ethnicityMatch = /民\s*族\s*([\u3400-\u9fff]{1,6})/.exec(joined);
  const birthMatch = /(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日/.exec(joined);
  let address: string | null = null;
  const addressIndex = lines.findIndex((l) => /住\s*址/.test(l));
  if (addressIndex >= 0) {
    const parts: string[] = [];
    const first = (lines[addressIndex] as string).replace(/^.*?住\s*址/, '').trim();
    if (first) parts.push(first);
    for (let i = addressIndex + 1; i < lines.length; i++) {
      const line = lines[i] as string;
      if (/公民|身份|号码|\d{15,}/.test(line)) break;
      parts.push(line);
    }
    address = parts.join('').replace(/\s+/g, '') || null;
  }
  const numberMatch = /(\d[\d\s]{16,22}[\dXx])/.exec(joined.replace(/[Oo]/g, '0'));
  const idNumber = numberMatch ? (numberMatch[1] as string).replace(/\s+/g, '').toUpperCase() : null;
  const pad = (v: string) => v.padStart(2, '0');
  return {
    name,
    sex: sexMatch ? (sexMatch[1] === '男' ? 'M' : 'F') : null,
    ethnicity: ethnicityMatch ? (ethnicityMatch[1] as string) : null,
    birthDate: birthMatch ? `${birthMatch[1]}-${pad(birthMatch[2] as string)}-${pad(birthMatch[3] as string)}` : null,
    address,
    idNumber: idNumber && /^[0-9]{17}[0-9X]$/.test(idNumber) ? idNumber : null,
  };
}

/** Every 18-character run of digits (last may be X) in a digits-only reading. */
function numbersIn(text: string): string[] {
  const compact = text.toUpperCase().replace(/[^0-9X\n]/g, '');
  return [...compact.matchAll(/[0-9]{17}[0-9X]/g)].map((m) => m[0]);
}

export async function readChineseIdCard(
  gray: GrayImage,
  options: { ocr: OcrEngine; now: Date; signal?: AbortSignal },
): Promise<CnIdResult> {
  const started = performance.now();
  // ID cards are 85.6 mm wide; ~1200 px across gives the small print a usable x-height.
  const image = gray.width < 1000 ? await resizeGray(gray, 1200) : gray;
  const png = await encodePng(image);
  const signal = options.signal ? { signal: options.signal } : {};
  const [chinese, digits] = await Promise.all([
    options.ocr.recognize({ image: png, language: 'chi_sim', pageMode: 'auto', ...signal }),
    options.ocr.recognize({ image: png, language: 'eng', pageMode: 'sparse', whitelist: '0123456789X', ...signal }),
  ]);
  const fields = parseChineseIdText(chinese.text);
  const timings = () => ({ totalMs: Math.round(performance.now() - started), ocrCalls: 2 });
  const candidates = [...new Set([...numbersIn(digits.text), ...(fields.idNumber ? [fields.idNumber] : [])])];
  if (candidates.length === 0) return { status: 'rejected', reason: 'no_id_number', problems: ['format'], timings: timings() };
  let problems: CnIdNumberProblem[] = [];
  for (const number of candidates) {
    const check = validateChineseIdNumber(number, { now: options.now, birthDate: fields.birthDate });
    if (check.valid) {
      return {
        status: 'accepted',
        ...fields,
        sex: fields.sex ?? check.sex,
        birthDate: fields.birthDate ?? check.birthDate,
        idNumber: number,
        checks: { checkCharacter: true, region: true, birthDate: true, birthDateMatches: fields.birthDate ? true : null },
        timings: timings(),
      };
    }
    if (problems.length === 0) problems = check.problems;
  }
  return { status: 'rejected', reason: 'id_number_invalid', problems, timings: timings() };
}
