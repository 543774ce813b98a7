/**
 * Liveness thresholds, configurable per script. Every value has a default with its reason; a
 * script overrides any subset (`parseLivenessConfig`).
 */
import { z } from 'zod';
import { DEFAULT_MATCH_THRESHOLD } from '../match.ts';
import { CHALLENGE_KINDS, type ChallengeKind } from './types.ts';

const ZKind = z.enum(CHALLENGE_KINDS as [ChallengeKind, ...ChallengeKind[]]);
const ratio = z.number().min(0).max(1);

export const ZLivenessConfig = z
  .object({
    plan: z
      .object({
        /** How many challenges a session gets, drawn from `kinds` in a random order. */
        count: z.number().int().min(1).max(5).default(3),
        kinds: z.array(ZKind).min(1).default([...CHALLENGE_KINDS]),
      })
      .strict()
      .prefault({}),
    /** Neutral pose collected before the first challenge ("look at the camera"). */
    baseline: z
      .object({ durationMs: z.number().int().min(200).default(1000), minFrames: z.number().int().min(1).default(3) })
      .strict()
      .prefault({}),
    challenge: z
      .object({
        /** Active time (face in the oval) allowed per attempt. */
        timeLimitMs: z.number().int().min(500).default(8000),
        attempts: z.number().int().min(1).max(5).default(2),
      })
      .strict()
      .prefault({}),
    /** Wall-clock bound on the whole step, pauses included. */
    maxTotalMs: z.number().int().min(1000).default(90_000),
    /** Frame gaps longer than this do not count as active time (stalled stream). */
    maxFrameGapMs: z.number().int().min(50).default(500),
    blink: z
      .object({
        /** Closed: EAR below this fraction of the applicant's neutral EAR (open ~0.3, closed ~0.05-0.15). */
        closedRatio: ratio.default(0.6),
        /** Open again: EAR back above this fraction of neutral. */
        openRatio: ratio.default(0.85),
        /** From the last open frame before the dip to the first open frame after it. */
        maxDurationMs: z.number().int().min(100).default(1200),
        /** A blink only counts with the head roughly frontal (EAR is unreliable when turned). */
        maxYawDeg: z.number().min(0).default(20),
      })
      .strict()
      .prefault({}),
    turn: z
      .object({ yawDeg: z.number().min(1).default(20), returnDeg: z.number().min(0).default(10) })
      .strict()
      .prefault({}),
    lookUp: z
      .object({ pitchDeg: z.number().min(1).default(12), returnDeg: z.number().min(0).default(7) })
      .strict()
      .prefault({}),
    openMouth: z
      .object({
        /** Open: inner-lip gap at least this fraction of mouth width and `minDelta` above neutral. */
        minOpen: z.number().min(0).default(0.3),
        minDelta: z.number().min(0).default(0.2),
        /** Closed again: back within this of neutral. */
        closeDelta: z.number().min(0).default(0.1),
      })
      .strict()
      .prefault({}),
    face: z
      .object({
        /** Face box width below this fraction of the frame width: too far (pause). */
        minWidthFraction: ratio.default(0.15),
        /** Face box may stick out of the frame by at most this fraction of its own size. */
        maxOutsideFraction: ratio.default(0.05),
      })
      .strict()
      .prefault({}),
    frozen: z
      .object({
        /** Mean abs luma difference (0..255) at or below which two frames count as identical. */
        maxMeanDiff: z.number().min(0).default(0.25),
        /** A run of identical frames this long raises the flag. */
        minRunMs: z.number().int().min(0).default(1000),
        /** This share of identical frames (or more) blocks the step. */
        blockFraction: ratio.default(0.5),
      })
      .strict()
      .prefault({}),
    rigid: z
      .object({
        /**
         * Homography residual to the neutral landmarks (inter-ocular units) that a turn or look-up
         * must show at some frame beyond its angle threshold. Measured: real head rotations of
         * 15-30 degrees in a real video gave 0.10-0.16 (10th-50th percentile); a printed photo
         * moved, scaled, rolled 20 degrees or tilted 30 degrees gave 0.013-0.04 (0.06 only at a
         * 50-degree tilt, which does not move the estimated yaw). 0.06 sits between the two.
         */
        minNonRigid: z.number().min(0).default(0.06),
        /**
         * Median frame-to-frame head motion (shift of the keypoints' centroid, inter-ocular
         * units): below it the face never moved at all (a picture on a stand); a seated person
         * sways more. Landmark jitter averages out over the keypoints. Review flag only.
         */
        minMicroMotion: z.number().min(0).default(0.0015),
      })
      .strict()
      .prefault({}),
    identity: z
      .object({
        /** Below this similarity to the first faces, a frame shows someone else (face-match threshold). */
        minSimilarity: z.number().min(-1).max(1).default(DEFAULT_MATCH_THRESHOLD),
        /** Frames below it needed to flag (one bad descriptor is not enough). */
        minFrames: z.number().int().min(1).default(2),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type LivenessConfig = z.infer<typeof ZLivenessConfig>;

export const DEFAULT_LIVENESS_CONFIG: LivenessConfig = ZLivenessConfig.parse({});

/** Parses a script's overrides (any subset) into a full config; throws a ZodError on bad values. */
export function parseLivenessConfig(overrides: unknown = {}): LivenessConfig {
  return ZLivenessConfig.parse(overrides ?? {});
}
