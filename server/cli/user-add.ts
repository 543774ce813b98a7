/**
 * `npm run user:add -- --email E --role ROLE`
 *
 * Creates a staff account (roles: reviewer, script_editor, admin) in the database under
 * ATTEST_DATA_DIR; this is how the first admin is made. The password is asked for twice
 * without echo on a terminal, and read from the first line of stdin otherwise
 * (`printf '%s\n' "$PASSWORD" | npm run user:add -- ...`).
 *
 * Last line of stdout is JSON: {"ok":true,"id","email","role"} or {"ok":false,"error","message"}.
 * Exit codes: 0 created, 2 bad input (usage, email, role, password), 3 the email already has an
 * account, 1 anything else (e.g. the database cannot be opened).
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.ts';
import { AppError } from '../http/errors.ts';
import { silentLogger } from '../log.ts';
import { checkPasswordRules, PASSWORD_PROBLEM_TEXT, StaffService, STAFF_ROLES, ZStaffEmail, ZStaffRole } from '../staff/index.ts';
import { openSqliteStore } from '../store/index.ts';

const USAGE = `usage: npm run user:add -- --email EMAIL --role ${STAFF_ROLES.join('|')}   (password from the terminal, or the first line of stdin)`;

class CliError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

async function main(argv: string[]): Promise<number> {
  let values: { email?: string; role?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { email: { type: 'string' }, role: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
    }));
  } catch (error) {
    throw new CliError('usage', `${(error as Error).message}\n${USAGE}`, 2);
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!values.email) throw new CliError('usage', `--email is required\n${USAGE}`, 2);
  if (!values.role) throw new CliError('usage', `--role is required\n${USAGE}`, 2);
  const email = ZStaffEmail.safeParse(values.email);
  if (!email.success) throw new CliError('bad_email', `--email "${values.email}" is not an email address`, 2);
  const role = ZStaffRole.safeParse(values.role);
  if (!role.success) throw new CliError('unknown_role', `--role "${values.role}" is not a role; use one of ${STAFF_ROLES.join(', ')}`, 2);

  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError('config', error.message, 2);
    throw error;
  }
  const store = openSqliteStore({ dataDir: config.dataDir });
  try {
    if (store.staff.findUserByEmail(email.data)) {
      throw new CliError('staff_exists', `a staff account for ${email.data} already exists`, 3);
    }
    const password = await readPassword();
    const problem = checkPasswordRules(password, email.data);
    if (problem) throw new CliError('weak_password', PASSWORD_PROBLEM_TEXT[problem], 2);
    const service = new StaffService({ store, logger: silentLogger(), idleMs: config.staff.idleMs, absoluteMs: config.staff.absoluteMs });
    try {
      const created = await service.create({ email: email.data, role: role.data, password }, null);
      process.stderr.write(`Created ${created.role} ${created.email} in ${config.dataDir}\n`);
      console.log(JSON.stringify({ ok: true, id: created.id, email: created.email, role: created.role }));
      return 0;
    } catch (error) {
      if (error instanceof AppError && error.code === 'staff_exists') throw new CliError('staff_exists', `a staff account for ${email.data} already exists`, 3);
      if (error instanceof AppError && error.code === 'weak_password') throw new CliError('weak_password', error.message, 2);
      throw error;
    }
  } finally {
    store.close();
  }
}

/** Twice without echo on a terminal; the first line of stdin otherwise. */
async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    return (text.split(/\r?\n/)[0] ?? '');
  }
  const first = await promptHidden('Password: ');
  const second = await promptHidden('Repeat the password: ');
  if (first !== second) throw new CliError('password_mismatch', 'the two passwords differ', 2);
  return first;
}

function promptHidden(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    // Echo off BEFORE the prompt shows: keys typed as soon as it appears must not be echoed.
    stdin.setRawMode(true);
    process.stderr.write(prompt);
    stdin.resume();
    stdin.setEncoding('utf8');
    let value = '';
    const done = (error?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (data: string) => {
      for (const char of data) {
        if (char === '\r' || char === '\n') return done();
        if (char === '\u0003') return done(new CliError('cancelled', 'cancelled', 2));
        if (char === '\u007f' || char === '\b') value = [...value].slice(0, -1).join('');
        else if (char >= ' ') value += char;
      }
    };
    stdin.on('data', onData);
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof CliError) {
      process.stderr.write(`user:add: ${error.message}\n`);
      console.log(JSON.stringify({ ok: false, error: error.code, message: error.message.split('\n')[0] }));
      process.exitCode = error.exitCode;
      return;
    }
    process.stderr.write(`user:add failed: ${(error as Error).message}\n`);
    console.log(JSON.stringify({ ok: false, error: 'failed', message: (error as Error).message }));
    process.exitCode = 1;
  },
);
