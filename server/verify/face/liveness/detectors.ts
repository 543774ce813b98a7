/**
 * Challenge detectors: small state machines fed one active frame at a time, judged against the
 * applicant's own neutral pose (collected before the first challenge), never against absolute
 * population values alone.
 */
import type { Point } from '../landmarks.ts';
import type { LivenessConfig } from './config.ts';
import type { ChallengeKind, FaceObservation, FeedbackCode } from './types.ts';

export interface Neutral {
  ear: number;
  yaw: number;
  pitch: number;
  mouthOpen: number;
  /** Median keypoints of the baseline frames, or null when observations carry none. */
  keypoints: Point[] | null;
  /** Inter-ocular distance of the neutral keypoints (pixels), or null. */
  interOcular: number | null;
  /** Face height / width from the outline keypoints, or null. */
  faceAspect: number | null;
}

export interface ActiveFrame {
  t: number;
  face: FaceObservation;
  /** Homography residual to the neutral keypoints (inter-ocular units), null without keypoints. */
  nonRigid: number | null;
  /** Face aspect (height / width of the outline) divided by the neutral one, null without keypoints. */
  aspectChange: number | null;
}

export type DetectorStep =
  | { done: true; atMs: number }
  | { done: false; feedback: FeedbackCode; planarPeak?: boolean };

export interface ChallengeDetector {
  readonly kind: ChallengeKind;
  step(frame: ActiveFrame): DetectorStep;
}

/**
 * Blink: eyes open, then EAR below `closedRatio` x neutral, then open again, all within
 * `maxDurationMs`, with the head frontal. A dip that comes with the whole face squashed
 * vertically by the same amount (a photo tilted back and forth) is not a blink.
 */
function blinkDetector(neutral: Neutral, config: LivenessConfig['blink']): ChallengeDetector {
  let state: 'wait_open' | 'open' | 'closed' = 'wait_open';
  let lastOpenAt = 0;
  const openEar = neutral.ear * config.openRatio;
  const closedEar = neutral.ear * config.closedRatio;
  return {
    kind: 'blink',
    step({ t, face, aspectChange }) {
      const frontal = Math.abs(face.yaw - neutral.yaw) <= config.maxYawDeg && Math.abs(face.pitch - neutral.pitch) <= config.maxYawDeg;
      if (!frontal) {
        state = 'wait_open';
        return { done: false, feedback: 'back_to_center' };
      }
      if (face.ear >= openEar) {
        if (state === 'closed' && t - lastOpenAt <= config.maxDurationMs) return { done: true, atMs: t };
        state = 'open';
        lastOpenAt = t;
      } else if (face.ear <= closedEar && state === 'open') {
        const squashed = aspectChange !== null && aspectChange < 1 - (1 - config.closedRatio) / 2;
        if (!squashed) state = 'closed';
      }
      if (state === 'closed' && t - lastOpenAt > config.maxDurationMs) state = 'wait_open';
      return { done: false, feedback: 'blink' };
    },
  };
}

interface AxisConfig {
  kind: ChallengeKind;
  /** Which rotation, and the sign of the requested direction. */
  angle: (face: FaceObservation) => number;
  neutral: number;
  direction: 1 | -1;
  thresholdDeg: number;
  returnDeg: number;
  feedback: { start: FeedbackCode; more: FeedbackCode };
}

/**
 * Turn or look up: rotation beyond a threshold from neutral in the asked direction, then back
 * within `returnDeg`. The excursion only counts when, at some frame beyond the threshold, the
 * landmarks deformed like a 3-D head (homography residual >= minNonRigid). An excursion that
 * comes back without that is reported once as planar (a flat picture made to look turned).
 */
function rotationDetector(axis: AxisConfig, minNonRigid: number): ChallengeDetector {
  let reached = false;
  let beyondWithoutDepth = false;
  return {
    kind: axis.kind,
    step({ t, face, nonRigid }) {
      const delta = (axis.angle(face) - axis.neutral) * axis.direction;
      if (reached) {
        if (Math.abs(delta) <= axis.returnDeg) return { done: true, atMs: t };
        return { done: false, feedback: 'back_to_center' };
      }
      if (delta >= axis.thresholdDeg) {
        if (nonRigid === null || nonRigid >= minNonRigid) {
          reached = true;
          return { done: false, feedback: 'back_to_center' };
        }
        beyondWithoutDepth = true;
        return { done: false, feedback: 'back_to_center' };
      }
      if (beyondWithoutDepth && Math.abs(delta) <= axis.returnDeg) {
        beyondWithoutDepth = false;
        return { done: false, feedback: axis.feedback.start, planarPeak: true };
      }
      return { done: false, feedback: delta >= axis.thresholdDeg / 2 ? axis.feedback.more : axis.feedback.start };
    },
  };
}

/** Open mouth: inner-lip gap well above neutral, then closed again. */
function mouthDetector(neutral: Neutral, config: LivenessConfig['openMouth']): ChallengeDetector {
  let opened = false;
  const openAt = Math.max(config.minOpen, neutral.mouthOpen + config.minDelta);
  return {
    kind: 'open_mouth',
    step({ t, face }) {
      if (opened) {
        if (face.mouthOpen <= neutral.mouthOpen + config.closeDelta) return { done: true, atMs: t };
        return { done: false, feedback: 'back_to_center' };
      }
      if (face.mouthOpen >= openAt) {
        opened = true;
        return { done: false, feedback: 'back_to_center' };
      }
      return { done: false, feedback: face.mouthOpen >= (openAt + neutral.mouthOpen) / 2 ? 'open_mouth_wider' : 'open_mouth' };
    },
  };
}

export function createDetector(kind: ChallengeKind, neutral: Neutral, config: LivenessConfig): ChallengeDetector {
  const minNonRigid = config.rigid.minNonRigid;
  switch (kind) {
    case 'blink':
      return blinkDetector(neutral, config.blink);
    case 'open_mouth':
      return mouthDetector(neutral, config.openMouth);
    case 'turn_left':
    case 'turn_right':
      return rotationDetector(
        {
          kind,
          angle: (f) => f.yaw,
          neutral: neutral.yaw,
          // yaw < 0 is the applicant's own left (see HeadRotation).
          direction: kind === 'turn_left' ? -1 : 1,
          thresholdDeg: config.turn.yawDeg,
          returnDeg: config.turn.returnDeg,
          feedback: kind === 'turn_left' ? { start: 'turn_left', more: 'turn_left_more' } : { start: 'turn_right', more: 'turn_right_more' },
        },
        minNonRigid,
      );
    case 'look_up':
      return rotationDetector(
        {
          kind,
          angle: (f) => f.pitch,
          neutral: neutral.pitch,
          direction: -1,
          thresholdDeg: config.lookUp.pitchDeg,
          returnDeg: config.lookUp.returnDeg,
          feedback: { start: 'look_up', more: 'look_up_more' },
        },
        minNonRigid,
      );
  }
}
