/** Liveness: pure decision over per-frame observations, the challenge plan, thresholds. */
export { CHALLENGE_KINDS } from './types.ts';
export type {
  ChallengeKind,
  ChallengeOutcome,
  FaceObservation,
  FeedbackCode,
  FlagCode,
  FrameObservation,
  LivenessFlag,
  LivenessResult,
} from './types.ts';
export { DEFAULT_LIVENESS_CONFIG, parseLivenessConfig, ZLivenessConfig, type LivenessConfig } from './config.ts';
export { createRng, planChallenges, seedFromString } from './plan.ts';
export { decideLiveness, type DecideOptions } from './decide.ts';
export { fitHomography, fitSimilarity } from './geometry.ts';
export { meanAbsDiff, ObservationBuilder, thumbnailGray } from './observe.ts';
