import { describe, expect, it } from 'vitest';
import { candidateLineSets, fitLength, majorityLines, namesLookGarbled, normalizeOcrLine, partialLineSets, recombine, repairByPosition } from './clean.ts';
import { parseMrzLines } from './fields.ts';

const TD3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];

describe('MRZ reading cleanup', () => {
  it('normalises OCR lines to the MRZ alphabet', () => {
    expect(normalizeOcrLine(' p<uto eriksson«anna ')).toBe('P<UTOERIKSSON<<ANNA');
  });
  it('brings a line with a dropped filler back to length by widening its filler run', () => {
    const short = (TD3[0] as string).replace('<<<<<', '<<<<');
    expect(fitLength(short, 44)).toContain(TD3[0]);
  });
  it('repairs characters by ICAO field class only', () => {
    // O for 0 in the birth date, 0 for O in the name; the alphanumeric document number is untouched.
    const noisy = ['P<UTOERIKSS0N<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO74O8122F1204159ZE184226B<<<<<10'];
    expect(repairByPosition(noisy, 'TD3')).toEqual(TD3);
  });
  it('turns a trailing run of filler look-alikes into fillers but keeps a final name letter', () => {
    const noisy = (TD3[0] as string).replace(/<{5,}$/, (run) => '<' + 'LK'.repeat(run.length).slice(0, run.length - 1));
    const [line] = repairByPosition([noisy, TD3[1] as string], 'TD3');
    expect(line).toBe(TD3[0]);
    const [michael] = repairByPosition(['P<UTOSMITH<<MICHAEL<<<<<<<<<<<<<<<<<<<<<<<<<', TD3[1] as string], 'TD3');
    expect(michael).toContain('MICHAEL<');
  });
  it('finds candidate line sets in multi-line OCR text with junk lines', () => {
    const text = `UTOPIA PASSPORT\n${TD3[0]}\n${TD3[1]}\n`;
    const sets = candidateLineSets(text);
    expect(sets.some((s) => s.format === 'TD3' && s.lines.join() === TD3.join())).toBe(true);
    expect(parseMrzLines(TD3)?.valid).toBe(true);
  });
  it('votes per character across readings', () => {
    expect(majorityLines(['ABC', 'ABD', 'XBC'])).toEqual(['ABC']);
  });
  it('flags names lines that still hold misread fillers', () => {
    expect(namesLookGarbled(['P<UTOERIKSSONKKANNAKMARIALLLLKLLLLLLLLLLLLLL', TD3[1] as string], 'TD3')).toBe(true);
    expect(namesLookGarbled(['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<I<<<<<', TD3[1] as string], 'TD3')).toBe(true);
    expect(namesLookGarbled(TD3, 'TD3')).toBe(false);
  });
  it('keeps the well-read line of a line-by-line reading whose other line is garbled', () => {
    const aus = ['P<AUSCITIZEN<<JANE<<<<<<<<<<<<<<<<<<<<<<<<<<', 'PA09404097AUS8406077F1903212<17331334P<<<<08'];
    const text = `P1T1252444\n${aus[1]}`;
    expect(candidateLineSets(text)).toEqual([]);
    const partial = partialLineSets(text);
    expect(partial.some((set) => set.format === 'TD3' && set.lines[0] === '' && set.lines[1] === aus[1])).toBe(true);
    // Pooled with another reading's good names line, the whole zone comes back.
    const names = candidateLineSets(`${aus[0]}\nPAO9IM4O97AUSB406O77F1903212<173313369<<<<08`);
    expect(recombine([...names, ...partial]).some((set) => set.lines.join() === aus.join())).toBe(true);
  });
});
