/**
 * npm run eval:liveness -- [--json] [--data DIR]
 *
 * Builds attack sequences itself from still photos (DIR, default ../shared/fixtures/faces):
 * a static photo (frozen frames, and with camera noise), a photo moved/rotated/scaled in front of
 * a background, a photo tilted back and forth (faking turns and looking up), two faces, and a
 * face replaced by another mid-sequence. Every frame is rendered, analysed by the real engine and
 * fed through the real observation builder and liveness decision.
 *
 * Genuine sequences: a still photo cannot show a live head, so these are synthetic landmark
 * streams, stated as such: the 3-D keypoints of the engine's mesh on each photo, animated through
 * the session's challenges (blink, turns, look up, open mouth), projected with perspective, with
 * head sway and the landmark jitter measured on the noisy static-photo frames. They exercise the
 * decision on realistic geometry, not the detector on real video.
 *
 * Last line (with or without --json):
 * {"attack_sequences":N,"attack_pass_rate":R,"genuine_sequences":N,"genuine_pass_rate":R,"frame_p50_ms":T}
 * frame_p50_ms: p50 of the worker's detect + mesh time (engine defaults) on frames without descriptor.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  decideLiveness,
  FaceEngine,
  ObservationBuilder,
  parseLivenessConfig,
  planChallenges,
  type FrameObservation,
  type LivenessResult,
} from '../../server/verify/face/index.ts';
import { createRng } from '../../server/verify/face/liveness/plan.ts';
import { faceFromMesh, performSession } from '../../server/verify/face/liveness/test-support.ts';
import { loadRgb, percentile, readIdentities, round } from '../support/face-images.ts';
import { CENTRED, cutPrint, makeBackground, renderFrame, type Placement } from '../support/face-scene.ts';
import { residualsOnVideo } from '../support/face-video.ts';

const FPS = 5;
const SECONDS = 8;
const KEYFRAME_EVERY = 5;
/** Same detectors and thresholds as production; shorter limits so an unanswered challenge fails within a sequence. */
const CONFIG = parseLivenessConfig({ challenge: { timeLimitMs: 2000, attempts: 1 } });

function say(line = ''): void {
  process.stdout.write(`${line}\n`);
}

function parseArgs(argv: string[]): { json: boolean; data: string } {
  const args = { json: false, data: path.resolve('../shared/fixtures/faces') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') args.json = true;
    else if (a === '--data') args.data = path.resolve(argv[++i] ?? '');
    else throw new Error(`unknown argument ${a}; usage: npm run eval:liveness -- [--json] [--data DIR]`);
  }
  return args;
}

interface Subject {
  name: string;
  print: Buffer;
  mesh: Float32Array;
}

type Scene = (t: number, i: number) => { print: Buffer; placement: Placement }[];

interface SequenceRun {
  kind: string;
  result: LivenessResult;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const gtFile = path.join(args.data, 'GROUND_TRUTH.json');
  if (!fs.existsSync(gtFile)) {
    process.stderr.write(
      `eval:liveness needs face photos to build its sequences from and found none at ${args.data} (expected GROUND_TRUTH.json with identities). ` +
        'Put the faces fixture at ../shared/fixtures/faces or pass --data DIR.\n',
    );
    process.exit(2);
  }
  const identities = readIdentities(args.data, JSON.parse(fs.readFileSync(gtFile, 'utf8')));

  const engine = new FaceEngine({ requestTimeoutMs: 30_000 });
  await engine.start();
  const frameTimes: number[] = [];
  try {
    // One frontal photo per identity: the first whose largest face is big, frontal and fully visible.
    const subjects: Subject[] = [];
    for (const [name, files] of identities) {
      for (const rel of files) {
        const file = path.join(args.data, rel);
        const image = await loadRgb(file);
        const analysis = await engine.analyze(image, { wantSpoofSignals: false });
        const face = analysis.faces[0];
        if (!face || analysis.faces.length !== 1 || Math.abs(face.rotation.yaw) > 15 || face.box.x < 0 || face.box.y < 0) continue;
        if (face.box.x + face.box.width > image.width || face.box.y + face.box.height > image.height) continue;
        subjects.push({ name, print: await cutPrint(file, face.box, image, 340), mesh: face.mesh });
        break;
      }
    }
    if (subjects.length < 2) throw new Error(`need frontal photos of at least 2 people in ${args.data}; found ${subjects.length}`);
    say(`subjects: ${subjects.length} people with a usable frontal photo`);
    const background = makeBackground();

    const runScene = async (kind: string, scene: Scene, noiseSd: number, seed: number): Promise<SequenceRun> => {
      const builder = new ObservationBuilder();
      const observations: FrameObservation[] = [];
      const frames = SECONDS * FPS;
      for (let i = 0; i < frames; i++) {
        const t = (i * 1000) / FPS;
        const frame = await renderFrame(background, scene(t, i), { sd: noiseSd, seed: seed * 1000 + (noiseSd > 0 ? i : 0) });
        const key = i % KEYFRAME_EVERY === 0;
        const analysis = await engine.analyze(frame, { wantEmbedding: key, wantSpoofSignals: key });
        if (!key) frameTimes.push(analysis.analysisMs);
        observations.push(builder.add(t, frame, analysis));
      }
      const plan = planChallenges(seed, CONFIG.plan);
      return { kind, result: decideLiveness(observations, plan, CONFIG, { final: true }) };
    };

    const attacks: SequenceRun[] = [];
    const pairs = subjects.slice(0, 3).map((s, k) => [s, subjects[(k + 1) % subjects.length] as Subject] as const);
    let seed = 1;
    for (const [a, b] of pairs) {
      const still: Scene = () => [{ print: a.print, placement: CENTRED }];
      attacks.push(await runScene('static photo, frozen frames', still, 0, seed++));
      attacks.push(await runScene('static photo, camera noise', still, 2, seed++));
      attacks.push(
        await runScene(
          'photo moved, rotated, scaled',
          (t) => [
            {
              print: a.print,
              placement: {
                ...CENTRED,
                cx: 320 + 90 * Math.sin(t / 900),
                cy: 240 + 40 * Math.sin(t / 600),
                scale: 1 + 0.15 * Math.sin(t / 1300),
                rotation: 18 * Math.sin(t / 700),
              },
            },
          ],
          2,
          seed++,
        ),
      );
      attacks.push(
        await runScene(
          'photo tilted (fake turns / look up)',
          (t) => [
            {
              print: a.print,
              placement: { ...CENTRED, tiltY: 55 * Math.abs(Math.sin(t / 800)), tiltX: 45 * Math.abs(Math.sin(t / 1100)), rotation: 5 * Math.sin(t / 500) },
            },
          ],
          2,
          seed++,
        ),
      );
      attacks.push(
        await runScene(
          'two faces',
          (t) => [
            { print: a.print, placement: { ...CENTRED, cx: 175 + 10 * Math.sin(t / 500), scale: 0.7 } },
            { print: b.print, placement: { ...CENTRED, cx: 470, scale: 0.7 } },
          ],
          2,
          seed++,
        ),
      );
      attacks.push(
        await runScene(
          'face replaced mid-sequence',
          (t) => [{ print: t < (SECONDS * 1000) / 2 ? a.print : b.print, placement: { ...CENTRED, cx: 320 + 20 * Math.sin(t / 700) } }],
          2,
          seed++,
        ),
      );
    }

    // Landmark jitter of the engine on a still, noisy photo: the noise level of the genuine streams.
    const jitterPx = await measureJitter(engine, background, subjects[0] as Subject);

    const genuine: SequenceRun[] = [];
    for (const [index, subject] of subjects.entries()) {
      const face = faceFromMesh(subject.mesh);
      for (let k = 0; k < 3; k++) {
        const sequenceSeed = 100 + index * 10 + k;
        const plan = planChallenges(sequenceSeed, CONFIG.plan);
        const frames = performSession(face, plan, CONFIG, {
          fps: 10,
          reactionMs: 500,
          random: createRng(sequenceSeed),
          noise: { landmarkPx: jitterPx, angleDeg: 1 },
          iodPx: 70,
          maxMs: 15_000,
        });
        genuine.push({ kind: 'genuine landmark stream', result: decideLiveness(frames, plan, CONFIG, { final: true }) });
      }
    }

    report(attacks, genuine, frameTimes, jitterPx);
    const video = path.join(args.data, 'video', 'short_hamilton_clip.mp4');
    if (fs.existsSync(video)) {
      const bins = await residualsOnVideo(engine, video);
      if (typeof bins === 'string') say(`real-video rigid-motion check skipped: ${bins}`);
      else {
        say(`real video (${path.basename(video)}), homography residual between frames of the same face vs change in head angle:`);
        for (const b of bins) say(`  ${b.angleDeg[0]}-${b.angleDeg[1]} deg: ${b.pairs} pairs, residual p10 ${b.p10.toFixed(3)} p50 ${b.p50.toFixed(3)} (turn threshold ${CONFIG.rigid.minNonRigid})`);
      }
    }
    say(lastLine);
  } finally {
    await engine.close();
  }
}

async function measureJitter(engine: FaceEngine, background: Uint8Array, subject: Subject): Promise<number> {
  const positions: Float32Array[] = [];
  for (let i = 0; i < 8; i++) {
    const frame = await renderFrame(background, [{ print: subject.print, placement: CENTRED }], { sd: 2, seed: 7000 + i });
    const face = (await engine.analyze(frame, { wantSpoofSignals: false })).faces[0];
    if (face) positions.push(face.mesh);
  }
  if (positions.length < 2) return 1;
  let sum = 0;
  let count = 0;
  const points = (positions[0] as Float32Array).length / 3;
  for (let p = 0; p < points; p++) {
    for (const axis of [0, 1]) {
      const values = positions.map((m) => m[p * 3 + axis] as number);
      const mean = values.reduce((s, v) => s + v, 0) / values.length;
      sum += values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1);
      count++;
    }
  }
  return Math.sqrt(sum / count);
}

let lastLine = '';

function report(attacks: SequenceRun[], genuine: SequenceRun[], frameTimes: number[], jitterPx: number): void {
  const kinds = [...new Set(attacks.map((a) => a.kind))];
  say(`config: ${CONFIG.plan.count} challenges per sequence, ${CONFIG.challenge.timeLimitMs} ms x ${CONFIG.challenge.attempts} attempt; ${FPS} fps, ${SECONDS} s, descriptor + anti-spoof every ${KEYFRAME_EVERY}th frame`);
  say('attacks (rendered frames -> real engine -> observations -> decision):');
  for (const kind of kinds) {
    const runs = attacks.filter((a) => a.kind === kind);
    const passed = runs.filter((r) => r.result.passed).length;
    const flags = new Map<string, number>();
    for (const r of runs) for (const f of r.result.flags) flags.set(`${f.code}(${f.severity})`, (flags.get(`${f.code}(${f.severity})`) ?? 0) + 1);
    const reasons = new Set(runs.flatMap((r) => r.result.reasons));
    const nonRigid = runs.map((r) => r.result.signals.nonRigidP95).filter((v): v is number => v !== null);
    say(
      `  ${kind}: ${passed}/${runs.length} passed; challenges done ${runs.map((r) => r.result.challenges.filter((c) => c.passed).length).join(',')}; ` +
        `flags ${[...flags].map(([k, n]) => `${k}x${n}`).join(' ') || 'none'}; reasons ${[...reasons].join(' ')}; ` +
        `non-rigid p95 ${nonRigid.map((v) => v.toFixed(3)).join(',') || 'n/a'}`,
    );
  }
  const gPassed = genuine.filter((g) => g.result.passed).length;
  say(`genuine (synthetic landmark streams from the engine's 3-D mesh of each photo, jitter ${jitterPx.toFixed(2)} px measured on the engine): ${gPassed}/${genuine.length} passed`);
  for (const g of genuine.filter((x) => !x.result.passed)) say(`  failed: ${g.result.reasons.join(' ')} challenges ${JSON.stringify(g.result.challenges)}`);
  const nr = genuine.map((g) => g.result.signals.nonRigidP95).filter((v): v is number => v !== null);
  if (nr.length) say(`  genuine non-rigid p95: min ${Math.min(...nr).toFixed(3)} max ${Math.max(...nr).toFixed(3)}`);
  const attackPassed = attacks.filter((a) => a.result.passed).length;
  say(
    `frame analysis (detect + mesh, worker): p50 ${percentile(frameTimes, 50).toFixed(1)} ms, p95 ${percentile(frameTimes, 95).toFixed(1)} ms over ${frameTimes.length} frames ` +
      `(load average ${os.loadavg()[0]?.toFixed(1)} on ${os.cpus().length} cores: other work on the machine inflates it)`,
  );
  lastLine = JSON.stringify({
      attack_sequences: attacks.length,
      attack_pass_rate: round(attacks.length ? attackPassed / attacks.length : 0),
      genuine_sequences: genuine.length,
      genuine_pass_rate: round(genuine.length ? gPassed / genuine.length : 0),
      frame_p50_ms: round(percentile(frameTimes, 50), 1),
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`eval:liveness failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
