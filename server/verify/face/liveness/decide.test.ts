import { describe, expect, it } from 'vitest';
import { parseLivenessConfig } from './config.ts';
import { decideLiveness } from './decide.ts';
import { createRng } from './plan.ts';
import { liveFace, NEUTRAL_POSE, performSession, photoFace, TEMPLATE_FACE, toFrames, type Pose } from './test-support.ts';
import type { ChallengeKind, FaceObservation, FrameObservation } from './types.ts';

const config = parseLivenessConfig({});
const noise = { landmarkPx: 0.4, angleDeg: 1 };

function session(plan: ChallengeKind[], seed = 1, extra: Partial<Parameters<typeof performSession>[3]> = {}): FrameObservation[] {
  return performSession(TEMPLATE_FACE, plan, config, { random: createRng(seed), noise, ...extra });
}

/** Frames of a held-up photo: `place(t)` gives its pose, tilt and what a fooled estimator reports. */
function photoFrames(durationMs: number, place: (t: number) => Partial<Pose> & { tiltX?: number; tiltY?: number; claimedYaw?: number; claimedPitch?: number }, frameDiff = 2) {
  const random = createRng(9);
  const out: { t: number; face: FaceObservation }[] = [];
  for (let t = 0; t <= durationMs; t += 100) {
    const p = place(t);
    const pose = { ...NEUTRAL_POSE, tiltX: 0, tiltY: 0, ...p };
    out.push({ t, face: photoFace(TEMPLATE_FACE, pose, noise, random, { yaw: p.claimedYaw ?? 0, pitch: p.claimedPitch ?? 0 }) });
  }
  return toFrames(out, frameDiff);
}

describe('liveness decision: live applicant (synthetic landmark streams)', () => {
  it.each<ChallengeKind[]>([
    ['blink', 'turn_left', 'open_mouth'],
    ['turn_right', 'look_up', 'blink'],
    ['open_mouth', 'turn_left', 'turn_right', 'look_up', 'blink'],
  ])('passes %j in order, with times', (...plan) => {
    const frames = session(plan);
    const result = decideLiveness(frames, plan, config, { final: true });
    expect(result.reasons).toEqual([]);
    expect(result.status).toBe('passed');
    expect(result.challenges.map((c) => [c.kind, c.passed, c.attempts])).toEqual(plan.map((k) => [k, true, 1]));
    const times = result.challenges.map((c) => c.atMs as number);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(result.flags.filter((f) => f.severity === 'block')).toEqual([]);
  });

  it('guides while in progress and reports the current challenge', () => {
    const plan: ChallengeKind[] = ['turn_left', 'blink'];
    const frames = session(plan);
    // Baseline first: hold still.
    expect(decideLiveness(frames.slice(0, 5), plan, config).feedback).toBe('hold_still');
    const states = frames.map((_, i) => decideLiveness(frames.slice(0, i + 1), plan, config));
    const feedback = new Set(states.map((s) => s.feedback));
    expect(feedback).toContain('turn_left');
    expect(feedback).toContain('turn_left_more');
    expect(feedback).toContain('back_to_center');
    expect(feedback).toContain('blink');
    const during = states.find((s) => s.current?.kind === 'turn_left');
    expect(during?.current).toMatchObject({ attempt: 1 });
    expect(during?.current?.remainingMs).toBeLessThanOrEqual(config.challenge.timeLimitMs);
  });

  it('fails an ignored challenge after its attempts, naming it', () => {
    const plan: ChallengeKind[] = ['blink', 'open_mouth'];
    const frames = session(plan, 2, { ignore: ['open_mouth'] });
    const result = decideLiveness(frames, plan, config, { final: true });
    expect(result.status).toBe('failed');
    expect(result.reasons).toContain('challenge_failed:open_mouth');
    expect(result.challenges).toEqual([
      expect.objectContaining({ kind: 'blink', passed: true }),
      expect.objectContaining({ kind: 'open_mouth', passed: false, attempts: config.challenge.attempts }),
    ]);
  });

  it('does not take a slow eye closure for a blink', () => {
    const slow = parseLivenessConfig({ blink: { maxDurationMs: 150 } });
    const plan: ChallengeKind[] = ['blink'];
    const frames = performSession(TEMPLATE_FACE, plan, slow, { random: createRng(3), noise, fps: 10 });
    // The acted blink lasts ~280 ms, longer than the 150 ms allowed here.
    expect(decideLiveness(frames, plan, slow, { final: true }).reasons).toContain('challenge_failed:blink');
  });

  it('pauses the challenge clock while the face is too small or missing', () => {
    const plan: ChallengeKind[] = ['blink'];
    const random = createRng(4);
    const samples: { t: number; face: FaceObservation | FaceObservation[] }[] = [];
    let t = 0;
    for (; t < 1500; t += 100) samples.push({ t, face: liveFace(TEMPLATE_FACE, NEUTRAL_POSE, noise, random) });
    // 20 s far from the camera (face 30 px wide) and away: longer than the whole time limit.
    for (; t < 21_500; t += 100) samples.push({ t, face: t < 11_500 ? liveFace(TEMPLATE_FACE, { ...NEUTRAL_POSE, iodPx: 15 }, noise, random) : [] });
    const paused = decideLiveness(toFrames(samples), plan, config);
    expect(paused.status).toBe('in_progress');
    expect(paused.feedback).toBe('move_into_oval');
    expect(paused.flags.map((f) => [f.code, f.severity])).toEqual([
      ['face_too_small', 'review'],
      ['no_face', 'review'],
    ]);
    for (const [k, closure] of [[0, 0], [1, 1], [2, 1], [3, 0], [4, 0]] as const) {
      samples.push({ t: t + k * 100, face: liveFace(TEMPLATE_FACE, { ...NEUTRAL_POSE, eyeClosure: closure }, noise, random) });
    }
    expect(decideLiveness(toFrames(samples), plan, config).status).toBe('passed');
  });

  it('gives up after the total time limit, pauses included', () => {
    const short = parseLivenessConfig({ maxTotalMs: 5000 });
    const frames = toFrames(Array.from({ length: 80 }, (_, i) => ({ t: i * 100, face: [] as FaceObservation[] })));
    expect(decideLiveness(frames, ['blink'], short).reasons).toEqual(['total_time_exceeded']);
  });
});

describe('liveness decision: attacks', () => {
  const plans: ChallengeKind[][] = [['blink', 'turn_left', 'open_mouth'], ['turn_right', 'look_up', 'blink'], ['look_up', 'turn_left', 'turn_right']];

  it.each(plans)('a still photo never passes %j', (...plan) => {
    const result = decideLiveness(photoFrames(30_000, () => ({})), plan, config, { final: true });
    expect(result.passed).toBe(false);
    expect(result.challenges.filter((c) => c.passed)).toEqual([]);
  });

  it('blocks a frozen stream (identical frames)', () => {
    const result = decideLiveness(photoFrames(5000, () => ({}), 0), ['blink'], config, { final: true });
    expect(result.status).toBe('failed');
    expect(result.flags).toContainEqual(expect.objectContaining({ code: 'frozen_frames', severity: 'block' }));
    expect(result.reasons).toContain('flag:frozen_frames');
  });

  it('flags no micro-motion for a picture that never moves', () => {
    const result = decideLiveness(photoFrames(5000, () => ({})), ['blink'], config, { final: true });
    expect(result.flags).toContainEqual(expect.objectContaining({ code: 'no_micro_motion' }));
  });

  it('does not count turns faked by tilting a photo, even if the pose estimator is fooled', () => {
    // Worst case: the estimated yaw/pitch follow the tilt exactly.
    const tilt = (t: number) => 35 * Math.max(0, Math.sin((t - 1500) / 600));
    const plan: ChallengeKind[] = ['turn_left', 'turn_right', 'look_up'];
    const result = decideLiveness(
      photoFrames(20_000, (t) => ({ tiltY: tilt(t), claimedYaw: ((t / 3000) % 2 < 1 ? -1 : 1) * tilt(t), tiltX: tilt(t) / 2, claimedPitch: -tilt(t) / 2 })),
      plan,
      config,
      { final: true },
    );
    expect(result.passed).toBe(false);
    expect(result.challenges.filter((c) => c.passed)).toEqual([]);
    expect(result.flags).toContainEqual(expect.objectContaining({ code: 'planar_motion', severity: 'block' }));
  });

  it('does not take a photo tilted back and forth for a blink', () => {
    // Tilting about the horizontal axis squashes the eyes (EAR) and the whole face alike.
    const result = decideLiveness(photoFrames(20_000, (t) => ({ tiltX: t > 1500 ? 60 * Math.abs(Math.sin(t / 400)) : 0 })), ['blink'], config, { final: true });
    expect(result.passed).toBe(false);
    expect(result.challenges).toEqual([expect.objectContaining({ kind: 'blink', passed: false })]);
  });

  it('pauses and flags two faces; no challenge progresses', () => {
    const random = createRng(5);
    const frames = toFrames(
      Array.from({ length: 100 }, (_, i) => ({
        t: i * 100,
        face: [liveFace(TEMPLATE_FACE, { ...NEUTRAL_POSE, x: 200, eyeClosure: i % 10 === 5 ? 1 : 0 }, noise, random), liveFace(TEMPLATE_FACE, { ...NEUTRAL_POSE, x: 450 }, noise, random)],
      })),
    );
    const result = decideLiveness(frames, ['blink'], config);
    expect(result.status).toBe('in_progress');
    expect(result.feedback).toBe('one_person_only');
    expect(result.flags).toEqual([expect.objectContaining({ code: 'multiple_faces', severity: 'review', frames: 100 })]);
    expect(decideLiveness(frames, ['blink'], config, { final: true }).reasons).toEqual(['no_neutral_pose']);
  });

  it('blocks a face that changes identity mid-sequence', () => {
    const plan: ChallengeKind[] = ['blink', 'open_mouth'];
    const frames = session(plan, 6).map((frame, i) => ({
      ...frame,
      faces: frame.faces.map((f) => (i % 5 === 0 ? { ...f, embeddingSimilarityToFirst: i < 20 ? 0.95 : 0.3 } : f)),
    }));
    const result = decideLiveness(frames, plan, config, { final: true });
    expect(result.status).toBe('failed');
    expect(result.reasons).toContain('flag:identity_changed');
    expect(result.signals.minIdentitySimilarity).toBeCloseTo(0.3);
  });

  it('does not flag identity for a single low descriptor', () => {
    const plan: ChallengeKind[] = ['blink'];
    const frames = session(plan, 7).map((frame, i) => ({ ...frame, faces: frame.faces.map((f) => (i === 12 ? { ...f, embeddingSimilarityToFirst: 0.2 } : f)) }));
    expect(decideLiveness(frames, plan, config, { final: true }).status).toBe('passed');
  });

  it('decides on angles alone without keypoints, and says the rigid check was unavailable', () => {
    const plan: ChallengeKind[] = ['turn_left'];
    const frames = session(plan, 8).map((frame) => ({ ...frame, faces: frame.faces.map(({ keypoints: _keypoints, ...rest }) => rest) }));
    const result = decideLiveness(frames, plan, config, { final: true });
    expect(result.status).toBe('passed');
    expect(result.flags).toContainEqual(expect.objectContaining({ code: 'rigid_check_unavailable', severity: 'review' }));
  });
});
