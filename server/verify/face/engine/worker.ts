/**
 * Face worker: owns one human instance and answers `analyze` requests one at a time (protocol.ts).
 * Runs on its own thread so inference never blocks the server's event loop. It refuses network
 * access: `fetch` is replaced before human loads, and the refusal count is reported back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { FaceResult } from '@vladmandic/human';
import { i420ToRgb } from '../../../media/frames.ts';
import { alignedChip } from '../align.ts';
import { eyeAspectRatio, mouthOpening, MESH_POINTS } from '../landmarks.ts';
import type { DetectedFace, FaceAnalysis } from '../types.ts';
import { faceCallConfig, loadHuman, type LoadedHuman } from './human.ts';
import type { MainToWorker, WorkerSettings, WorkerToMain } from './protocol.ts';

const port = parentPort;
if (!port) throw new Error('face worker must run in a worker thread');
const settings = workerData as WorkerSettings;

let blockedFetches = 0;
globalThis.fetch = (() => {
  blockedFetches++;
  return Promise.reject(new Error('network access is disabled in the face worker'));
}) as typeof fetch;

const RAD_TO_DEG = 180 / Math.PI;

function post(message: WorkerToMain, transfer: ArrayBuffer[] = []): void {
  port?.postMessage(message, transfer);
}

function toDetectedFace(face: FaceResult): DetectedFace | null {
  if (face.mesh.length < MESH_POINTS) return null;
  const points = face.mesh.length;
  const mesh = new Float32Array(points * 3);
  for (let i = 0; i < points; i++) {
    const p = face.mesh[i] as [number, number, number?];
    mesh[i * 3] = p[0];
    mesh[i * 3 + 1] = p[1];
    mesh[i * 3 + 2] = p[2] ?? 0;
  }
  const angle = face.rotation?.angle ?? { yaw: 0, pitch: 0, roll: 0 };
  const [x, y, width, height] = face.box;
  return {
    box: { x, y, width, height },
    score: face.score,
    rotation: { yaw: angle.yaw * RAD_TO_DEG, pitch: angle.pitch * RAD_TO_DEG, roll: angle.roll * RAD_TO_DEG },
    eyeAspectRatio: eyeAspectRatio(mesh),
    mouthOpen: mouthOpening(mesh),
    mesh,
    antispoof: typeof face.real === 'number' ? face.real : null,
    liveness: typeof face.live === 'number' ? face.live : null,
    embedding: null,
  };
}

async function analyze(engine: LoadedHuman, request: Extract<MainToWorker, { type: 'analyze' }>): Promise<void> {
  const { id, width, height } = request;
  const bytes = new Uint8Array(request.buffer);
  const rgb = request.format === 'rgb' ? bytes : i420ToRgb({ width, height, data: bytes }).data;
  const started = performance.now();
  const tensor = engine.tf.tensor3d(rgb, [height, width, 3], 'int32');
  let result;
  try {
    result = await engine.detect(
      tensor,
      faceCallConfig(settings, { embedding: request.wantEmbedding, spoofSignals: request.wantSpoofSignals }),
    );
  } finally {
    tensor.dispose();
  }
  if (result.error) throw new Error(result.error);
  const faces = result.face
    .map(toDetectedFace)
    .filter((f): f is DetectedFace => f !== null)
    .sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height);
  const largest = faces[0];
  if (request.wantEmbedding && largest) {
    // The face is cut out aligned on its own mesh, the same way for live frames and document
    // photos. Only the largest face: every consumer compares one face, and a frame with several
    // (an attack, a bystander) should not cost several descriptors.
    largest.embedding = await engine.descriptor.describe(alignedChip(rgb, width, height, largest.mesh));
  }
  const analysis: FaceAnalysis = { width, height, faces, analysisMs: performance.now() - started };
  const transfer: ArrayBuffer[] = [];
  for (const face of faces) {
    transfer.push(face.mesh.buffer as ArrayBuffer);
    if (face.embedding) transfer.push(face.embedding.buffer as ArrayBuffer);
  }
  post({ type: 'result', id, analysis, blockedFetches }, transfer);
}

async function main(): Promise<void> {
  const started = performance.now();
  let engine: LoadedHuman;
  try {
    engine = await loadHuman(settings);
    // Warm-up: the first inference compiles kernels; pay it at startup, not on a user's frame.
    const blank = engine.tf.tensor3d(new Uint8Array(64 * 64 * 3), [64, 64, 3], 'int32');
    await engine.detect(blank, faceCallConfig(settings, { embedding: false, spoofSignals: false }));
    blank.dispose();
  } catch (error) {
    post({ type: 'fatal', message: error instanceof Error ? error.message : String(error) });
    return;
  }
  // Requests are handled strictly one after another.
  let queue = Promise.resolve();
  port?.on('message', (message: MainToWorker) => {
    if (message.type === 'close') {
      port.close();
      return;
    }
    queue = queue.then(() =>
      analyze(engine, message).catch((error: unknown) => {
        post({ type: 'error', id: message.id, message: error instanceof Error ? error.message : String(error) });
      }),
    );
  });
  post({ type: 'ready', backend: engine.tf.getBackend(), loadMs: performance.now() - started, blockedFetches });
}

void main();
