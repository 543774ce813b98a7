/**
 * Face verification: the face engine (human on tfjs-wasm in a worker thread), face match, and the
 * liveness decision (pure functions over per-frame observations).
 */
export type { AnalyzeOptions, DetectedFace, EyeAspectRatio, FaceAnalysis, FaceBox, FaceImage, HeadRotation } from './types.ts';
export { FaceEngine, type FaceEngineOptions, type FaceEngineStats } from './engine/engine.ts';
export { createLivenessVerifier, type LivenessVerifierOptions } from './verifier.ts';
export { FaceContinuity, updateContinuity, INITIAL_CONTINUITY, type ContinuityState } from './continuity.ts';
export { FaceEngineError, type FaceEngineErrorCode } from './engine/errors.ts';
export { cosineSimilarity, DEFAULT_MATCH_THRESHOLD, matchFaces, meanDescriptor, type FaceMatch } from './match.ts';
export { eyeAspectRatio, interOcularDistance, motionKeypoints, mouthOpening, MOTION_KEYPOINTS } from './landmarks.ts';
export {
  CHALLENGE_KINDS,
  decideLiveness,
  DEFAULT_LIVENESS_CONFIG,
  ObservationBuilder,
  parseLivenessConfig,
  planChallenges,
  seedFromString,
  ZLivenessConfig,
  type ChallengeKind,
  type ChallengeOutcome,
  type DecideOptions,
  type FaceObservation,
  type FeedbackCode,
  type FlagCode,
  type FrameObservation,
  type LivenessConfig,
  type LivenessFlag,
  type LivenessResult,
} from './liveness/index.ts';
