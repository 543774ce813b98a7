// Entry of the face worker thread. On Node 20 a worker does not get tsx's loader hooks from
// `--import tsx`, so the TypeScript worker module (workerData.module, a file URL) is loaded
// through tsx's API instead.
import { workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

await tsImport(workerData.module, import.meta.url);
