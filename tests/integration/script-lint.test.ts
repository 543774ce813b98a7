/**
 * `npm run script:lint -- FILE` as a real process: its exit codes and its line format (a
 * contract), and the shipped scripts pass it.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const LINE = /^(.+):(\d+):(\d+): (error|warning): (.+)$/;
const SUMMARY = /^\d+ scripts? publishable: 0 errors, \d+ warnings?$/;

function run(...args: string[]): Promise<{ code: number; lines: string[]; stderr: string }> {
  return new Promise((resolve) => {
    execFile('npm', ['run', '-s', 'script:lint', '--', ...args], { cwd: process.cwd() }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, lines: stdout.split('\n').filter((line) => line !== ''), stderr });
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'attest-lint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run script:lint', () => {
  it('passes every shipped script: exit 0, warnings as lines, then one summary line', async () => {
    const files = readdirSync('prompts/scripts').filter((name) => name.endsWith('.yaml')).map((name) => join('prompts/scripts', name));
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const file of files) {
      const { code, lines } = await run(file);
      expect(code, lines.join('\n')).toBe(0);
      expect(lines.at(-1)).toMatch(SUMMARY);
      expect(lines.filter((line) => SUMMARY.test(line))).toHaveLength(1);
      for (const line of lines.slice(0, -1)) {
        const match = LINE.exec(line);
        expect(match?.[1]).toBe(file);
        expect(match?.[4]).toBe('warning');
      }
    }
  });

  it('fails a broken script: exit 1 and exactly one FILE:LINE:COL line per problem', async () => {
    const source = readFileSync('prompts/scripts/onboarding-identity.yaml', 'utf8')
      .replace('  - id: liveness_check\n    kind: liveness', '  - id: liveness_check\n    kind: say')
      .replace('    maxAttempts: 2\n    timeoutSeconds: 90\n    onFail: needs_review\n', '')
      .replace('    maxAttempts: 3\n    onMismatch: declined_not_free', '    maxAttempts: 9\n    onMismatch: declined_not_free');
    const file = join(dir, 'broken.yaml');
    writeFileSync(file, source);
    const { code, lines } = await run(file);
    expect(code).toBe(1);
    expect(lines.every((line) => LINE.test(line)), lines.join('\n')).toBe(true);
    expect(lines.some((line) => SUMMARY.test(line))).toBe(false);
    const errors = lines.filter((line) => LINE.exec(line)?.[4] === 'error');
    const liveness = errors.find((line) => line.includes('no liveness check'));
    expect(liveness).toMatch(new RegExp(`^${file}:\\d+:1: error: no liveness check: add a \`liveness\` step`));
    const attempts = errors.find((line) => line.includes("step 'voluntary' allows 9 attempts"));
    const attemptsLine = source.split('\n').findIndex((line) => line.includes('maxAttempts: 9')) + 1;
    expect(attempts).toMatch(new RegExp(`^${file}:${attemptsLine}:18: error: `));
  });

  it('fails a file that is not a script with the schema error at its place', async () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'id: Bad Id\ntitle: { en: x }\nlocales: [en]\nsteps: []\n');
    const { code, lines } = await run(file);
    expect(code).toBe(1);
    expect(lines).toContain(`${file}:1:5: error: id: expected a lowercase slug: letters, digits and '-' [schema]`);
  });

  it('exits 2 with the usage without a file', async () => {
    const { code, stderr } = await run();
    expect(code).toBe(2);
    expect(stderr).toContain('usage: npm run script:lint -- FILE');
  });

  // fixtures/scripts/liveness-check.yaml is deliberately partial (consent, then the liveness step
  // alone, for a browser test): it is excluded here, and this checks it fails for exactly that.
  it('fails the deliberately partial liveness fixture only for the elements it leaves out', async () => {
    const { code, lines } = await run('fixtures/scripts/liveness-check.yaml');
    expect(code).toBe(1);
    const rules = new Set(lines.filter((line) => LINE.exec(line)?.[4] === 'error').map((line) => /\[([a-z-]+)\]$/.exec(line)?.[1]));
    expect([...rules].sort()).toEqual(['contract-signature', 'disclosure-terms', 'identity-document', 'intent-questions']);
  });
});
