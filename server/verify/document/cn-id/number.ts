/**
 * Chinese resident identity card number (GB 11643-1999), pure validation.
 *
 * 18 characters: 6-digit administrative division code, 8-digit birth date YYYYMMDD, 3-digit
 * sequence (odd = male, even = female), and an ISO 7064 MOD 11-2 check character (0-9 or X).
 * Region: the first two digits must be a province-level code of GB/T 2260: 11-15, 21-23, 31-37,
 * 41-46, 50-54, 61-65. 71 (Taiwan), 81 (Hong Kong) and 82 (Macao) appear in the standard and on
 * residence permits for those residents; 83 was used on permits for Taiwan residents from 2018,
 * so we accept it too. 91 (overseas Chinese, historical) is not issued on resident identity
 * cards and is rejected.
 */

export type CnIdNumberProblem = 'format' | 'check_character' | 'region' | 'birth_date' | 'birth_date_future' | 'birth_date_mismatch';

export interface CnIdNumberResult {
  valid: boolean;
  problems: CnIdNumberProblem[];
  /** YYYY-MM-DD when the date part is a real date. */
  birthDate: string | null;
  sex: 'M' | 'F' | null;
  regionCode: string | null;
}

const PROVINCE_CODES = new Set([
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83,
]);

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARACTERS = '10X98765432';

/** The check character for the first 17 digits (ISO 7064 MOD 11-2). */
export function chineseIdCheckCharacter(first17: string): string {
  if (!/^[0-9]{17}$/.test(first17)) throw new RangeError('need 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (WEIGHTS[i] as number);
  return CHECK_CHARACTERS[sum % 11] as string;
}

function realDate(yyyymmdd: string): string | null {
  const iso = `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`;
  const d = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== iso) return null;
  if (Number(yyyymmdd.slice(0, 4)) < 1880) return null;
  return iso;
}

/**
 * Validates a number. `birthDate` (YYYY-MM-DD), when the card's birth date was read separately,
 * must match the date inside the number.
 */
export function validateChineseIdNumber(value: string, options: { now: Date; birthDate?: string | null }): CnIdNumberResult {
  const number = value.trim().toUpperCase();
  if (!/^[0-9]{17}[0-9X]$/.test(number)) {
    return { valid: false, problems: ['format'], birthDate: null, sex: null, regionCode: null };
  }
  const problems: CnIdNumberProblem[] = [];
  if (chineseIdCheckCharacter(number.slice(0, 17)) !== number[17]) problems.push('check_character');
  const regionCode = number.slice(0, 6);
  if (!PROVINCE_CODES.has(Number(number.slice(0, 2)))) problems.push('region');
  const birthDate = realDate(number.slice(6, 14));
  if (!birthDate) problems.push('birth_date');
  else if (birthDate > options.now.toISOString().slice(0, 10)) problems.push('birth_date_future');
  if (birthDate && options.birthDate && options.birthDate !== birthDate) problems.push('birth_date_mismatch');
  const sex = Number(number[16]) % 2 === 1 ? 'M' : 'F';
  return { valid: problems.length === 0, problems, birthDate, sex, regionCode };
}
