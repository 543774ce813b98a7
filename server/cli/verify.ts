/**
 * `npm run verify -- RECORD.json [CONTRACT.pdf] [--keys FILE_OR_URL] [--artifacts DIR] [--events FILE] [--no-pdfsig]`
 *
 * Verifies a contract record (and the PDF, artifacts and events when given), prints one line per
 * check and exits 0 only if every check that ran passed (1: a check failed, 2: bad usage).
 *
 * Keys come from a keyring: `--keys` (a file, or the server's
 * https://HOST/.well-known/attest-keys.json), else this installation's own keyring
 * (<ATTEST_DATA_DIR>/keys/keyring.json). Never from the record: a key shipped inside the thing
 * being verified proves only that whoever wrote the record also had that key.
 *
 * `--artifacts DIR` holds each artifact as a file named by its id; `--events FILE` is the
 * session's stored events as a JSON array (or `{ "events": [...] }`) in seq order.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { contractKeysDir, keyringPath, runPdfsig, verifyRecord } from '../contract/index.ts';
import type { StoredEvent } from '../store/index.ts';

const USAGE = 'usage: npm run verify -- RECORD.json [CONTRACT.pdf] [--keys FILE_OR_URL] [--artifacts DIR] [--events FILE] [--no-pdfsig]';

class UsageError extends Error {}

async function readJson(pathOrUrl: string, what: string): Promise<unknown> {
  let text: string;
  if (/^https?:\/\//.test(pathOrUrl)) {
    const response = await fetch(pathOrUrl, { signal: AbortSignal.timeout(15_000) });
    if (!response.ok) throw new UsageError(`${what} ${pathOrUrl}: HTTP ${response.status}`);
    text = await response.text();
  } else {
    try {
      text = await readFile(pathOrUrl, 'utf8');
    } catch {
      throw new UsageError(`${what} ${pathOrUrl} cannot be read`);
    }
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(`${what} ${pathOrUrl} is not JSON`);
  }
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      keys: { type: 'string' },
      artifacts: { type: 'string' },
      events: { type: 'string' },
      'no-pdfsig': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const [recordPath, pdfPath, ...extra] = positionals;
  if (!recordPath || extra.length > 0) throw new UsageError(USAGE);

  const keysSource = values.keys ?? keyringPath(contractKeysDir(loadConfig(process.env).dataDir));
  const keyring = await readJson(keysSource, 'keyring');
  console.log(`keys: ${keysSource}`);
  const record = await readJson(recordPath, 'record');
  let pdfBytes: Uint8Array | undefined;
  if (pdfPath) {
    try {
      pdfBytes = await readFile(pdfPath);
    } catch {
      throw new UsageError(`PDF ${pdfPath} cannot be read`);
    }
  }
  let events: StoredEvent[] | undefined;
  if (values.events) {
    const json = await readJson(values.events, 'events');
    const list = Array.isArray(json) ? json : (json as { events?: unknown }).events;
    if (!Array.isArray(list)) throw new UsageError(`events ${values.events}: expected a JSON array of stored events`);
    events = list as StoredEvent[];
  }
  const artifactsDir = values.artifacts;
  const result = await verifyRecord({
    record,
    keyring,
    pdfBytes,
    events,
    artifacts: artifactsDir
      ? async (id) => {
          if (!/^[A-Za-z0-9._-]+$/.test(id) || id.startsWith('.')) return null;
          return readFile(join(artifactsDir, id)).catch(() => null);
        }
      : undefined,
    pdfsig: values['no-pdfsig'] ? undefined : (pdf) => runPdfsig(pdf),
  });
  for (const check of result.checks) console.log(`${check.ok ? 'PASS' : 'FAIL'} ${check.name}: ${check.detail}`);
  for (const name of result.notChecked) console.log(`SKIP ${name}: not given`);
  console.log(result.ok ? 'OK: every check that ran passed' : 'FAILED: see the FAIL lines above');
  return result.ok ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof UsageError ? error.message : `verify: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 2;
  },
);
