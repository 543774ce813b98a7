import { describe, expect, it } from 'vitest';
import { flagsOfEvent } from './flags.ts';

describe('review flags of a document read', () => {
  it('flags a passing read whose document prints a code missing from the ICAO list', () => {
    expect(flagsOfEvent('VerifierFinished', { verifier: 'document', outcome: 'pass', data: { unlistedCodes: ['nationality'] } })).toEqual(['document_code_unlisted']);
  });

  it('raises nothing for a passing read with listed codes, and document_failed for a failed one', () => {
    expect(flagsOfEvent('VerifierFinished', { verifier: 'document', outcome: 'pass', data: { unlistedCodes: [] } })).toEqual([]);
    expect(flagsOfEvent('VerifierFinished', { verifier: 'document', outcome: 'pass', data: {} })).toEqual([]);
    expect(flagsOfEvent('VerifierFinished', { verifier: 'document', outcome: 'fail', data: { reason: 'expired' } })).toEqual(['document_failed']);
  });
});
