/**
 * A stand-in face worker for engine tests (same protocol, no models). Its behaviour comes from
 * FACE_FAKE_WORKER (read when the worker starts): `ok` (default), `never-ready`, `fatal`,
 * `exit-on-start`. Requests act by image width: 17 -> hang (busy loop), 18 -> crash the thread,
 * anything else -> an empty analysis.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { MainToWorker, WorkerToMain } from '../../server/verify/face/engine/protocol.ts';

const mode = process.env.FACE_FAKE_WORKER ?? 'ok';
const port = parentPort;
const post = (message: WorkerToMain) => port?.postMessage(message);

if (mode === 'exit-on-start') process.exit(3);
if (mode === 'fatal') post({ type: 'fatal', message: 'models missing (fake)' });
if (mode === 'ok') {
  port?.on('message', (message: MainToWorker) => {
    if (message.type === 'close') {
      port.close();
      return;
    }
    if (message.width === 17) {
      const until = Date.now() + 60_000;
      while (Date.now() < until) {
        // stuck in "inference"
      }
    }
    if (message.width === 18) throw new Error('fake worker crash');
    post({ type: 'result', id: message.id, analysis: { width: message.width, height: message.height, faces: [], analysisMs: 1 }, blockedFetches: 0 });
  });
  post({ type: 'ready', backend: `fake:${String((workerData as { iris: boolean }).iris)}`, loadMs: 1, blockedFetches: 0 });
}
// never-ready: keep the thread alive without answering.
if (mode === 'never-ready') setInterval(() => undefined, 1_000);
