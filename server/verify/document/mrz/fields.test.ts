import { describe, expect, it } from 'vitest';
import { computeCheckDigit, expandDate, parseMrzLines } from './fields.ts';
import { parseCandidate } from './parse.ts';

const TD3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];

describe('ICAO 9303 check digits and fields', () => {
  it('computes 7-3-1 check digits', () => {
    expect(computeCheckDigit('L898902C3')).toBe(6);
    expect(computeCheckDigit('740812')).toBe(2);
  });
  it('parses the ICAO TD3 specimen with all checks passing', () => {
    const parse = parseCandidate(TD3);
    expect(parse?.valid).toBe(true);
    expect(parse?.fields).toMatchObject({ format: 'TD3', documentNumber: 'L898902C3', surname: 'ERIKSSON', givenNames: 'ANNA MARIA', birthDate: '740812' });
  });
  it('rejects a wrong check digit', () => {
    const bad = [TD3[0] as string, (TD3[1] as string).replace('C36', 'C37')];
    expect(parseMrzLines(bad)?.valid).toBe(false);
  });
  it('expands dates by century rules', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    expect(expandDate('740812', 'birth', now)).toBe('1974-08-12');
    expect(expandDate('120415', 'expiry', now)).toBe('2012-04-15');
  });
});
