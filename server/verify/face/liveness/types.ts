/** Inputs and outputs of the liveness decision: plain data, one observation per analysed frame. */
import type { Point } from '../landmarks.ts';
import type { FaceBox } from '../types.ts';

export type ChallengeKind = 'blink' | 'turn_left' | 'turn_right' | 'look_up' | 'open_mouth';

export const CHALLENGE_KINDS: readonly ChallengeKind[] = ['blink', 'turn_left', 'turn_right', 'look_up', 'open_mouth'];

export interface FaceObservation {
  box: FaceBox;
  /** Degrees; < 0 when the applicant turns to their own left (unmirrored frame). */
  yaw: number;
  /** Degrees; < 0 when the applicant looks up. */
  pitch: number;
  /** Mean eye aspect ratio of both eyes. */
  ear: number;
  /** Inner-lip gap / mouth width. */
  mouthOpen: number;
  /** Motion keypoints (`MOTION_KEYPOINTS` order), image pixels; needed for the rigid-motion checks. */
  keypoints?: readonly Point[];
  /** Cosine similarity of this face's descriptor to the session's first faces (frames with a descriptor only). */
  embeddingSimilarityToFirst?: number;
  antispoof?: number;
  liveness?: number;
}

export interface FrameObservation {
  /** Milliseconds (any origin, increasing). */
  t: number;
  faces: FaceObservation[];
  /** Mean absolute luma difference to the previous frame (0..255); null for the first frame. */
  frameDiff: number | null;
  frameSize: { width: number; height: number };
}

export interface ChallengeOutcome {
  kind: ChallengeKind;
  passed: boolean;
  /** Time (observation clock) at which it was completed, or failed for good. */
  atMs: number | null;
  attempts: number;
}

export type FlagCode =
  | 'multiple_faces'
  | 'no_face'
  | 'face_too_small'
  | 'face_out_of_frame'
  | 'frozen_frames'
  | 'no_micro_motion'
  | 'planar_motion'
  | 'identity_changed'
  | 'rigid_check_unavailable';

export interface LivenessFlag {
  code: FlagCode;
  /** `block`: the liveness step cannot pass. `review`: recorded for the reviewer. */
  severity: 'block' | 'review';
  firstAtMs: number;
  frames: number;
}

/** What the applicant should do now (the client maps codes to localized text). */
export type FeedbackCode =
  | 'move_into_oval'
  | 'move_closer'
  | 'one_person_only'
  | 'hold_still'
  | 'blink'
  | 'turn_left'
  | 'turn_left_more'
  | 'turn_right'
  | 'turn_right_more'
  | 'look_up'
  | 'look_up_more'
  | 'open_mouth'
  | 'open_mouth_wider'
  | 'back_to_center';

export interface LivenessResult {
  status: 'passed' | 'failed' | 'in_progress';
  passed: boolean;
  challenges: ChallengeOutcome[];
  flags: LivenessFlag[];
  /** Why it failed (stable codes), empty unless failed. */
  reasons: string[];
  /** The challenge being performed, while in progress. */
  current: { kind: ChallengeKind; attempt: number; remainingMs: number } | null;
  feedback: FeedbackCode | null;
  /** Recorded for the reviewer; not decisive on their own. */
  signals: {
    frames: number;
    activeFrames: number;
    /** 95th percentile of the homography residual to the neutral landmarks (inter-ocular units). */
    nonRigidP95: number | null;
    /** Largest similarity-motion of the face relative to neutral (inter-ocular units). */
    rigidMotionMax: number | null;
    antispoofMedian: number | null;
    livenessMedian: number | null;
    minIdentitySimilarity: number | null;
    /** Median frame-to-frame head motion (inter-ocular units). */
    microMotionMedian: number | null;
  };
}
