/**
 * Face descriptor: dlib's ResNet-34-style face recognition network (128-d, trained with a metric
 * loss on aligned 150x150 chips; dlib reports 99.38% on LFW), with the weights that
 * @vladmandic/face-api ships in its npm package (model/face_recognition_model.*). The network is
 * small and fixed, so it is written here on human's own tfjs (the same wasm backend, one tfjs in
 * the worker) rather than loading face-api's runtime, which wants a second tfjs. The layer code
 * follows face-api's `FaceRecognitionNet` (src/faceRecognitionNet/*, MIT).
 *
 * Why not human's built-in `faceres` descriptor: measured on every pair built from the fixture
 * identities, faceres (an age/gender network's features) had EER 0.065 and TAR 0.69 at FAR 0.01;
 * this network on aligned chips separated all pairs (see match.ts). Runs inside the face worker.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { CHIP_SIZE } from '../align.ts';

/** The subset of tfjs tensors used here (human's tfjs namespace is untyped upstream). */
export interface Tensor {
  shape: number[];
  dispose(): void;
  data(): Promise<ArrayLike<number>>;
}

export interface DescriptorTf {
  tidy<T extends Tensor>(fn: () => T): T;
  tensor4d(values: Float32Array, shape: [number, number, number, number]): Tensor;
  tensor1d(values: number[]): Tensor;
  conv2d(x: Tensor, filter: Tensor, strides: number, pad: 'same' | 'valid'): Tensor;
  add(a: Tensor, b: Tensor): Tensor;
  sub(a: Tensor, b: Tensor): Tensor;
  mul(a: Tensor, b: Tensor): Tensor;
  div(a: Tensor, b: number): Tensor;
  relu(x: Tensor): Tensor;
  maxPool(x: Tensor, size: number, strides: number, pad: 'valid'): Tensor;
  avgPool(x: Tensor, size: number, strides: number, pad: 'valid'): Tensor;
  zeros(shape: number[]): Tensor;
  concat(tensors: Tensor[], axis: number): Tensor;
  mean(x: Tensor, axis: number[]): Tensor;
  matMul(a: Tensor, b: Tensor): Tensor;
  io: { decodeWeights(buffer: ArrayBuffer, specs: unknown[]): Record<string, Tensor> };
}

/** Descriptor length. */
export const DESCRIPTOR_SIZE = 128;
/** Per-channel mean the network was trained with (RGB, 0..255), as face-api applies it. */
const MEAN_RGB = [122.782, 117.001, 104.298];

const require = createRequire(import.meta.url);

/** The weight files in the installed @vladmandic/face-api; throws with an actionable message. */
export function locateDescriptorModel(): { manifest: string; weights: string } {
  let root: string;
  try {
    root = path.dirname(require.resolve('@vladmandic/face-api/package.json'));
  } catch {
    throw new Error('@vladmandic/face-api is not installed: it ships the face descriptor weights (npm install)');
  }
  const files = {
    manifest: path.join(root, 'model', 'face_recognition_model-weights_manifest.json'),
    weights: path.join(root, 'model', 'face_recognition_model.bin'),
  };
  for (const file of Object.values(files)) {
    if (!fs.existsSync(file)) throw new Error(`face descriptor file missing: ${path.basename(file)}`);
  }
  return files;
}

export interface DescriptorNet {
  /** 128-d descriptor of one aligned chip (CHIP_SIZE x CHIP_SIZE x 3, RGB 0..255). */
  describe(chip: Float32Array): Promise<Float32Array>;
}

/** Reads the weights from disk (never the network) and returns the forward pass. */
export async function loadDescriptorNet(tf: DescriptorTf): Promise<DescriptorNet> {
  const files = locateDescriptorModel();
  const manifest = JSON.parse(await fs.promises.readFile(files.manifest, 'utf8')) as { weights: unknown[] }[];
  const bytes = await fs.promises.readFile(files.weights);
  const weights = tf.io.decodeWeights(
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
    manifest.flatMap((group) => group.weights),
  );
  const w = (name: string): Tensor => {
    const t = weights[name];
    if (!t) throw new Error(`face descriptor weights lack ${name}`);
    return t;
  };
  // Fail at startup, not on the first face, if the file set is not the expected network.
  for (const layer of LAYERS) for (const name of layerWeightNames(layer)) w(name);
  const fc = w('fc');
  if (fc.shape[1] !== DESCRIPTOR_SIZE) throw new Error(`face descriptor output is ${fc.shape[1]}-d, expected ${DESCRIPTOR_SIZE}`);
  const mean = tf.tensor1d(MEAN_RGB);

  const convLayer = (x: Tensor, prefix: string, strides: number, relu: boolean, pad: 'same' | 'valid'): Tensor => {
    let out = tf.add(tf.conv2d(x, w(`${prefix}/conv/filters`), strides, pad), w(`${prefix}/conv/bias`));
    out = tf.add(tf.mul(out, w(`${prefix}/scale/weights`)), w(`${prefix}/scale/biases`));
    return relu ? tf.relu(out) : out;
  };
  const residual = (x: Tensor, prefix: string): Tensor => {
    const out = convLayer(convLayer(x, `${prefix}/conv1`, 1, true, 'same'), `${prefix}/conv2`, 1, false, 'same');
    return tf.relu(tf.add(out, x));
  };
  const residualDown = (x: Tensor, prefix: string): Tensor => {
    let out = convLayer(convLayer(x, `${prefix}/conv1`, 2, true, 'valid'), `${prefix}/conv2`, 1, false, 'same');
    let pooled = tf.avgPool(x, 2, 2, 'valid');
    if (pooled.shape[1] !== out.shape[1] || pooled.shape[2] !== out.shape[2]) {
      const [n, h, wd, c] = out.shape as [number, number, number, number];
      out = tf.concat([out, tf.zeros([n, 1, wd, c])], 1);
      out = tf.concat([out, tf.zeros([n, h + 1, 1, c])], 2);
    }
    if (pooled.shape[3] !== out.shape[3]) pooled = tf.concat([pooled, tf.zeros(pooled.shape)], 3);
    return tf.relu(tf.add(pooled, out));
  };

  return {
    async describe(chip: Float32Array): Promise<Float32Array> {
      if (chip.length !== CHIP_SIZE * CHIP_SIZE * 3) throw new RangeError(`chip must be ${CHIP_SIZE}x${CHIP_SIZE}x3`);
      const output = tf.tidy(() => {
        let x = tf.div(tf.sub(tf.tensor4d(chip, [1, CHIP_SIZE, CHIP_SIZE, 3]), mean), 255);
        x = convLayer(x, 'conv32_down', 2, true, 'valid');
        x = tf.maxPool(x, 3, 2, 'valid');
        for (const layer of LAYERS.slice(1)) x = layer.endsWith('_down') || layer.endsWith('_down_out') ? residualDown(x, layer) : residual(x, layer);
        return tf.matMul(tf.mean(x, [1, 2]), fc);
      });
      try {
        return Float32Array.from(await output.data());
      } finally {
        output.dispose();
      }
    },
  };
}

/** Layers in order: the first is a plain strided conv, the rest residual blocks. */
const LAYERS = [
  'conv32_down',
  'conv32_1',
  'conv32_2',
  'conv32_3',
  'conv64_down',
  'conv64_1',
  'conv64_2',
  'conv64_3',
  'conv128_down',
  'conv128_1',
  'conv128_2',
  'conv256_down',
  'conv256_1',
  'conv256_2',
  'conv256_down_out',
] as const;

function layerWeightNames(layer: string): string[] {
  const conv = (prefix: string) => [`${prefix}/conv/filters`, `${prefix}/conv/bias`, `${prefix}/scale/weights`, `${prefix}/scale/biases`];
  return layer === 'conv32_down' ? conv(layer) : [...conv(`${layer}/conv1`), ...conv(`${layer}/conv2`)];
}
