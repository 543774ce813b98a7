/**
 * `npm run user:add` as a real process against a data folder, then signing in with the account
 * it made on a real server over that folder.
 */
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestServer, tempDir, type TestServer } from '../support/attest.ts';
import { loginStaff } from '../support/staff.ts';

const dataDir = tempDir('attest-user-add-');
/** util-linux `script` gives the CLI a real terminal (for the no-echo password prompt). */
const HAS_SCRIPT = spawnSync('script', ['--version']).status === 0;
let server: TestServer | null = null;

afterAll(async () => {
  await server?.stop();
});

function userAdd(args: string[], stdin: string): Promise<{ code: number | null; lastLine: Record<string, unknown>; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('server/cli/user-add.ts'), ...args], {
      env: { ...process.env, ATTEST_DATA_DIR: dataDir },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const last = stdout.trim().split('\n').at(-1) ?? '';
      try {
        resolve({ code, lastLine: JSON.parse(last) as Record<string, unknown>, stderr });
      } catch {
        reject(new Error(`last line is not JSON: ${stdout} ${stderr}`));
      }
    });
    child.stdin.end(stdin);
  });
}

describe('npm run user:add', () => {
  it('creates the first admin from a password on stdin, who can then sign in', async () => {
    const made = await userAdd(['--email', 'First.Admin@Example.test', '--role', 'admin'], 'a first admin password\n');
    expect(made.code).toBe(0);
    expect(made.lastLine).toMatchObject({ ok: true, email: 'first.admin@example.test', role: 'admin' });
    expect(made.lastLine.id).toMatch(/^stf_/);
    expect(made.stderr).not.toContain('a first admin password');

    server = await startTestServer({}, dataDir);
    const login = await loginStaff(server.url, 'first.admin@example.test', 'a first admin password');
    expect(login.staff).toEqual({ id: made.lastLine.id, email: 'first.admin@example.test', role: 'admin' });
  });

  it('refuses an existing address with exit code 3 (even while the server runs)', async () => {
    const again = await userAdd(['--email', 'first.admin@example.test', '--role', 'reviewer'], 'another good password\n');
    expect(again.code).toBe(3);
    expect(again.lastLine).toMatchObject({ ok: false, error: 'staff_exists' });
  });

  it('refuses bad input with exit code 2 and says what is wrong', async () => {
    const cases: [string[], string, string, RegExp][] = [
      [['--email', 'not-an-email', '--role', 'admin'], 'a good long password\n', 'bad_email', /not an email address/],
      [['--email', 'x@example.test', '--role', 'boss'], 'a good long password\n', 'unknown_role', /reviewer, script_editor, admin/],
      [['--email', 'x@example.test', '--role', 'reviewer'], '\n', 'weak_password', /empty/],
      [['--email', 'x@example.test', '--role', 'reviewer'], '', 'weak_password', /empty/],
      [['--email', 'x@example.test', '--role', 'reviewer'], 'short\n', 'weak_password', /at least 12/],
      [['--role', 'reviewer'], 'a good long password\n', 'usage', /--email is required/],
      [['--email', 'x@example.test', '--role', 'reviewer', '--bogus'], 'a good long password\n', 'usage', /bogus/],
    ];
    const results = await Promise.all(cases.map(([args, stdin]) => userAdd(args, stdin)));
    results.forEach((result, i) => {
      const [args, , error, message] = cases[i]!;
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.lastLine, args.join(' ')).toMatchObject({ ok: false, error });
      expect(result.stderr, args.join(' ')).toMatch(message);
    });
    expect(server!.attest.staff.list().map((u) => u.email)).not.toContain('x@example.test');
  });

  it.skipIf(!HAS_SCRIPT)('on a terminal, asks for the password twice without echoing it', async () => {
    const command = `${process.execPath} --import tsx ${path.resolve('server/cli/user-add.ts')} --email tty.user@example.test --role script_editor`;
    const child = spawn('script', ['-qefc', command, '/dev/null'], { env: { ...process.env, ATTEST_DATA_DIR: dataDir }, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    let prompts = 0;
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      // Type only once the prompt is up (the terminal is then in raw mode, echo off).
      const seen = (output.match(/Password: |Repeat the password: /g) ?? []).length;
      while (prompts < seen) {
        prompts++;
        child.stdin.write('a typed terminal secret\r');
      }
    });
    const code = await Promise.race([exited, new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 30_000))]);
    if (code === 'timeout') child.kill();
    expect(code, output).toBe(0);
    expect(prompts).toBe(2);
    expect(output).not.toContain('a typed terminal secret');
    expect(output).toMatch(/"ok":true,.*"email":"tty.user@example.test","role":"script_editor"/);
    const login = await loginStaff(server!.url, 'tty.user@example.test', 'a typed terminal secret');
    expect(login.staff.role).toBe('script_editor');
  });
});
