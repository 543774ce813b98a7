/**
 * Offline text-to-speech with espeak-ng (WebAssembly build from npm), run in a child process so
 * its GPL-3.0 code never shares an address space with Attest. Gives word and phoneme timings,
 * turned into caption cues and visemes here. The process starts at server startup (a failure
 * fails startup), is restarted on the next request if it dies, and each request has a deadline.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Locale } from '../../http/protocol.ts';
import type { Logger } from '../../log.ts';
import type { WorkerReply, WorkerRequest } from './espeak-worker.ts';
import type { SpeechClip, TextToSpeech, TextToSpeechCapabilities } from './types.ts';
import { makeClip, timingsFromEvents } from './visemes.ts';

const WORKER_ENTRY = fileURLToPath(new URL('./espeak-worker.ts', import.meta.url));
const VOICES: Record<Locale, string> = { en: 'en-us', 'zh-CN': 'cmn' };
const START_TIMEOUT_MS = 20_000;
const REQUEST_TIMEOUT_MS = 10_000;

function tsxImportSpecifier(): string {
  try {
    return pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  } catch {
    return 'tsx';
  }
}

interface Pending {
  resolve(reply: Extract<WorkerReply, { type: 'result' }>): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

export class EspeakSpeech implements TextToSpeech {
  readonly name = 'espeak-ng';
  readonly capabilities: TextToSpeechCapabilities = { timings: true, locales: ['en', 'zh-CN'], offline: true };
  private child: ChildProcess | null = null;
  private starting: Promise<ChildProcess> | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;

  constructor(private readonly logger: Logger) {}

  /** Starts the synthesizer process; rejects with the reason if it cannot. */
  async start(): Promise<void> {
    await this.process();
  }

  async speak(text: string, options: { locale: Locale; signal?: AbortSignal }): Promise<SpeechClip> {
    const child = await this.process();
    const id = this.nextId++;
    const reply = await new Promise<Extract<WorkerReply, { type: 'result' }>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`espeak-ng did not answer within ${REQUEST_TIMEOUT_MS} ms`));
        // A stuck synthesizer is replaced on the next request.
        child.kill('SIGKILL');
      }, REQUEST_TIMEOUT_MS);
      this.pending.set(id, { resolve, reject, timer });
      options.signal?.addEventListener('abort', () => {
        const entry = this.pending.get(id);
        if (!entry) return;
        clearTimeout(entry.timer);
        this.pending.delete(id);
        reject(new Error('speech synthesis aborted'));
      }, { once: true });
      const request: WorkerRequest = { id, text, voice: VOICES[options.locale] };
      child.send(request);
    });
    const samples = reply.samples;
    const durationMs = Math.round((samples.length * 1000) / reply.sampleRate);
    return makeClip(samples, reply.sampleRate, timingsFromEvents(text, reply.events, durationMs), 'phonemes');
  }

  async close(): Promise<void> {
    this.closed = true;
    const child = this.child;
    this.child = null;
    this.failAll(new Error('speech synthesis closed'));
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      if (child.connected) child.disconnect();
      const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
      await exited;
      clearTimeout(timer);
    }
  }

  private process(): Promise<ChildProcess> {
    if (this.closed) return Promise.reject(new Error('speech synthesis closed'));
    if (this.child && this.child.connected) return Promise.resolve(this.child);
    this.starting ??= this.spawn().finally(() => {
      this.starting = null;
    });
    return this.starting;
  }

  private spawn(): Promise<ChildProcess> {
    const child = fork(WORKER_ENTRY, [], {
      execArgv: ['--import', tsxImportSpecifier()],
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    // Without a listener, Node turns an IPC error (e.g. ERR_IPC_DISCONNECTED when the channel's
    // end arrives after close() disconnected it) into an uncaught exception in the server.
    child.on('error', (error) => {
      if (!this.closed) this.logger.warn({ err: error }, 'speech synthesizer process error');
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-2000);
    });
    return new Promise<ChildProcess>((resolve, reject) => {
      let ready = false;
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`espeak-ng did not start within ${START_TIMEOUT_MS} ms`));
      }, START_TIMEOUT_MS);
      child.on('message', (message: WorkerReply) => {
        if (message.type === 'ready') {
          ready = true;
          clearTimeout(timer);
          this.child = child;
          resolve(child);
          return;
        }
        const entry = this.pending.get(message.id);
        if (!entry) return;
        clearTimeout(entry.timer);
        this.pending.delete(message.id);
        if (message.type === 'result') entry.resolve(message);
        else entry.reject(new Error(`espeak-ng failed: ${message.message}`));
      });
      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        if (this.child === child) this.child = null;
        if (!ready) {
          reject(new Error(`espeak-ng exited during startup (${signal ?? code}): ${stderr.trim().split('\n').at(-1) ?? ''}`));
          return;
        }
        if (!this.closed) this.logger.warn({ code, signal }, 'speech synthesizer process exited; restarting on next line');
        this.failAll(new Error('the speech synthesizer process exited'));
      });
    });
  }

  private failAll(error: Error): void {
    for (const [id, entry] of this.pending) {
      clearTimeout(entry.timer);
      entry.reject(error);
      this.pending.delete(id);
    }
  }
}
