import { describe, expect, it } from 'vitest';
import type { EngineReading } from './agree.ts';
import { unlistedCodes, unlistedCodesWitnessed } from './codes.ts';

const ROU = ['IDROUSAVA<<SUPERMAN<<<<<<<<<<<<<<<<<', 'HD198025<51328505095M130509012049941'];
const reading = (engine: EngineReading['engine'], lines: string[]): EngineReading => ({ engine, rows: lines, sets: [{ format: 'TD2', lines }] });

describe('unlisted state codes', () => {
  it('finds the code fields that are not on the ICAO list', () => {
    expect(unlistedCodes(ROU, 'TD2')).toEqual(['nationality']);
    expect(unlistedCodes(['P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<', 'C01X00T478D<<6408125F2702283<<<<<<<<<<<<<<<4'], 'TD3')).toEqual([]);
    expect(unlistedCodes(['IDFRABERTHIER<<<<<<<<<<<<<<<<<<<<<<<', '8806923102858CORINNE<<<<<<<6512068F6'], 'FRENCH_ID')).toEqual([]);
  });

  it('are believed when two different engines read them exactly alike', () => {
    expect(unlistedCodesWitnessed([reading('legacy', ROU), reading('paddle', ROU)], ROU, 'TD2', ['nationality'])).toBe(true);
  });

  it('are not believed on one engine, or on the LSTM engine with another engine that only folds to it', () => {
    expect(unlistedCodesWitnessed([reading('legacy', ROU), reading('legacy', ROU)], ROU, 'TD2', ['nationality'])).toBe(false);
    const lstmOnly = [ROU[0] as string, (ROU[1] as string).replace('<5132', '<5I32')];
    expect(unlistedCodesWitnessed([reading('lstm', ROU), reading('legacy', lstmOnly)], ROU, 'TD2', ['nationality'])).toBe(false);
  });

  it('are not believed when a credible reading has a listed code in their place', () => {
    const listed = [ROU[0] as string, (ROU[1] as string).replace('<5132', '<5ROU')];
    expect(unlistedCodesWitnessed([reading('legacy', ROU), reading('paddle', ROU), reading('lstm', listed)], ROU, 'TD2', ['nationality'])).toBe(false);
    // ... unless that reading's own line fails its check digits (a garbled reading).
    const garbled = [ROU[0] as string, (listed[1] as string).replace('8505095', '8505096')];
    expect(unlistedCodesWitnessed([reading('legacy', ROU), reading('paddle', ROU), reading('lstm', garbled)], ROU, 'TD2', ['nationality'])).toBe(true);
  });
});
