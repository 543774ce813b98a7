import { describe, expect, it } from 'vitest';
import { chineseIdCheckCharacter, validateChineseIdNumber } from './number.ts';
import { parseChineseIdText, stripCjkSpaces } from './read.ts';

const number = (() => {
  const first17 = '44030519900307002';
  return first17 + chineseIdCheckCharacter(first17);
})();

describe('Chinese ID card text', () => {
  it('strips the spaces tesseract puts between CJK characters only', () => {
    expect(stripCjkSpaces('张 三 丰 ABC DEF')).toBe('张三丰 ABC DEF');
  });

  it('extracts the labelled fields from card-front OCR text', () => {
    const text = [
      '姓 名 王 小 明',
      '性 别 女   民 族 汉',
      '出 生 1990 年 3 月 7 日',
      '住 址 广 东 省 深 圳 市 南 山 区',
      '科 技 园 路 1 号',
      `公 民 身 份 号 码 ${number}`,
    ].join('\n');
    const fields = parseChineseIdText(text);
    expect(fields).toMatchObject({ name: '王小明', sex: 'F', ethnicity: '汉', birthDate: '1990-03-07', idNumber: number });
    expect(fields.address).toBe('广东省深圳市南山区科技园路1号');
    expect(validateChineseIdNumber(number, { now: new Date('2026-01-01'), birthDate: fields.birthDate }).valid).toBe(true);
  });
});
