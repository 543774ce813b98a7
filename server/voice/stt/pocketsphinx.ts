/**
 * Offline recognition with Debian's pocketsphinx (`pocketsphinx_continuous`, package
 * `pocketsphinx` + `pocketsphinx-en-us`), constrained by a JSGF grammar of the expected answers.
 * One short process per utterance. The utterance is written to a private temporary folder (mode
 * 0700) and deleted as soon as the process exits (Node's stdio pipes are sockets, which
 * pocketsphinx cannot open as `-infile /dev/stdin`); nothing of it is logged. Loading the full 130k-word dictionary cost ~300 ms per run, so each grammar gets a
 * dictionary of only its own words (~60 ms per run).
 */
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Locale } from '../../http/protocol.ts';
import { wavBytes } from './endpoint.ts';
import { toJsgf } from './grammar.ts';
import { STT_SAMPLE_RATE, type Grammar, type SpeechToText, type SpeechToTextCapabilities, type Transcript } from './types.ts';

const TIMEOUT_MS = 8_000;
/** Words shorter than this are noise the grammar forced into a word. */
const MIN_WORD_MS = 120;

export interface PocketsphinxOptions {
  binary: string;
  /** Folder with `en-us/` (acoustic model) and `cmudict-en-us.dict`. */
  modelDir: string;
}

/** Null when usable, else why not (for the startup log and the applicant's hint). */
export async function checkPocketsphinx(o: PocketsphinxOptions): Promise<string | null> {
  if (!fs.existsSync(path.join(o.modelDir, 'en-us')) || !fs.existsSync(path.join(o.modelDir, 'cmudict-en-us.dict'))) {
    return `the pocketsphinx English model is not at ${o.modelDir} (apt-get install pocketsphinx-en-us)`;
  }
  return new Promise((resolve) => {
    execFile(o.binary, ['-h'], { timeout: 5000 }, (error) => {
      // `-h` prints usage and exits non-zero on some builds; only a missing binary matters.
      if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') resolve(`${o.binary} is not installed (apt-get install pocketsphinx)`);
      else resolve(null);
    });
  });
}

/** Parses `-time yes` output: "word start end prob" lines after the hypothesis. */
export function parsePocketsphinx(stdout: string): Transcript {
  const words: Transcript['words'] = [];
  for (const line of stdout.split('\n')) {
    const m = /^(\S+) (\d+\.\d+) (\d+\.\d+) [\d.]+$/.exec(line.trim());
    if (!m) continue;
    const word = (m[1] as string).replace(/\(\d+\)$/, '');
    if (word.startsWith('<') || word.startsWith('[')) continue;
    const startMs = Math.round(Number(m[2]) * 1000);
    const endMs = Math.round(Number(m[3]) * 1000);
    words.push({ text: word, startMs, endMs });
  }
  const spoken = words.reduce((n, w) => n + (w.endMs - w.startMs), 0);
  if (words.length === 0 || spoken < MIN_WORD_MS) return { text: '', words: [] };
  return { text: words.map((w) => w.text).join(' '), words };
}

/** The dictionary lines (all pronunciations) of the words a grammar uses. */
export function dictionaryFor(fullDictionary: string, words: Set<string>): string {
  const lines: string[] = [];
  for (const line of fullDictionary.split('\n')) {
    const word = line.slice(0, line.indexOf(' ')).replace(/\(\d+\)$/, '');
    if (words.has(word)) lines.push(line);
  }
  return `${lines.join('\n')}\n`;
}

export class PocketsphinxRecognizer implements SpeechToText {
  readonly name = 'pocketsphinx';
  readonly capabilities: SpeechToTextCapabilities = { locales: ['en'], freeSpeech: false, offline: true };
  private readonly dir: string;
  private fullDictionary: string | null = null;
  private readonly prepared = new Map<string, { gram: string; dict: string }>();

  constructor(private readonly o: PocketsphinxOptions) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attest-stt-'));
    fs.chmodSync(this.dir, 0o700);
  }

  async transcribe(pcm: Int16Array, options: { locale: Locale; grammar: Grammar | null; signal?: AbortSignal }): Promise<Transcript> {
    if (!options.grammar) throw new Error('pocketsphinx needs a grammar of expected answers');
    const { gram, dict } = this.prepare(options.grammar);
    const wav = path.join(this.dir, `${process.pid}-${Math.random().toString(36).slice(2)}.wav`);
    await fs.promises.writeFile(wav, wavBytes(pcm, STT_SAMPLE_RATE), { mode: 0o600 });
    try {
      const stdout = await this.run(['-infile', wav, '-jsgf', gram, '-hmm', path.join(this.o.modelDir, 'en-us'), '-dict', dict, '-time', 'yes', '-logfn', '/dev/null'], options.signal);
      return parsePocketsphinx(stdout);
    } finally {
      await fs.promises.rm(wav, { force: true });
    }
  }

  /** One decode of silence, so the first applicant does not pay for cold model files. */
  async warm(grammar: Grammar): Promise<void> {
    await this.transcribe(new Int16Array(STT_SAMPLE_RATE / 2), { locale: 'en', grammar }).catch(() => undefined);
  }

  /** The grammar's JSGF and small dictionary files (written once per grammar). */
  private prepare(grammar: Grammar): { gram: string; dict: string } {
    const jsgf = toJsgf(grammar);
    const key = createHash('sha256').update(jsgf).digest('hex').slice(0, 16);
    const ready = this.prepared.get(key);
    if (ready) return ready;
    this.fullDictionary ??= fs.readFileSync(path.join(this.o.modelDir, 'cmudict-en-us.dict'), 'utf8');
    const words = new Set((jsgf.split('=')[1] ?? '').replace(/;\s*$/, '').split(/[\s|]+/).filter(Boolean));
    const files = { gram: path.join(this.dir, `${key}.gram`), dict: path.join(this.dir, `${key}.dict`) };
    fs.writeFileSync(files.gram, jsgf);
    fs.writeFileSync(files.dict, dictionaryFor(this.fullDictionary, words));
    this.prepared.set(key, files);
    return files;
  }

  private run(args: string[], signal?: AbortSignal): Promise<string> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.o.binary, args, { stdio: ['ignore', 'pipe', 'ignore'] });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
      });
      const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
      const onAbort = () => child.kill('SIGKILL');
      signal?.addEventListener('abort', onAbort, { once: true });
      child.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.on('close', (code, killed) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (signal?.aborted) reject(new Error('recognition aborted'));
        else if (killed) reject(new Error(`pocketsphinx was stopped (${killed})`));
        else if (code !== 0) reject(new Error(`pocketsphinx exited with code ${code}`));
        else resolve(out);
      });
    });
  }
}
