import { describe, expect, it } from 'vitest';
import { enginesAgree } from './agree.ts';
import { candidateLineSets } from './clean.ts';
import { parseMrzLines } from './fields.ts';

const TD3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];

describe('agreement between OCR engines', () => {
  it('accepts only what both engines agree on where no check digit looks', () => {
    const legacy = { engine: 'legacy' as const, rows: TD3, sets: [{ format: 'TD3' as const, lines: TD3 }] };
    const lstmRows = ['PKUTOERIKSSONK<KANNA<KMARIA<LLLLLLLLLLLLLKKK', TD3[1] as string];
    const lstm = { engine: 'lstm' as const, rows: lstmRows, sets: candidateLineSets(lstmRows.join('\n')) };
    expect(enginesAgree([legacy, lstm], TD3, 'TD3')).toBe(true);
    // The LSTM engine read another given name: no agreement.
    const other = { ...lstm, rows: ['PKUTOERIKSSONK<KANNE<KMARIA<LLLLLLLLLLLLLKKK', TD3[1] as string] };
    expect(enginesAgree([legacy, other], TD3, 'TD3')).toBe(false);
    // Only one engine: never enough.
    expect(enginesAgree([legacy], TD3, 'TD3')).toBe(false);
  });

  it('lets any two engines confirm a field, but never a name cut short', () => {
    const paddle = { engine: 'paddle' as const, rows: TD3, sets: [{ format: 'TD3' as const, lines: TD3 }] };
    const lstmRows = ['PKUTOERIKSSONK<KANNA<KMARIA<LLLLLLLLLLLLLKKK', TD3[1] as string];
    const lstm = { engine: 'lstm' as const, rows: lstmRows, sets: candidateLineSets(lstmRows.join('\n')) };
    expect(enginesAgree([paddle, lstm], TD3, 'TD3')).toBe(true);
    // The paddle engine dropped "RIA" into the filler run; the LSTM reading has the full name.
    const cut = ['P<UTOERIKSSON<<ANNA<MA<<<<<<<<<<<<<<<<<<<<<<', TD3[1] as string];
    const cutReading = { engine: 'paddle' as const, rows: cut, sets: [{ format: 'TD3' as const, lines: cut }] };
    expect(enginesAgree([cutReading, lstm], cut, 'TD3')).toBe(false);
    // Two readings by one engine are still one engine.
    expect(enginesAgree([paddle, { ...paddle }], TD3, 'TD3')).toBe(false);
  });

  it('refuses an unprotected alphanumeric field when a credible reading offers another value', () => {
    const visa = ['VIUSATRAVELER<<HAPPYPERSON<<<<<<<<<<<<<<<<<<', '555123ABC6GBR6502056F0412236IFLNDOOAMS803085'];
    const misread = [visa[0] as string, (visa[1] as string).replace('IFLND', '1FLND')];
    const legacy = { engine: 'legacy' as const, rows: misread, sets: [{ format: 'MRVA' as const, lines: misread }] };
    const lstm = { engine: 'lstm' as const, rows: misread, sets: [{ format: 'MRVA' as const, lines: misread }] };
    expect(enginesAgree([legacy, lstm], misread, 'MRVA')).toBe(true);
    // A reading whose own check digits pass says I, not 1: the engines are divided.
    const paddle = { engine: 'paddle' as const, rows: visa, sets: [{ format: 'MRVA' as const, lines: visa }] };
    expect(enginesAgree([legacy, lstm, paddle], misread, 'MRVA')).toBe(false);
    // A garbled reading (its birth date fails its check digit) does not veto.
    const garbled = [visa[0] as string, (visa[1] as string).replace('6502056', '6582056')];
    const stray = { engine: 'paddle' as const, rows: garbled, sets: [{ format: 'MRVA' as const, lines: garbled }] };
    expect(enginesAgree([legacy, lstm, stray], misread, 'MRVA')).toBe(true);
  });

  it('makes two engines agree on a check digit that a filler could stand for', () => {
    // An empty personal number's check digit may be printed 0 or '<' (both count 0), so the
    // composite passes either way: one engine's '<' is not enough.
    const hun = ['P<HUNHANDRA<<ROZALIA<IRMA<<<<<<<<<<<<<<<<<<<', 'BD00020282HUN7802225F2203012<<<<<<<<<<<<<<06'];
    const filler = [hun[0] as string, (hun[1] as string).replace('<06', '<<6')];
    expect(parseMrzLines(filler)?.valid).toBe(true);
    const paddle = { engine: 'paddle' as const, rows: filler, sets: [{ format: 'TD3' as const, lines: filler }] };
    const legacy = { engine: 'legacy' as const, rows: hun, sets: [{ format: 'TD3' as const, lines: hun }] };
    expect(enginesAgree([paddle, legacy], filler, 'TD3')).toBe(false);
    expect(enginesAgree([paddle, legacy, { ...legacy, engine: 'lstm' as const }], hun, 'TD3')).toBe(true);
  });

  it('is not vetoed by a window of a reading shifted by one character', () => {
    // The LSTM engine read the names line 5 characters too long; its windows shift the line,
    // so one of them has 'R' where the document code's second letter is: no evidence.
    const rou = ['IDROUSAVA<<SUPERMAN<<<<<<<<<<<<<<<<<', 'HD198025<51328505095M130509012049941'];
    const legacy = { engine: 'legacy' as const, rows: rou, sets: [{ format: 'TD2' as const, lines: rou }] };
    const paddle = { engine: 'paddle' as const, rows: rou, sets: [{ format: 'TD2' as const, lines: rou }] };
    const shifted = [(rou[0] as string).slice(1) + '<', rou[1] as string];
    const lstm = { engine: 'lstm' as const, rows: shifted, sets: [{ format: 'TD2' as const, lines: shifted }] };
    expect(enginesAgree([legacy, paddle, lstm], rou, 'TD2')).toBe(true);
    // An aligned reading with another second letter does veto.
    const other = [(rou[0] as string).replace(/^ID/, 'IR'), rou[1] as string];
    const aligned = { engine: 'lstm' as const, rows: other, sets: [{ format: 'TD2' as const, lines: other }] };
    expect(enginesAgree([legacy, paddle, aligned], rou, 'TD2')).toBe(false);
  });

  it('refuses a field that two pairs of engines read two ways', () => {
    const twn = ['P<TWNLIN<<CHIEN<SHENG<<<<<<<<<<<<<<<<<<<<<<<', 'M000004264TWN6803029M9801048F122187664<<<<66'];
    const tun = [(twn[0] as string).replace('TWN', 'TUN'), twn[1] as string];
    const reading = (engine: 'legacy' | 'paddle' | 'lstm', rows: string[]) => ({ engine, rows, sets: candidateLineSets(rows.join('\n')) });
    const legacy = reading('legacy', tun);
    const lstmTun = reading('lstm', ['PCTUNLINSKSKCHIENSSHENGCCLCLCLCLCLLLCLLCLLLLL', twn[1] as string]);
    expect(enginesAgree([legacy, lstmTun], tun, 'TD3')).toBe(true);
    // The paddle engine and another LSTM reading say TWN: divided, neither is accepted.
    const paddle = reading('paddle', twn);
    const lstmTwn = reading('lstm', ['P<TWNLIN<S<KCHIEN<SHENG<<<CLLLLLLLLLLLCLLLLLKL', twn[1] as string]);
    expect(enginesAgree([legacy, lstmTun, paddle, lstmTwn], tun, 'TD3')).toBe(false);
    expect(enginesAgree([legacy, lstmTun, paddle, lstmTwn], twn, 'TD3')).toBe(false);
    // A one-letter field misread by one engine (H for M) is no such division: its neighbours
    // are not confirmed by another engine.
    const sexMisread = reading('legacy', [twn[0] as string, (twn[1] as string).replace('029M98', '029H98')]);
    expect(enginesAgree([sexMisread, paddle, lstmTwn], twn, 'TD3')).toBe(true);
  });

  it('refuses a document number that a confusable reading with a passing check digit rivals', () => {
    // B for 8 and D for 0 at positions 1-2 cancel in the 7-3-1 sum: both pass.
    const hun = ['P<HUNHANDRA<<ROZALIA<IRMA<<<<<<<<<<<<<<<<<<<', 'BD00020282HUN7802225F2203012<<<<<<<<<<<<<<06'];
    const misread = [hun[0] as string, (hun[1] as string).replace(/^BD/, '80')];
    expect(parseMrzLines(misread)?.valid).toBe(true);
    const reading = (engine: 'legacy' | 'paddle' | 'lstm', rows: string[]) => ({ engine, rows, sets: candidateLineSets(rows.join('\n')) });
    const legacy = reading('legacy', misread);
    const paddleWhole = reading('paddle', misread);
    expect(enginesAgree([legacy, paddleWhole], misread, 'TD3')).toBe(true);
    const paddleWindows = reading('paddle', hun);
    expect(enginesAgree([legacy, paddleWhole, paddleWindows], misread, 'TD3')).toBe(false);
  });

  it('confirms a one- or two-letter name only next to its neighbour', () => {
    const cut = ['P<TWNLIN<<MEI<U<<<<<<<<<<<<<<<<<<<<<<<<<<<<<', '0000000000TWN7601015F1404018A234567893<<<<18'];
    const reading = (engine: 'legacy' | 'paddle' | 'lstm', rows: string[]) => ({ engine, rows, sets: candidateLineSets(rows.join('\n')) });
    const paddle = reading('paddle', cut);
    // The LSTM engine read MEI<HUA and garbled the filler run: an "O" in it folds to the 0 a "U" folds to.
    const lstm = reading('lstm', ['PSTWNLINCCMEICHUACCCLCLCOLCLLLLCLLLLLLLLLLLLL', cut[1] as string]);
    expect(enginesAgree([paddle, lstm], cut, 'TD3')).toBe(false);
    // Read next to MEI by another engine, the short name is confirmed.
    const agreeing = reading('lstm', ['PSTWNLINCCMEICUCCLCLCLCLCLLLLLCLLLLLLLLLLLLLKL', cut[1] as string]);
    expect(enginesAgree([paddle, agreeing], cut, 'TD3')).toBe(true);
  });

  it('sees a confusable rival in a reading too short to align', () => {
    const hun = ['P<HUNHANDRA<<ROZALIA<IRMA<<<<<<<<<<<<<<<<<<<', 'BD00020282HUN7802225F2203012<<<<<<<<<<<<<<06'];
    const misread = [hun[0] as string, (hun[1] as string).replace(/^BD/, '80')];
    const reading = (engine: 'legacy' | 'paddle' | 'lstm', rows: string[]) => ({ engine, rows, sets: candidateLineSets(rows.join('\n')) });
    const legacy = reading('legacy', misread);
    const lstm = reading('lstm', ['P<HUNHANDRA<<ROZALIACIRMACCCLCCCCLCLCLLLLLLLLL', 'BD0D0020282HUNT7B02225F2203012<<<<<<<<<<<<<<06']);
    const short = reading('paddle', [hun[0] as string, 'BD00020282HUN7802225220012<<<<<06']);
    expect(short.sets).toEqual([]);
    expect(enginesAgree([legacy, lstm, reading('paddle', misread)], misread, 'TD3')).toBe(true);
    expect(enginesAgree([legacy, lstm, reading('paddle', misread), short], misread, 'TD3')).toBe(false);
  });

  it('is not divided by an alternative in confusables that only one engine read', () => {
    // The legacy engine read NL0 (repaired to NLO); folded, NLO and NLD are the same, so the
    // readings that confirm NLD must not count for NLO.
    const nld = ['P<NLDMARTIN<<CLARA<JANE<<<<<<<<<<<<<<<<<<<<<', 'X4R8291569NLD8803148F3409213<<<<<<<<<<<<<<<6'];
    const reading = (engine: 'legacy' | 'paddle' | 'lstm', rows: string[]) => ({ engine, rows, sets: candidateLineSets(rows.join('\n')) });
    const legacy = reading('legacy', [nld[0] as string, (nld[1] as string).replace('NLD', 'NL0')]);
    expect(legacy.sets.some((set) => set.lines[1]?.includes('NLO'))).toBe(true);
    const readings = [reading('paddle', nld), reading('lstm', nld), legacy, reading('legacy', nld)];
    expect(enginesAgree(readings, nld, 'TD3')).toBe(true);
    // Read NLO by a second engine too, the engines are divided.
    const lstmNlo = reading('lstm', [nld[0] as string, (nld[1] as string).replace('NLD', 'NLO')]);
    expect(enginesAgree([...readings, lstmNlo], nld, 'TD3')).toBe(false);
  });
});
