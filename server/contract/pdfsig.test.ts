import { describe, expect, it } from 'vitest';
import { parsePdfsigOutput } from './pdfsig.ts';

describe('pdfsig output', () => {
  it('is valid only on "Signature is Valid" with the whole document signed', () => {
    const ok = '  - Total document signed\n  - Signature Validation: Signature is Valid.\n  - Certificate Validation: Certificate issuer is unknown.';
    expect(parsePdfsigOutput(ok)).toMatchObject({ valid: true, wholeDocument: true });
    expect(parsePdfsigOutput('  - Signature Validation: Digest Mismatch.\n')).toMatchObject({ valid: false, summary: expect.stringMatching(/^Digest Mismatch/) });
    expect(parsePdfsigOutput('  - Signature Validation: Signature is Valid.\n')).toMatchObject({ valid: true, wholeDocument: false });
    expect(parsePdfsigOutput('File does not contain any signatures')).toMatchObject({ valid: false });
  });
});
