/**
 * Loads @vladmandic/human on the tfjs wasm backend, offline (FINDINGS.md, Face): the node-wasm
 * build is loaded by path (the package's exports map does not expose it), the .wasm binaries come
 * from the installed @tensorflow/tfjs-backend-wasm, and models are read from the package's
 * models/ folder through a tf.io load router backed by fs. Nothing here may touch the network:
 * the worker also replaces `fetch` with one that refuses (see worker.ts).
 * Runs inside the face worker only.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Config, Human, Result } from '@vladmandic/human';
import { loadDescriptorNet, type DescriptorNet, type DescriptorTf } from './descriptor.ts';

interface HumanModule {
  Human: new (config?: Partial<Config>) => Human;
}

export interface HumanPaths {
  humanNodeWasm: string;
  modelsDir: string;
  wasmDir: string;
}

const require = createRequire(import.meta.url);

/** Locates the three things the offline setup needs; throws with an actionable message. */
export function locateHumanFiles(): HumanPaths {
  let humanDist: string;
  let wasmDir: string;
  try {
    humanDist = path.dirname(require.resolve('@vladmandic/human'));
    wasmDir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
  } catch {
    throw new Error('@vladmandic/human or @tensorflow/tfjs-backend-wasm is not installed (npm install)');
  }
  try {
    require.resolve('@tensorflow/tfjs-converter');
  } catch {
    throw new Error(
      '@tensorflow/tfjs-converter is not installed: human.node-wasm.js requires it (add "@tensorflow/tfjs-converter": "4.22.0" to package.json)',
    );
  }
  const paths: HumanPaths = {
    humanNodeWasm: path.join(humanDist, 'human.node-wasm.js'),
    modelsDir: path.join(humanDist, '..', 'models'),
    wasmDir,
  };
  for (const file of [paths.humanNodeWasm, path.join(paths.modelsDir, 'facemesh.json'), path.join(wasmDir, 'tfjs-backend-wasm-simd.wasm')]) {
    if (!fs.existsSync(file)) throw new Error(`face engine file missing: ${path.basename(file)}`);
  }
  return paths;
}

interface ModelJson {
  modelTopology: unknown;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  signature?: unknown;
  userDefinedMetadata?: unknown;
  modelInitializer?: unknown;
  weightsManifest: { paths: string[]; weights: unknown[] }[];
}

interface TfIo {
  registerLoadRouter(router: (url: string | string[]) => { load(): Promise<unknown> } | null): void;
}

/** Serves `file://` model URLs from disk (tfjs in Node would otherwise try fetch). */
export function registerFileLoader(io: TfIo, modelsDir: string): void {
  const root = path.resolve(modelsDir) + path.sep;
  io.registerLoadRouter((url) => {
    if (typeof url !== 'string' || !url.startsWith('file://')) return null;
    const file = path.resolve(decodeURIComponent(new URL(url).pathname));
    if (!file.startsWith(root)) return null;
    return {
      async load() {
        const json = JSON.parse(await fs.promises.readFile(file, 'utf8')) as ModelJson;
        const dir = path.dirname(file);
        const weightSpecs: unknown[] = [];
        const chunks: Buffer[] = [];
        for (const group of json.weightsManifest) {
          weightSpecs.push(...group.weights);
          for (const shard of group.paths) chunks.push(await fs.promises.readFile(path.join(dir, shard)));
        }
        const all = Buffer.concat(chunks);
        return {
          modelTopology: json.modelTopology,
          format: json.format,
          generatedBy: json.generatedBy,
          convertedBy: json.convertedBy,
          signature: json.signature,
          userDefinedMetadata: json.userDefinedMetadata,
          modelInitializer: json.modelInitializer,
          weightSpecs,
          weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength),
        };
      },
    };
  });
}

export interface HumanSettings {
  iris: boolean;
  maxFaces: number;
  minFaceScore: number;
}

/** Per-call face settings: human merges call config into its own, so every call sets them all. */
export function faceCallConfig(settings: HumanSettings, want: { embedding: boolean; spoofSignals: boolean }): Partial<Config> {
  const config = {
    face: {
      enabled: true,
      // Rotation correction: the mesh is fitted on an upright crop, so landmarks stay accurate when
      // the head (or a held-up picture) is rolled; the rigid-motion check depends on that accuracy.
      detector: { rotation: true, maxDetected: settings.maxFaces, minConfidence: settings.minFaceScore, return: false, skipFrames: 0 },
      mesh: { enabled: true },
      iris: { enabled: settings.iris, skipFrames: 0 },
      attention: { enabled: false },
      emotion: { enabled: false },
      // The descriptor is computed on an aligned chip by descriptor.ts, not by human's faceres.
      description: { enabled: false },
      antispoof: { enabled: want.spoofSignals, skipFrames: 0 },
      liveness: { enabled: want.spoofSignals, skipFrames: 0 },
      gear: { enabled: false },
    },
  };
  return config as unknown as Partial<Config>;
}

export interface LoadedHuman {
  human: Human;
  /** human's bundled tfjs namespace (untyped upstream). */
  tf: {
    tensor3d(values: Uint8Array, shape: [number, number, number], dtype: 'int32'): { dispose(): void };
    getBackend(): string;
  };
  detect(input: unknown, config: Partial<Config>): Promise<Result>;
  /** Face descriptor on aligned chips (descriptor.ts). */
  descriptor: DescriptorNet;
}

export async function loadHuman(settings: HumanSettings): Promise<LoadedHuman> {
  const paths = locateHumanFiles();
  const mod = require(paths.humanNodeWasm) as HumanModule;
  const config = {
    backend: 'wasm',
    wasmPath: paths.wasmDir + path.sep,
    wasmPlatformFetch: false,
    modelBasePath: pathToFileURL(paths.modelsDir).href + '/',
    cacheModels: false,
    debug: false,
    warmup: 'none',
    // Every frame is analysed on its own: no result reuse between similar frames.
    cacheSensitivity: 0,
    filter: { enabled: false },
    gesture: { enabled: false },
    body: { enabled: false },
    hand: { enabled: false },
    object: { enabled: false },
    segmentation: { enabled: false },
    ...faceCallConfig(settings, { embedding: true, spoofSignals: true }),
  };
  const human = new mod.Human(config as unknown as Partial<Config>);
  const tf = human.tf as LoadedHuman['tf'] & { io: TfIo };
  registerFileLoader(tf.io, paths.modelsDir);
  await human.init();
  await human.load();
  const descriptor = await loadDescriptorNet(human.tf as DescriptorTf);
  return { human, tf, descriptor, detect: (input, callConfig) => human.detect(input as Parameters<Human['detect']>[0], callConfig) };
}
