/**
 * FaceEngine: the server's handle on the face worker. Starts it lazily (or eagerly with
 * `start()`), sends one analysis at a time with a per-request timeout, restarts the worker after
 * it crashes or hangs (the request in flight fails with a retryable error), and closes it.
 */
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../../../log.ts';
import type { AnalyzeOptions, FaceAnalysis, FaceImage } from '../types.ts';
import { FaceEngineError } from './errors.ts';
import type { MainToWorker, WorkerSettings, WorkerToMain } from './protocol.ts';

const WORKER_ENTRY = new URL('./worker-entry.mjs', import.meta.url);
const DEFAULT_WORKER_MODULE = new URL('./worker.ts', import.meta.url);

export interface FaceEngineOptions {
  /** Loading the models and the first inference; default 60 s (2 slow cores, cold disk). */
  startupTimeoutMs?: number;
  /** One analysis, from dispatch to reply; default 5 s. A worker that overruns is restarted. */
  requestTimeoutMs?: number;
  /** Requests waiting behind the one in flight; more are refused with `busy`. Default 4. */
  maxQueue?: number;
  /**
   * Refine eye contours with human's iris model. Off by default: it costs ~15-20 ms per frame
   * (detect + mesh went from ~50 to ~70 ms p50 on 2 busy cores), and the mesh's own eyelid points
   * already give the eye aspect ratio. Turn it on where blink precision matters more than rate.
   */
  iris?: boolean;
  maxFaces?: number;
  minFaceScore?: number;
  logger?: Logger;
  /** A different worker module (TypeScript) speaking the same protocol (tests). */
  workerModule?: URL;
}

export interface FaceEngineStats {
  state: 'idle' | 'starting' | 'ready' | 'closed';
  starts: number;
  crashes: number;
  timeouts: number;
  /** Network requests the worker refused (must stay 0: the engine is offline). */
  blockedFetches: number;
  backend: string | null;
}

interface Job {
  message: Extract<MainToWorker, { type: 'analyze' }>;
  resolve: (analysis: FaceAnalysis) => void;
  reject: (error: FaceEngineError) => void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | null;
  settled: boolean;
}

interface Running {
  worker: Worker;
  ready: Promise<void>;
  startupTimer: NodeJS.Timeout | null;
  /** Rejects `ready` (no-op once it settled). */
  failStartup: (error: FaceEngineError) => void;
}

function imageFormat(image: FaceImage): 'i420' | 'rgb' {
  const { width, height, data } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 16 || height < 16 || width * height > 4096 * 4096) {
    throw new FaceEngineError('bad_input', 'image size must be 16..4096 pixels per side');
  }
  const rgbLength = width * height * 3;
  const i420Length = width * height + 2 * ((width + 1) >> 1) * ((height + 1) >> 1);
  const format = image.format ?? (data.length === rgbLength ? 'rgb' : 'i420');
  if (data.length < (format === 'rgb' ? rgbLength : i420Length)) {
    throw new FaceEngineError('bad_input', `image data is too short for ${format} ${width}x${height}`);
  }
  return format;
}

export class FaceEngine {
  private readonly options: Required<Omit<FaceEngineOptions, 'logger' | 'workerModule'>>;
  private readonly logger: Logger | undefined;
  private readonly workerModule: URL;
  private running: Running | null = null;
  private readonly queue: Job[] = [];
  private inFlight: { job: Job; timer: NodeJS.Timeout } | null = null;
  private nextId = 1;
  private closed = false;
  private readonly counters: Omit<FaceEngineStats, 'state'> = { starts: 0, crashes: 0, timeouts: 0, blockedFetches: 0, backend: null };
  private isReady = false;
  private waitingForReady = false;

  constructor(options: FaceEngineOptions = {}) {
    this.options = {
      startupTimeoutMs: options.startupTimeoutMs ?? 60_000,
      requestTimeoutMs: options.requestTimeoutMs ?? 5_000,
      maxQueue: options.maxQueue ?? 4,
      iris: options.iris ?? false,
      maxFaces: options.maxFaces ?? 4,
      minFaceScore: options.minFaceScore ?? 0.5,
    };
    this.logger = options.logger;
    this.workerModule = options.workerModule ?? DEFAULT_WORKER_MODULE;
  }

  /** Starts the worker now (e.g. at server startup, to fail early); analyze() also starts it. */
  async start(): Promise<void> {
    if (this.closed) throw new FaceEngineError('closed', 'face engine is closed');
    await this.ensureWorker().ready;
  }

  /**
   * Analyses one image. The data is copied before transfer, so the caller's frame stays intact.
   * Rejects with FaceEngineError; `retryable` tells whether trying again may help.
   */
  analyze(image: FaceImage, options: AnalyzeOptions = {}): Promise<FaceAnalysis> {
    if (this.closed) return Promise.reject(new FaceEngineError('closed', 'face engine is closed'));
    let format: 'i420' | 'rgb';
    try {
      format = imageFormat(image);
    } catch (error) {
      return Promise.reject(error);
    }
    if (options.signal?.aborted) return Promise.reject(new FaceEngineError('aborted', 'analysis aborted'));
    if (this.queue.length >= this.options.maxQueue) {
      return Promise.reject(new FaceEngineError('busy', 'face engine queue is full'));
    }
    const length = format === 'rgb' ? image.width * image.height * 3 : image.width * image.height + 2 * ((image.width + 1) >> 1) * ((image.height + 1) >> 1);
    // A real copy (Buffer#slice would be a view, and transferring it would detach the caller's memory).
    const copy = new Uint8Array(length);
    copy.set(image.data.subarray(0, length));
    return new Promise<FaceAnalysis>((resolve, reject) => {
      const job: Job = {
        message: {
          type: 'analyze',
          id: this.nextId++,
          width: image.width,
          height: image.height,
          format,
          buffer: copy.buffer,
          wantEmbedding: options.wantEmbedding ?? false,
          wantSpoofSignals: options.wantSpoofSignals ?? true,
        },
        resolve,
        reject,
        signal: options.signal,
        onAbort: null,
        settled: false,
      };
      if (options.signal) {
        job.onAbort = () => {
          const index = this.queue.indexOf(job);
          if (index >= 0) this.queue.splice(index, 1);
          // A request already in the worker cannot be recalled: it keeps its slot and its reply is dropped.
          this.settle(job, new FaceEngineError('aborted', 'analysis aborted'));
        };
        options.signal.addEventListener('abort', job.onAbort, { once: true });
      }
      this.queue.push(job);
      this.pump();
    });
  }

  stats(): FaceEngineStats {
    const state = this.closed ? 'closed' : this.running ? (this.isReady ? 'ready' : 'starting') : 'idle';
    return { state, ...this.counters };
  }

  /** Fails pending requests with `closed` and stops the worker. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const error = new FaceEngineError('closed', 'face engine is closed');
    if (this.inFlight) {
      const { job } = this.inFlight;
      this.finishInFlight();
      this.settle(job, error);
    }
    for (const job of this.queue.splice(0)) this.settle(job, error);
    await this.stopWorker();
  }

  private ensureWorker(): Running {
    if (this.running) return this.running;
    const settings: WorkerSettings = {
      module: this.workerModule.href,
      iris: this.options.iris,
      maxFaces: this.options.maxFaces,
      minFaceScore: this.options.minFaceScore,
    };
    const worker = new Worker(fileURLToPath(WORKER_ENTRY), {
      workerData: settings,
      // The entry loads TypeScript itself (worker-entry.mjs); inherited loader flags would only get in the way.
      execArgv: [],
      stdout: false,
      stderr: false,
    });
    this.counters.starts++;
    this.isReady = false;
    let markReady: () => void = () => undefined;
    let failStartup: (error: FaceEngineError) => void = () => undefined;
    const ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      failStartup = reject;
    });
    // Startup failures reach callers through their requests; don't leave an unhandled rejection.
    ready.catch(() => undefined);
    const running: Running = { worker, ready, startupTimer: null, failStartup };
    this.running = running;
    const startupTimer = setTimeout(() => {
      failStartup(new FaceEngineError('startup_timeout', `face worker did not start within ${this.options.startupTimeoutMs} ms`));
      this.onWorkerGone(running, 'startup');
    }, this.options.startupTimeoutMs);
    running.startupTimer = startupTimer;

    worker.on('message', (message: WorkerToMain) => {
      if (this.running !== running) return;
      switch (message.type) {
        case 'ready':
          clearTimeout(startupTimer);
          this.isReady = true;
          this.counters.backend = message.backend;
          this.counters.blockedFetches = message.blockedFetches;
          this.logger?.info({ backend: message.backend, loadMs: Math.round(message.loadMs) }, 'face worker ready');
          markReady();
          this.pump();
          return;
        case 'fatal':
          clearTimeout(startupTimer);
          this.logger?.error({ reason: message.message }, 'face worker failed to start');
          failStartup(new FaceEngineError('startup_failed', `face engine unavailable: ${message.message}`));
          this.onWorkerGone(running, 'startup');
          return;
        case 'result':
          this.counters.blockedFetches = message.blockedFetches;
          if (this.inFlight?.job.message.id === message.id) {
            const { job } = this.inFlight;
            this.finishInFlight();
            this.settle(job, null, message.analysis);
          }
          return;
        case 'error':
          if (this.inFlight?.job.message.id === message.id) {
            const { job } = this.inFlight;
            this.finishInFlight();
            this.settle(job, new FaceEngineError('analysis_failed', `face analysis failed: ${message.message}`));
          }
          return;
      }
    });
    let lastError = '';
    worker.on('error', (error) => {
      lastError = error.message;
      this.logger?.error({ err: error }, 'face worker error');
    });
    worker.on('exit', (code) => {
      clearTimeout(startupTimer);
      if (this.running !== running) return;
      this.counters.crashes++;
      this.logger?.warn({ code }, 'face worker exited unexpectedly');
      const wasReady = this.isReady;
      failStartup(new FaceEngineError('worker_crashed', `face worker exited during startup (code ${code}${lastError ? `: ${lastError}` : ''})`));
      this.onWorkerGone(running, wasReady ? 'crash' : 'startup');
    });
    return running;
  }

  /**
   * The worker is dead or must die: the request in flight fails (retryable). After a crash or a
   * hang the next request starts a new worker; a worker that never became ready fails the queue
   * with its startup error instead (no restart loop), and the next call tries again.
   */
  private onWorkerGone(running: Running, reason: 'startup' | 'crash' | 'request timeout'): void {
    if (this.running !== running) return;
    this.running = null;
    this.isReady = false;
    void running.worker.terminate().catch(() => undefined);
    if (this.inFlight) {
      const { job } = this.inFlight;
      this.finishInFlight();
      const error =
        reason === 'request timeout'
          ? new FaceEngineError('timeout', `face analysis took longer than ${this.options.requestTimeoutMs} ms; the worker was restarted`)
          : new FaceEngineError('worker_crashed', 'face worker stopped during the analysis; try again');
      this.settle(job, error);
    }
    if (reason === 'startup') {
      running.ready.catch((error: FaceEngineError) => {
        for (const job of this.queue.splice(0)) this.settle(job, error);
      });
    } else {
      queueMicrotask(() => this.pump());
    }
  }

  private pump(): void {
    if (this.closed || this.inFlight || this.queue.length === 0) return;
    const running = this.ensureWorker();
    if (!this.isReady) {
      if (!this.waitingForReady) {
        this.waitingForReady = true;
        running.ready.then(
          () => {
            this.waitingForReady = false;
            this.pump();
          },
          () => {
            this.waitingForReady = false;
          },
        );
      }
      return;
    }
    const job = this.queue.shift() as Job;
    const timer = setTimeout(() => {
      this.counters.timeouts++;
      this.logger?.warn({ timeoutMs: this.options.requestTimeoutMs }, 'face analysis timed out; restarting the worker');
      this.onWorkerGone(running, 'request timeout');
    }, this.options.requestTimeoutMs);
    this.inFlight = { job, timer };
    running.worker.postMessage(job.message, [job.message.buffer]);
  }

  private finishInFlight(): void {
    if (!this.inFlight) return;
    clearTimeout(this.inFlight.timer);
    this.inFlight = null;
    queueMicrotask(() => this.pump());
  }

  private settle(job: Job, error: FaceEngineError | null, analysis?: FaceAnalysis): void {
    if (job.settled) return;
    job.settled = true;
    if (job.signal && job.onAbort) job.signal.removeEventListener('abort', job.onAbort);
    if (error) job.reject(error);
    else job.resolve(analysis as FaceAnalysis);
  }

  private async stopWorker(): Promise<void> {
    const running = this.running;
    this.running = null;
    if (!running) return;
    if (running.startupTimer) clearTimeout(running.startupTimer);
    running.failStartup(new FaceEngineError('closed', 'face engine is closed'));
    const exited = new Promise<void>((resolve) => running.worker.once('exit', () => resolve()));
    running.worker.postMessage({ type: 'close' } satisfies MainToWorker);
    const timer = setTimeout(() => void running.worker.terminate(), 1_000);
    await exited;
    clearTimeout(timer);
  }
}
