/**
 * Messages between FaceEngine (main thread) and its worker. Image and result buffers are
 * transferred, not copied. One request is in flight at a time; `id` pairs replies with requests.
 */
import type { FaceAnalysis } from '../types.ts';

export interface WorkerSettings {
  /** File URL of the worker module that worker-entry.mjs loads. */
  module: string;
  /** Refine eye contours with the iris model (finer eyelids; ~+15-20 ms per frame). */
  iris: boolean;
  maxFaces: number;
  /** Minimum detector confidence for a face to be reported. */
  minFaceScore: number;
}

export type MainToWorker =
  | {
      type: 'analyze';
      id: number;
      width: number;
      height: number;
      format: 'i420' | 'rgb';
      buffer: ArrayBuffer;
      wantEmbedding: boolean;
      wantSpoofSignals: boolean;
    }
  | { type: 'close' };

export type WorkerToMain =
  | { type: 'ready'; backend: string; loadMs: number; blockedFetches: number }
  | { type: 'fatal'; message: string }
  | { type: 'result'; id: number; analysis: FaceAnalysis; blockedFetches: number }
  | { type: 'error'; id: number; message: string };
