/**
 * `npm run eval:face` as a real process: the contract last line, `--pairs all` on a data folder
 * laid out as the issue describes (GROUND_TRUTH.json pairs + identities/<name>/ folders, read from
 * ../shared/fixtures/faces through symlinks; skipped when absent), and a clear refusal of a bad
 * flag. Accuracy is not asserted here: the eval prints it.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_MATCH_THRESHOLD } from '../../server/verify/face/index.ts';

const FIXTURES = path.resolve('../shared/fixtures/faces');
const hasFixtures = fs.existsSync(path.join(FIXTURES, 'identities')) && fs.existsSync(path.join(FIXTURES, 'test_images'));
if (!hasFixtures) console.warn(`eval-face test: ${FIXTURES} not found; the run on real photos is skipped`);

function run(...args: string[]): Promise<{ code: number; lines: string[]; stderr: string }> {
  return new Promise((resolve) => {
    execFile('npm', ['run', '-s', 'eval:face', '--', ...args], { cwd: process.cwd(), timeout: 240_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, lines: stdout.split('\n').filter((line) => line !== ''), stderr });
    });
  });
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attest-eval-face-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('npm run eval:face', () => {
  it('refuses an unknown --pairs value, naming the flag', async () => {
    const { code, stderr } = await run('--data', dir, '--pairs', 'some');
    expect(code).toBe(1);
    expect(stderr).toMatch(/--pairs takes gt or all/);
  });

  it.skipIf(!hasFixtures)('with --pairs all scores GROUND_TRUTH pairs plus every pair from identities/ folders; last line is the contract JSON', async () => {
    fs.symlinkSync(path.join(FIXTURES, 'identities'), path.join(dir, 'identities'));
    fs.symlinkSync(path.join(FIXTURES, 'test_images'), path.join(dir, 'test_images'));
    const gtPairs = [
      { img_a: 'test_images/obama.jpg', img_b: 'test_images/obama2.jpg', same_person: true },
      { img_a: 'test_images/obama.jpg', img_b: 'test_images/biden.jpg', same_person: false },
    ];
    fs.writeFileSync(path.join(dir, 'GROUND_TRUTH.json'), JSON.stringify({ pairs: gtPairs }));
    const photos = fs.readdirSync(path.join(dir, 'identities')).flatMap((name) => fs.readdirSync(path.join(dir, 'identities', name)));
    const expectedPairs = gtPairs.length + (photos.length * (photos.length - 1)) / 2;

    const { code, lines, stderr } = await run('--data', dir, '--json', '--pairs', 'all');
    expect(code, stderr).toBe(0);
    const last = JSON.parse(lines.at(-1) ?? '') as Record<string, number>;
    expect(Object.keys(last)).toEqual(['pairs', 'threshold', 'tar', 'far', 'eer', 'p50_ms']);
    expect(last.pairs).toBe(expectedPairs);
    expect(last.threshold).toBe(DEFAULT_MATCH_THRESHOLD);
    for (const key of ['tar', 'far', 'eer'] as const) {
      expect(last[key]).toBeGreaterThanOrEqual(0);
      expect(last[key]).toBeLessThanOrEqual(1);
    }
    expect(last.p50_ms).toBeGreaterThan(0);
    expect(lines.some((line) => line.startsWith('  split: rule fitted on identity half A'))).toBe(true);
    expect(lines.some((line) => /needs >= 300 independent different-person pairs/.test(line))).toBe(true);
  });
});
