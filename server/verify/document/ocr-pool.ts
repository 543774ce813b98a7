/**
 * A small pool of tesseract.js workers, offline only.
 *
 * Language data comes from the `@tesseract.js-data/*` npm packages (resolved on disk, gzip,
 * `cacheMethod: 'none'`), so nothing is fetched at run time and nothing is written to the
 * current directory (FINDINGS.md: without `langPath` tesseract.js fetches from a CDN and hangs or
 * crashes when offline). Workers start lazily, are reused across jobs and are bound to one
 * language each. Every job has a timeout: a job that overruns (or is aborted) rejects with a
 * retryable `OcrError` and its worker is terminated and replaced on the next job, because a
 * misconfigured or wedged worker may never answer again.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import sharp from 'sharp';
import Tesseract from 'tesseract.js';
import type { Logger } from '../../log.ts';
import { PaddleRecognizer, PaddleUnavailableError, type PaddleWindow } from './paddle.ts';

export type OcrLanguage = 'eng' | 'chi_sim';

/**
 * 'lstm' (neural, OEM 1, "best_int" models) or 'legacy' (pattern matcher, OEM 0, the standard
 * models). They fail differently: on an MRZ the LSTM engine reads digits well but turns filler
 * runs into K/L, the legacy engine reads fillers well but confuses C/6, B/8, Z/2 when small.
 * 'paddle' is a different engine altogether (PaddleOCR's recognition network, paddle.ts): one
 * text line per request (`pageMode` 'line'), English letters and digits whatever `language`.
 */
export type OcrEngineMode = 'lstm' | 'legacy' | 'paddle';

/** Tesseract page segmentation modes we use. */
export type OcrPageMode = 'block' | 'line' | 'sparse' | 'auto';

const PAGE_MODE: Record<OcrPageMode, Tesseract.PSM> = {
  auto: '3' as Tesseract.PSM,
  block: '6' as Tesseract.PSM,
  line: '7' as Tesseract.PSM,
  sparse: '11' as Tesseract.PSM,
};

export interface OcrRequest {
  /** An encoded image (PNG preferred: lossless) that tesseract.js can decode. */
  image: Buffer;
  language: OcrLanguage;
  /** Default 'lstm'. */
  engine?: OcrEngineMode;
  pageMode: OcrPageMode;
  /** Characters the engine may output (e.g. `A-Z0-9<` for an MRZ); empty = any. */
  whitelist?: string;
  signal?: AbortSignal;
  /** Per-job timeout; defaults to the pool's. */
  timeoutMs?: number;
  /** 'paddle' only: read a wide line in overlapping windows (paddle.ts). */
  window?: PaddleWindow;
}

export interface OcrBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface OcrLine {
  text: string;
  /** 0..100 as reported by tesseract. */
  confidence: number;
  bbox: OcrBox;
}

export interface OcrResult {
  text: string;
  confidence: number;
  lines: OcrLine[];
  durationMs: number;
}

export type OcrErrorCode = 'timeout' | 'aborted' | 'closed' | 'engine_failed' | 'unavailable';

export class OcrError extends Error {
  override readonly name = 'OcrError';
  constructor(
    readonly code: OcrErrorCode,
    message: string,
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface OcrPoolOptions {
  /** Maximum number of workers alive at once (all languages together). Default 2. */
  size?: number;
  /** Default per-job timeout in ms. Default 10 000. */
  timeoutMs?: number;
  /** Worker start (load + language init) timeout in ms. Default 20 000. */
  startTimeoutMs?: number;
  logger?: Logger;
  /** Offer the 'paddle' engine (default true; it loads on first use, ~100 MB). */
  paddle?: boolean;
}

/** The one capability the document readers need; the pool implements it, tests may fake it. */
export interface OcrEngine {
  recognize(request: OcrRequest): Promise<OcrResult>;
}

const require = createRequire(import.meta.url);

/** A 64x24 PNG with two dark blocks for warm-up jobs (a blank page makes tesseract print debug text). */
const WARM_UP_IMAGE = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAEAAAAAYCAYAAABKtPtEAAAACXBIWXMAAAPoAAAD6AG1e1JrAAAAWUlEQVRYhe3X2wnAIBAEwOm/6U0LCYEI2R3w80RE7yHlpJyUk3JSzuMAbq2v9nnL44BdgL0A+wKWAywJWhWwMmh9gDVC1glaK2yzgJZh6G+knJSTck4f4LQLmU+kdWlLuNQAAAAASUVORK5CYII=',
  'base64',
);

/**
 * Folder holding `<lang>.traineddata.gz` inside the npm data package. We use the LSTM-only
 * "best_int" models (smaller and faster to load than the legacy+LSTM ones; we run OEM 1).
 */
export function languageDataPath(language: OcrLanguage, engine: OcrEngineMode = 'lstm'): string {
  const packageJson = require.resolve(`@tesseract.js-data/${language}/package.json`);
  return path.join(path.dirname(packageJson), engine === 'lstm' ? '4.0.0_best_int' : '4.0.0');
}

/** Workers are bound to one language and engine. */
type WorkerKind = `${OcrLanguage}:${OcrEngineMode}`;

interface PoolWorker {
  id: number;
  kind: WorkerKind;
  worker: Promise<Tesseract.Worker>;
  busy: boolean;
  /** Parameters last applied, to skip redundant setParameters calls. */
  params: string;
  /**
   * Set when the slot is removed: a job that lost the race to its timeout must not call into the
   * terminated tesseract worker (its messages go to a null port and reject outside our promises).
   */
  terminated?: boolean;
}

interface Waiter {
  kind: WorkerKind;
  resolve: (worker: PoolWorker) => void;
  reject: (error: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

export class OcrPool implements OcrEngine {
  private readonly size: number;
  private readonly timeoutMs: number;
  private readonly startTimeoutMs: number;
  private readonly logger: Logger | undefined;
  private readonly workers: PoolWorker[] = [];
  private readonly waiters: Waiter[] = [];
  private nextId = 1;
  private closed = false;
  private readonly paddle: PaddleRecognizer | undefined;
  private paddleWarned = false;

  constructor(options: OcrPoolOptions = {}) {
    this.size = Math.max(1, options.size ?? 2);
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.startTimeoutMs = options.startTimeoutMs ?? 20_000;
    this.logger = options.logger;
    this.paddle = options.paddle === false ? undefined : new PaddleRecognizer();
  }

  /**
   * Starts workers ahead of the first job (e.g. at server start or before timing) and runs one
   * tiny recognition on each: a worker's first job is 2-3x slower than the following ones.
   */
  async warm(kinds: { language: OcrLanguage; engine?: OcrEngineMode }[] = [{ language: 'eng' }]): Promise<void> {
    const tesseract = kinds.filter((k) => k.engine !== 'paddle').slice(0, this.size);
    const paddle = kinds.some((k) => k.engine === 'paddle');
    await Promise.all([
      ...tesseract.map(({ language, engine = 'lstm' }) => this.recognize({ image: WARM_UP_IMAGE, language, engine, pageMode: 'line' })),
      // A machine without the paddle engine still warms (and later reads) with tesseract.
      ...(paddle ? [this.recognize({ image: WARM_UP_IMAGE, language: 'eng', engine: 'paddle', pageMode: 'line' }).catch(() => undefined)] : []),
    ]);
  }

  async recognize(request: OcrRequest): Promise<OcrResult> {
    if (this.closed) throw new OcrError('closed', 'OCR pool is closed', false);
    if (request.signal?.aborted) throw new OcrError('aborted', 'OCR job aborted', true);
    if (request.engine === 'paddle') return this.recognizePaddle(request);
    const started = performance.now();
    const slot = await this.acquire(`${request.language}:${request.engine ?? 'lstm'}`, request.signal);
    const timeoutMs = request.timeoutMs ?? this.timeoutMs;
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    let broken = false;
    try {
      // A worker still starting has its own (longer) start timeout: the job's clock starts once
      // it is up, or a slow start on a loaded machine would time out every job, recycle the
      // worker and leave the next job to start a cold one again.
      await slot.worker;
      const interrupted = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new OcrError('timeout', `OCR job exceeded ${timeoutMs} ms`, true)), timeoutMs);
        onAbort = () => reject(new OcrError('aborted', 'OCR job aborted', true));
        request.signal?.addEventListener('abort', onAbort, { once: true });
      });
      const work = (async () => {
        const worker = await slot.worker;
        const gone = () => new OcrError('aborted', 'OCR worker was recycled', true);
        if (slot.terminated) throw gone();
        const params: Partial<Tesseract.WorkerParams> = {
          tessedit_pageseg_mode: PAGE_MODE[request.pageMode],
          tessedit_char_whitelist: request.whitelist ?? '',
          user_defined_dpi: '300',
        };
        const key = JSON.stringify(params);
        if (slot.params !== key) {
          await worker.setParameters(params);
          slot.params = key;
        }
        if (slot.terminated) throw gone();
        return worker.recognize(request.image, {}, { text: true, blocks: true });
      })();
      work.catch(() => undefined);
      const { data } = await Promise.race([work, interrupted]);
      return toResult(data, performance.now() - started);
    } catch (error) {
      broken = true;
      if (error instanceof OcrError) throw error;
      throw new OcrError('engine_failed', 'OCR engine failed', true, { cause: error });
    } finally {
      if (timer) clearTimeout(timer);
      if (onAbort) request.signal?.removeEventListener('abort', onAbort);
      if (broken) this.recycle(slot);
      else this.release(slot);
    }
  }

  private async recognizePaddle(request: OcrRequest): Promise<OcrResult> {
    if (!this.paddle) throw new OcrError('unavailable', 'the paddle OCR engine is disabled', false);
    const started = performance.now();
    const timeoutMs = request.timeoutMs ?? this.timeoutMs;
    try {
      const { data, info } = await sharp(request.image).grayscale().raw().toBuffer({ resolveWithObject: true });
      const image = { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, info.width * info.height) };
      const line = await this.paddle.recognizeLine(image, {
        timeoutMs,
        ...(request.whitelist ? { whitelist: request.whitelist } : {}),
        ...(request.window ? { window: request.window } : {}),
        ...(request.signal ? { signal: request.signal } : {}),
      });
      const bbox = { x0: 0, y0: 0, x1: info.width, y1: info.height };
      return { text: line.text, confidence: line.confidence, lines: [{ text: line.text, confidence: line.confidence, bbox }], durationMs: performance.now() - started };
    } catch (error) {
      if (error instanceof PaddleUnavailableError) {
        if (!this.paddleWarned) {
          this.paddleWarned = true;
          this.logger?.warn({ err: error }, 'paddle OCR engine unavailable; documents are read with tesseract only');
        }
        throw new OcrError('unavailable', error.message, false, { cause: error });
      }
      if (request.signal?.aborted) throw new OcrError('aborted', 'OCR job aborted', true, { cause: error });
      if (error instanceof Error && /exceeded|waited/.test(error.message)) throw new OcrError('timeout', error.message, true, { cause: error });
      throw new OcrError('engine_failed', 'OCR engine failed', true, { cause: error });
    }
  }

  /** Terminates every worker; pending and later jobs reject with a non-retryable error. */
  async close(): Promise<void> {
    this.closed = true;
    await this.paddle?.close();
    for (const waiter of this.waiters.splice(0)) {
      waiter.signal?.removeEventListener('abort', waiter.onAbort);
      waiter.reject(new OcrError('closed', 'OCR pool is closed', false));
    }
    const all = this.workers.splice(0);
    await Promise.all(all.map((w) => terminate(w)));
  }

  /** Number of workers alive (started or starting). */
  get workerCount(): number {
    return this.workers.length;
  }

  private spawn(kind: WorkerKind): PoolWorker {
    const id = this.nextId++;
    const [language, engine] = kind.split(':') as [OcrLanguage, OcrEngineMode];
    const startTimeoutMs = this.startTimeoutMs;
    const worker = (async () => {
      let timer: NodeJS.Timeout | undefined;
      const creating = Tesseract.createWorker(language, engine === 'lstm' ? 1 /* LSTM_ONLY */ : 0 /* TESSERACT_ONLY */, {
        langPath: languageDataPath(language, engine),
        gzip: true,
        cacheMethod: 'none',
        errorHandler: (error: unknown) => this.logger?.warn({ err: error, workerId: id }, 'ocr worker error'),
      });
      try {
        return await Promise.race([
          creating,
          new Promise<never>((_, reject) => {
            timer = setTimeout(
              () => reject(new OcrError('timeout', `OCR worker did not start in ${startTimeoutMs} ms`, true)),
              startTimeoutMs,
            );
          }),
        ]);
      } catch (error) {
        creating.then((w) => w.terminate()).catch(() => undefined);
        throw error;
      } finally {
        if (timer) clearTimeout(timer);
      }
    })();
    worker.catch(() => undefined);
    const slot: PoolWorker = { id, kind, worker, busy: false, params: '' };
    this.workers.push(slot);
    return slot;
  }

  private acquire(kind: WorkerKind, signal: AbortSignal | undefined): Promise<PoolWorker> {
    const idle = this.workers.find((w) => !w.busy && w.kind === kind);
    if (idle) {
      idle.busy = true;
      return Promise.resolve(idle);
    }
    if (this.workers.length >= this.size) {
      // Full: retire an idle worker of another language to make room, else wait.
      const other = this.workers.find((w) => !w.busy && w.kind !== kind);
      if (other) this.remove(other);
    }
    if (this.workers.length < this.size) {
      const slot = this.spawn(kind);
      slot.busy = true;
      return Promise.resolve(slot);
    }
    return new Promise<PoolWorker>((resolve, reject) => {
      const waiter: Waiter = {
        kind,
        resolve,
        reject,
        signal,
        onAbort: () => {
          const index = this.waiters.indexOf(waiter);
          if (index >= 0) this.waiters.splice(index, 1);
          reject(new OcrError('aborted', 'OCR job aborted', true));
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  private release(slot: PoolWorker): void {
    slot.busy = false;
    this.dispatch();
  }

  private recycle(slot: PoolWorker): void {
    this.remove(slot);
    this.dispatch();
  }

  private remove(slot: PoolWorker): void {
    const index = this.workers.indexOf(slot);
    if (index >= 0) this.workers.splice(index, 1);
    slot.terminated = true;
    void terminate(slot);
  }

  /** Hands free capacity to the oldest waiter. */
  private dispatch(): void {
    if (this.closed) return;
    while (this.waiters.length > 0) {
      const waiter = this.waiters[0] as Waiter;
      let slot = this.workers.find((w) => !w.busy && w.kind === waiter.kind);
      if (!slot) {
        if (this.workers.length >= this.size) {
          const other = this.workers.find((w) => !w.busy && w.kind !== waiter.kind);
          if (!other) return;
          this.remove(other);
        }
        slot = this.spawn(waiter.kind);
      }
      this.waiters.shift();
      waiter.signal?.removeEventListener('abort', waiter.onAbort);
      slot.busy = true;
      waiter.resolve(slot);
    }
  }
}

async function terminate(slot: PoolWorker): Promise<void> {
  try {
    const worker = await slot.worker;
    await Promise.race([worker.terminate(), new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
  } catch {
    // A worker that failed to start has nothing to terminate.
  }
}

function toResult(page: Tesseract.Page, durationMs: number): OcrResult {
  const lines: OcrLine[] = [];
  for (const block of page.blocks ?? []) {
    for (const paragraph of block.paragraphs) {
      for (const line of paragraph.lines) {
        lines.push({ text: line.text.replace(/\n$/, ''), confidence: line.confidence, bbox: { ...line.bbox } });
      }
    }
  }
  return { text: page.text, confidence: page.confidence, lines, durationMs };
}
