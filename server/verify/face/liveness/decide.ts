/**
 * The liveness decision: a pure function of the observations so far, the challenge plan and the
 * thresholds. Call it after every analysed frame for live progress and feedback; with
 * `final: true` (stream ended or step timed out) an unfinished run fails.
 *
 * Passing needs every planned challenge done (in order, each within its time limit and attempts)
 * and no blocking flag. Frames without exactly one well-placed face pause the challenge clock and
 * are flagged for the reviewer. A still photo cannot blink, open its mouth or turn with 3-D
 * parallax, and a frozen stream is blocked outright, so neither can pass.
 */
import { interOcularFromKeypoints, faceAspect } from './keypoints.ts';
import type { LivenessConfig } from './config.ts';
import { createDetector, type ChallengeDetector, type Neutral } from './detectors.ts';
import { fitHomography, fitSimilarity, median, medianLandmarks } from './geometry.ts';
import { gateFrame, GATE_FEEDBACK, type FrameGate } from './gating.ts';
import type { ChallengeKind, ChallengeOutcome, FaceObservation, FeedbackCode, FlagCode, FrameObservation, LivenessFlag, LivenessResult } from './types.ts';

export interface DecideOptions {
  /** No more frames will come: an unfinished run fails with `stream_ended`. */
  final?: boolean;
}

interface FlagTally {
  firstAtMs: number;
  frames: number;
}

function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

function centroidOf(points: NonNullable<FaceObservation['keypoints']>): [number, number] {
  let x = 0;
  let y = 0;
  for (const p of points) {
    x += p[0];
    y += p[1];
  }
  return [x / points.length, y / points.length];
}

function computeNeutral(faces: FaceObservation[]): Neutral {
  const withKeypoints = faces.filter((f) => f.keypoints && f.keypoints.length > 0).map((f) => f.keypoints as NonNullable<FaceObservation['keypoints']>);
  const keypoints = withKeypoints.length === faces.length ? medianLandmarks(withKeypoints) : null;
  return {
    ear: median(faces.map((f) => f.ear)),
    yaw: median(faces.map((f) => f.yaw)),
    pitch: median(faces.map((f) => f.pitch)),
    mouthOpen: median(faces.map((f) => f.mouthOpen)),
    keypoints,
    interOcular: keypoints ? interOcularFromKeypoints(keypoints) : null,
    faceAspect: keypoints ? faceAspect(keypoints) : null,
  };
}

export function decideLiveness(
  observations: readonly FrameObservation[],
  plan: readonly ChallengeKind[],
  config: LivenessConfig,
  options: DecideOptions = {},
): LivenessResult {
  const tallies = new Map<FlagCode, FlagTally>();
  const tally = (code: FlagCode, t: number) => {
    const entry = tallies.get(code);
    if (entry) entry.frames++;
    else tallies.set(code, { firstAtMs: t, frames: 1 });
  };
  const outcomes: ChallengeOutcome[] = [];
  const nonRigidValues: number[] = [];
  const rigidMotionValues: number[] = [];
  const microMotion: number[] = [];
  const antispoof: number[] = [];
  const liveness: number[] = [];
  const identity: number[] = [];
  const baseline: FaceObservation[] = [];
  let baselineMs = 0;
  let neutral: Neutral | null = null;
  let detector: ChallengeDetector | null = null;
  let attempt = 0;
  let attemptMs = 0;
  let prevT: number | null = null;
  let prevKeypoints: FaceObservation['keypoints'] | null = null;
  let activeFrames = 0;
  let feedback: FeedbackCode | null = null;
  let failedReason: string | null = null;
  let frozenRun = 0;
  let frozenRunStart: number | null = null;
  let frozenFrames = 0;
  let diffFrames = 0;
  const startT = observations[0]?.t ?? 0;

  for (const frame of observations) {
    const dt = prevT === null ? 0 : Math.max(0, Math.min(frame.t - prevT, config.maxFrameGapMs));
    const lastT = prevT;
    prevT = frame.t;

    // Frozen stream: runs of (near-)identical frames, whatever the face detector says.
    if (frame.frameDiff !== null) {
      diffFrames++;
      if (frame.frameDiff <= config.frozen.maxMeanDiff) {
        frozenFrames++;
        frozenRunStart ??= lastT ?? frame.t;
        frozenRun = frame.t - frozenRunStart;
        if (frozenRun >= config.frozen.minRunMs) tally('frozen_frames', frozenRunStart);
      } else {
        frozenRunStart = null;
        frozenRun = 0;
      }
    }

    if (!failedReason && frame.t - startT > config.maxTotalMs) failedReason = 'total_time_exceeded';

    // Gating and signals keep running after a failure: the reviewer sees the whole sequence.
    const gate: FrameGate = gateFrame(frame, config.face);
    if (gate !== 'ok') {
      tally(gate, frame.t);
      feedback = GATE_FEEDBACK[gate];
      prevKeypoints = null;
      continue;
    }
    activeFrames++;
    const face = frame.faces[0] as FaceObservation;
    if (typeof face.antispoof === 'number') antispoof.push(face.antispoof);
    if (typeof face.liveness === 'number') liveness.push(face.liveness);
    if (typeof face.embeddingSimilarityToFirst === 'number') {
      identity.push(face.embeddingSimilarityToFirst);
      if (face.embeddingSimilarityToFirst < config.identity.minSimilarity) tally('identity_changed', frame.t);
    }

    if (!neutral) {
      baseline.push(face);
      baselineMs += dt;
      feedback = 'hold_still';
      if (baselineMs >= config.baseline.durationMs && baseline.length >= config.baseline.minFrames) neutral = computeNeutral(baseline);
      prevKeypoints = face.keypoints ?? null;
      continue;
    }

    let nonRigid: number | null = null;
    let aspectChange: number | null = null;
    if (neutral.keypoints && neutral.interOcular && neutral.faceAspect && face.keypoints && face.keypoints.length === neutral.keypoints.length) {
      nonRigid = fitHomography(neutral.keypoints, face.keypoints, neutral.interOcular).residual;
      const rigid = fitSimilarity(neutral.keypoints, face.keypoints, neutral.interOcular);
      nonRigidValues.push(nonRigid);
      const [nx, ny] = centroidOf(neutral.keypoints);
      const [fx, fy] = centroidOf(face.keypoints);
      rigidMotionValues.push(Math.hypot(fx - nx, fy - ny) / neutral.interOcular + Math.abs(rigid.scale - 1) + Math.abs(rigid.rotation));
      aspectChange = faceAspect(face.keypoints) / neutral.faceAspect;
      if (prevKeypoints && prevKeypoints.length === face.keypoints.length) {
        // Whole-head motion since the previous frame: the shift of the keypoints' centroid, where
        // landmark jitter averages out (1/sqrt(n)) while any real sway moves every point.
        const [ax, ay] = centroidOf(prevKeypoints);
        const [bx, by] = centroidOf(face.keypoints);
        microMotion.push(Math.hypot(bx - ax, by - ay) / neutral.interOcular);
      }
    } else {
      tally('rigid_check_unavailable', frame.t);
    }
    prevKeypoints = face.keypoints ?? null;

    if (failedReason) continue;
    if (!detector) {
      const kind = plan[outcomes.length];
      if (!kind) continue;
      detector = createDetector(kind, neutral, config);
      attempt = 1;
      attemptMs = 0;
    }
    attemptMs += dt;
    const step = detector.step({ t: frame.t, face, nonRigid, aspectChange });
    if (step.done) {
      outcomes.push({ kind: detector.kind, passed: true, atMs: step.atMs, attempts: attempt });
      detector = null;
      feedback = null;
      continue;
    }
    feedback = step.feedback;
    if (step.planarPeak) tally('planar_motion', frame.t);
    if (attemptMs > config.challenge.timeLimitMs) {
      if (attempt >= config.challenge.attempts) {
        outcomes.push({ kind: detector.kind, passed: false, atMs: frame.t, attempts: attempt });
        failedReason = `challenge_failed:${detector.kind}`;
        detector = null;
      } else {
        attempt++;
        attemptMs = 0;
        detector = createDetector(detector.kind, neutral, config);
      }
    }
  }

  // Flags for the reviewer, and the blocking ones.
  const frozenShare = diffFrames > 0 ? frozenFrames / diffFrames : 0;
  const microMedian = percentile(microMotion, 50);
  if (microMedian !== null && microMotion.length >= 5 && microMedian < config.rigid.minMicroMotion) {
    tallies.set('no_micro_motion', { firstAtMs: startT, frames: microMotion.length });
  }
  const blocking = new Set<FlagCode>(['identity_changed', 'planar_motion']);
  const flags: LivenessFlag[] = [];
  for (const [code, entry] of tallies) {
    if (code === 'identity_changed' && entry.frames < config.identity.minFrames) continue;
    const block = blocking.has(code) || (code === 'frozen_frames' && frozenShare >= config.frozen.blockFraction);
    flags.push({ code, severity: block ? 'block' : 'review', firstAtMs: entry.firstAtMs, frames: entry.frames });
  }
  flags.sort((a, b) => a.firstAtMs - b.firstAtMs);

  const reasons: string[] = [];
  if (failedReason) reasons.push(failedReason);
  for (const flag of flags) if (flag.severity === 'block') reasons.push(`flag:${flag.code}`);
  const allDone = outcomes.length === plan.length && outcomes.every((o) => o.passed);
  let status: LivenessResult['status'];
  if (reasons.length > 0) status = 'failed';
  else if (allDone) status = 'passed';
  else if (options.final) {
    status = 'failed';
    reasons.push(neutral ? 'stream_ended' : 'no_neutral_pose');
  } else status = 'in_progress';

  const currentKind = status === 'in_progress' && neutral ? (detector?.kind ?? plan[outcomes.length] ?? null) : null;
  return {
    status,
    passed: status === 'passed',
    challenges: outcomes,
    flags,
    reasons,
    current: currentKind ? { kind: currentKind, attempt: Math.max(1, attempt), remainingMs: Math.max(0, config.challenge.timeLimitMs - (detector ? attemptMs : 0)) } : null,
    feedback: status === 'in_progress' ? feedback : null,
    signals: {
      frames: observations.length,
      activeFrames,
      nonRigidP95: percentile(nonRigidValues, 95),
      rigidMotionMax: rigidMotionValues.length ? Math.max(...rigidMotionValues) : null,
      antispoofMedian: antispoof.length ? median(antispoof) : null,
      livenessMedian: liveness.length ? median(liveness) : null,
      minIdentitySimilarity: identity.length ? Math.min(...identity) : null,
      microMotionMedian: microMedian,
    },
  };
}
