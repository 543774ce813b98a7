import { describe, expect, it } from 'vitest';
import { chineseIdCheckCharacter, validateChineseIdNumber } from './number.ts';

const now = new Date('2026-01-01T00:00:00Z');
const make = (first17: string) => first17 + chineseIdCheckCharacter(first17);

describe('Chinese resident ID number', () => {
  it('accepts a generated valid number and derives sex and birth date', () => {
    const r = validateChineseIdNumber(make('11010519491231002'), { now });
    expect(r).toMatchObject({ valid: true, birthDate: '1949-12-31', sex: 'F' });
  });
  it('computes X as a check character', () => {
    expect(chineseIdCheckCharacter('11010519800101001')).toMatch(/^[0-9X]$/);
  });
  it('rejects a bad check character, region, date and mismatch', () => {
    const good = make('11010519800101001');
    const wrong = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    expect(validateChineseIdNumber(wrong, { now }).problems).toContain('check_character');
    expect(validateChineseIdNumber(make('99010519800101001'), { now }).problems).toContain('region');
    expect(validateChineseIdNumber(make('11010519800231001'), { now }).problems).toContain('birth_date');
    expect(validateChineseIdNumber(make('11010520300101001'), { now }).problems).toContain('birth_date_future');
    expect(validateChineseIdNumber(good, { now, birthDate: '1980-01-02' }).problems).toContain('birth_date_mismatch');
  });
});
