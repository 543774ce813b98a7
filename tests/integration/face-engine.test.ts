/**
 * The face engine for real: worker startup (offline), no-face and bad input, timeouts, crash
 * recovery, close. Face-specific checks use a photo from ../shared/fixtures/faces when present
 * (no synthetic image is face-like enough) and are skipped with a printed reason otherwise.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { cosineSimilarity, DEFAULT_MATCH_THRESHOLD, FaceEngine, FaceEngineError, type FaceAnalysis } from '../../server/verify/face/index.ts';
import { loadRgb, mirrorRgb, rgbToI420 } from '../support/face-images.ts';

const FAKE_WORKER = new URL('../support/face-fake-worker.ts', import.meta.url);
const FACE_PHOTO = path.resolve('../shared/fixtures/faces/test_images/obama.jpg');
const hasPhoto = fs.existsSync(FACE_PHOTO);
if (!hasPhoto) console.warn(`face-engine tests: ${FACE_PHOTO} not found; face-specific checks are skipped`);

function gradient(width: number, height: number): Uint8Array {
  const rgb = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) {
    rgb[i * 3] = (i % width) & 255;
    rgb[i * 3 + 1] = (i / width) & 255;
    rgb[i * 3 + 2] = 128;
  }
  return rgb;
}

async function rejection(promise: Promise<unknown>): Promise<FaceEngineError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof FaceEngineError) return error;
    throw error;
  }
  throw new Error('expected a FaceEngineError');
}

describe('face engine (real worker, human on tfjs-wasm)', () => {
  const engine = new FaceEngine({ requestTimeoutMs: 20_000 });

  beforeAll(async () => {
    await engine.start();
  });
  afterAll(async () => {
    await engine.close();
  });

  it('starts offline on the wasm backend', () => {
    expect(engine.stats()).toMatchObject({ state: 'ready', backend: 'wasm', blockedFetches: 0, starts: 1 });
  });

  it('finds no face in a frame without one, as RGB and as I420', async () => {
    const rgb = gradient(320, 240);
    expect((await engine.analyze({ width: 320, height: 240, data: rgb })).faces).toEqual([]);
    const i420 = await engine.analyze({ width: 320, height: 240, data: rgbToI420(320, 240, rgb) });
    expect(i420).toMatchObject({ width: 320, height: 240, faces: [] });
    expect(i420.analysisMs).toBeGreaterThan(0);
  });

  it('refuses bad input without touching the worker', async () => {
    expect(await rejection(engine.analyze({ width: 320, height: 240, data: new Uint8Array(10) }))).toMatchObject({ code: 'bad_input', retryable: false });
    expect(await rejection(engine.analyze({ width: 0, height: 240, data: new Uint8Array(10) }))).toMatchObject({ code: 'bad_input' });
  });

  it('leaves the caller’s frame intact (the data is copied before transfer)', async () => {
    const rgb = gradient(64, 64);
    await engine.analyze({ width: 64, height: 64, data: rgb });
    expect(rgb.byteLength).toBe(64 * 64 * 3);
    expect(rgb[3]).toBe(1);
  });

  describe.skipIf(!hasPhoto)('on a face photo', () => {
    let image: Awaited<ReturnType<typeof loadRgb>>;
    let analysis: FaceAnalysis;

    beforeAll(async () => {
      image = await loadRgb(FACE_PHOTO, 640);
      analysis = await engine.analyze(image, { wantEmbedding: true });
    });

    it('returns one face with box, pose, eye and mouth measures, signals and a descriptor', () => {
      expect(analysis.faces).toHaveLength(1);
      const face = analysis.faces[0];
      if (!face) throw new Error('no face');
      expect(face.box.width).toBeGreaterThan(80);
      expect(face.box.x + face.box.width).toBeLessThanOrEqual(image.width + 1);
      expect(Math.abs(face.rotation.yaw)).toBeLessThan(15);
      expect(face.eyeAspectRatio.mean).toBeGreaterThan(0.15);
      expect(face.eyeAspectRatio.mean).toBeLessThan(0.5);
      expect(face.mouthOpen).toBeGreaterThanOrEqual(0);
      expect(face.mesh).toHaveLength(468 * 3); // iris refinement is off by default
      expect(face.antispoof).toBeGreaterThanOrEqual(0);
      expect(face.liveness).toBeGreaterThanOrEqual(0);
      expect(face.embedding).toHaveLength(128);
      expect(engine.stats().blockedFetches).toBe(0);
    });

    it('gives the same answer for the I420 version of the frame', async () => {
      const i420 = await engine.analyze({ width: image.width, height: image.height, data: rgbToI420(image.width, image.height, image.data) }, { wantEmbedding: true });
      const [a, b] = [analysis.faces[0], i420.faces[0]];
      if (!a?.embedding || !b?.embedding) throw new Error('no descriptor');
      expect(Math.abs(a.box.x - b.box.x)).toBeLessThan(6);
      expect(cosineSimilarity(a.embedding, b.embedding)).toBeGreaterThan(0.97);
    });

    it('matches another photo of the same person and not a different person at the default threshold', async () => {
      const describe = async (file: string) => {
        const face = (await engine.analyze(await loadRgb(path.resolve('../shared/fixtures/faces/test_images', file), 640), { wantEmbedding: true })).faces[0];
        if (!face?.embedding) throw new Error(`no descriptor for ${file}`);
        return face.embedding;
      };
      const reference = analysis.faces[0]?.embedding;
      if (!reference) throw new Error('no descriptor');
      const same = cosineSimilarity(reference, await describe('obama2.jpg'));
      const other = cosineSimilarity(reference, await describe('biden.jpg'));
      expect(same).toBeGreaterThanOrEqual(DEFAULT_MATCH_THRESHOLD);
      expect(other).toBeLessThan(DEFAULT_MATCH_THRESHOLD);
    });

    it('aligns the face before describing it: a rolled copy of the photo gives nearly the same descriptor', async () => {
      const { data, info } = await sharp(Buffer.from(image.data), { raw: { width: image.width, height: image.height, channels: 3 } })
        .rotate(25, { background: { r: 128, g: 128, b: 128 } })
        .raw()
        .toBuffer({ resolveWithObject: true });
      const rolled = (await engine.analyze({ width: info.width, height: info.height, data: new Uint8Array(data), format: 'rgb' }, { wantEmbedding: true })).faces[0];
      const reference = analysis.faces[0]?.embedding;
      if (!rolled?.embedding || !reference) throw new Error('no descriptor');
      expect(cosineSimilarity(reference, rolled.embedding)).toBeGreaterThan(0.97);
    });

    it('describes only the largest face of a frame with several', async () => {
      const small = await sharp(path.resolve('../shared/fixtures/faces/test_images/biden.jpg')).resize({ width: 240 }).removeAlpha().png().toBuffer();
      const { data, info } = await sharp(Buffer.from(image.data), { raw: { width: image.width, height: image.height, channels: 3 } })
        .extend({ right: 260, background: { r: 128, g: 128, b: 128 } })
        .composite([{ input: small, left: image.width + 10, top: 10 }])
        .removeAlpha()
        .raw()
        .toBuffer({ resolveWithObject: true });
      const both = await engine.analyze({ width: info.width, height: info.height, data: new Uint8Array(data), format: 'rgb' }, { wantEmbedding: true });
      expect(both.faces.length).toBe(2);
      expect(both.faces[0]?.embedding).toHaveLength(128);
      expect(both.faces[1]?.embedding).toBeNull();
    });

    it('reports yaw with the documented sign: < 0 when the face turns towards image right', async () => {
      // A photo with a visibly turned head, and its mirror image (the same turn the other way).
      const turned = await loadRgb(path.resolve('../shared/fixtures/faces/test_images/obama3.jpg'), 640);
      const face = (await engine.analyze(turned)).faces[0];
      const mirrored = (await engine.analyze({ ...turned, data: mirrorRgb(turned.width, turned.height, turned.data) })).faces[0];
      if (!face || !mirrored) throw new Error('no face');
      // Where the nose tip sits between the outer eye corners tells the true direction.
      const noseOffset = (mesh: Float32Array) => (mesh[1 * 3] as number) - ((mesh[33 * 3] as number) + (mesh[263 * 3] as number)) / 2;
      expect(Math.sign(noseOffset(face.mesh))).toBe(-Math.sign(face.rotation.yaw));
      expect(Math.sign(noseOffset(mirrored.mesh))).toBe(-Math.sign(mirrored.rotation.yaw));
      expect(Math.abs(face.rotation.yaw)).toBeGreaterThan(4);
      expect(Math.sign(face.rotation.yaw)).toBe(-Math.sign(mirrored.rotation.yaw));
    });
  });

  it('times out a slow analysis with a retryable error and restarts the worker', async () => {
    const hurried = new FaceEngine({ requestTimeoutMs: 1 });
    try {
      await hurried.start();
      const error = await rejection(hurried.analyze({ width: 320, height: 240, data: gradient(320, 240) }));
      expect(error).toMatchObject({ code: 'timeout', retryable: true });
      expect(hurried.stats()).toMatchObject({ timeouts: 1, state: 'idle' });
    } finally {
      await hurried.close();
    }
  });
});

describe('face engine recovery (stand-in worker)', () => {
  const withMode = async (mode: string, run: (engine: FaceEngine) => Promise<void>, options = {}) => {
    process.env.FACE_FAKE_WORKER = mode;
    const engine = new FaceEngine({ workerModule: FAKE_WORKER, requestTimeoutMs: 1_000, startupTimeoutMs: 2_000, ...options });
    try {
      await run(engine);
    } finally {
      delete process.env.FACE_FAKE_WORKER;
      await engine.close();
    }
  };
  const frame = (width: number) => ({ width, height: 16, data: new Uint8Array(width * 16 * 3) });

  it('fails a request whose worker crashes (retryable) and serves the next one from a new worker', async () => {
    await withMode('ok', async (engine) => {
      expect((await engine.analyze(frame(20))).faces).toEqual([]);
      const crashed = engine.analyze(frame(18));
      const queued = engine.analyze(frame(21));
      expect(await rejection(crashed)).toMatchObject({ code: 'worker_crashed', retryable: true });
      expect((await queued).width).toBe(21);
      expect(engine.stats()).toMatchObject({ starts: 2, crashes: 1, state: 'ready' });
    });
  });

  it('fails a hung request with a timeout, kills the stuck worker and recovers', async () => {
    await withMode('ok', async (engine) => {
      expect(await rejection(engine.analyze(frame(17)))).toMatchObject({ code: 'timeout', retryable: true });
      expect((await engine.analyze(frame(20))).width).toBe(20);
      expect(engine.stats()).toMatchObject({ starts: 2, timeouts: 1 });
    });
  });

  it('reports a worker that never becomes ready (startup timeout) and one that cannot load', async () => {
    await withMode('never-ready', async (engine) => {
      expect(await rejection(engine.analyze(frame(20)))).toMatchObject({ code: 'startup_timeout', retryable: true });
    }, { startupTimeoutMs: 300 });
    await withMode('fatal', async (engine) => {
      const error = await rejection(engine.start());
      expect(error).toMatchObject({ code: 'startup_failed', retryable: false });
      expect(error.message).toContain('models missing');
      expect(await rejection(engine.analyze(frame(20)))).toMatchObject({ code: 'startup_failed' });
    });
    await withMode('never-ready', async (engine) => {
      const starting = rejection(engine.start());
      await engine.close();
      expect(await starting).toMatchObject({ code: 'closed' });
    });
    await withMode('exit-on-start', async (engine) => {
      expect(await rejection(engine.analyze(frame(20)))).toMatchObject({ code: 'worker_crashed', retryable: true });
    });
  });

  it('refuses work beyond its queue, honours abort signals, and fails pending work on close', async () => {
    await withMode('ok', async (engine) => {
      await engine.start();
      const controller = new AbortController();
      const aborted = engine.analyze(frame(20), { signal: controller.signal });
      controller.abort();
      expect(await rejection(aborted)).toMatchObject({ code: 'aborted' });
      // The aborted request kept its slot until the worker answered; this one runs after it.
      expect((await engine.analyze(frame(20))).width).toBe(20);
      const hung = engine.analyze(frame(17));
      const pending = [1, 2].map(() => engine.analyze(frame(20)));
      const settled = [hung, ...pending].map((p) => rejection(p));
      expect(await rejection(engine.analyze(frame(20)))).toMatchObject({ code: 'busy', retryable: true });
      await engine.close();
      for (const error of await Promise.all(settled)) expect(error).toMatchObject({ code: 'closed' });
      expect(await rejection(engine.analyze(frame(20)))).toMatchObject({ code: 'closed' });
      expect(engine.stats().state).toBe('closed');
    }, { maxQueue: 2 });
  });
});
