/**
 * Cross-check with poppler's `pdfsig` (Debian poppler-utils) when it is installed. It exits 0
 * even on a digest mismatch, so the verdict is read from its "Signature Validation:" line and
 * "Total document signed".
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type PdfsigResult =
  | { status: 'unavailable'; summary: string }
  | { status: 'checked'; valid: boolean; wholeDocument: boolean; summary: string; output: string };

/** Reads pdfsig's report for the first signature. */
export function parsePdfsigOutput(output: string): { valid: boolean; wholeDocument: boolean; summary: string } {
  const validation = /Signature Validation:\s*(.+)/.exec(output)?.[1]?.trim() ?? 'no signature found';
  const valid = /^Signature is Valid\.?$/.test(validation);
  const wholeDocument = /Total document signed/.test(output);
  return { valid, wholeDocument, summary: `${validation}${wholeDocument ? ' Total document signed.' : ' Not the whole document is signed.'}` };
}

export function runPdfsig(pdf: Uint8Array, command = 'pdfsig'): Promise<PdfsigResult> {
  return (async () => {
    const dir = await mkdtemp(join(tmpdir(), 'attest-pdfsig-'));
    const file = join(dir, 'contract.pdf');
    try {
      await writeFile(file, pdf);
      const output = await new Promise<string | null>((resolve, reject) => {
        execFile(command, [file], { timeout: 20_000 }, (error, stdout, stderr) => {
          if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') resolve(null);
          else if (error && !stdout) reject(new Error(`pdfsig failed: ${stderr.slice(0, 200)}`));
          else resolve(stdout);
        });
      });
      if (output === null) return { status: 'unavailable', summary: 'pdfsig is not installed' };
      return { status: 'checked', ...parsePdfsigOutput(output), output };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  })();
}
