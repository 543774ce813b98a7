/**
 * Synthetic landmark streams for tests and the liveness evaluation (not used in production).
 * A face is a set of 3-D motion keypoints (inter-ocular units: origin between the eyes, x towards
 * image right = the applicant's left, y down, z away from the camera) that is rotated, moved,
 * deformed (eyelids, jaw) and projected through a pinhole camera, with landmark noise and head
 * sway. A "photo" is the same face flattened onto a plane that is then moved and tilted: its
 * landmarks follow a homography, which is what the rigid-motion check relies on.
 */
import { MOTION_KEYPOINTS, type Point } from '../landmarks.ts';
import type { LivenessConfig } from './config.ts';
import { decideLiveness } from './decide.ts';
import type { ChallengeKind, FaceObservation, FrameObservation } from './types.ts';

export type Point3 = readonly [number, number, number];

/** Approximate adult face, per MOTION_KEYPOINTS entry (anthropometric proportions, IOD units). */
const TEMPLATE: Record<number, Point3> = {
  10: [0, -0.75, 0.1], 152: [0, 1.35, 0.15], 234: [-0.85, 0.3, 0.75], 454: [0.85, 0.3, 0.75],
  172: [-0.6, 1.0, 0.5], 397: [0.6, 1.0, 0.5], 58: [-0.55, 0.75, 0.35], 288: [0.55, 0.75, 0.35],
  33: [-0.5, 0, 0.15], 133: [-0.17, 0, 0.08], 362: [0.17, 0, 0.08], 263: [0.5, 0, 0.15],
  159: [-0.33, -0.07, 0.05], 145: [-0.33, 0.06, 0.06], 386: [0.33, -0.07, 0.05], 374: [0.33, 0.06, 0.06],
  70: [-0.55, -0.25, 0.12], 300: [0.55, -0.25, 0.12], 105: [-0.32, -0.3, 0.02], 334: [0.32, -0.3, 0.02],
  1: [0, 0.5, -0.45], 4: [0, 0.42, -0.42], 6: [0, 0.05, -0.12], 2: [0, 0.6, -0.3], 98: [-0.15, 0.55, -0.12], 327: [0.15, 0.55, -0.12],
  61: [-0.32, 0.88, 0], 291: [0.32, 0.88, 0], 0: [0, 0.78, -0.12], 17: [0, 1.0, -0.1], 13: [0, 0.86, -0.08], 14: [0, 0.88, -0.08],
  205: [-0.45, 0.55, 0.1], 425: [0.45, 0.55, 0.1],
};

export const TEMPLATE_FACE: Point3[] = MOTION_KEYPOINTS.map((i) => TEMPLATE[i] as Point3);

const UPPER_LIDS = [159, 386].map((i) => (MOTION_KEYPOINTS as readonly number[]).indexOf(i));
const LOWER_LIDS = [145, 374].map((i) => (MOTION_KEYPOINTS as readonly number[]).indexOf(i));
const JAW = [14, 17, 152, 172, 397].map((i) => (MOTION_KEYPOINTS as readonly number[]).indexOf(i));

/**
 * Normalises 3-D mesh points (e.g. from the engine on a photo) into the template's frame and
 * units. The mesh model's depth is flatter than a real head (its nose-to-cheek-edge depth came out
 * 0.4-0.8 inter-ocular distances against ~1.2 anthropometrically), so by default depth is
 * rescaled to the template's nose-tip-to-cheek-edge depth; x and y stay the photo's own.
 */
export function faceFromMesh(mesh: ArrayLike<number>, options: { anthropometricDepth?: boolean } = {}): Point3[] {
  const points = meshToFrame(mesh);
  if (options.anthropometricDepth === false) return points;
  const depth = (pts: readonly Point3[]) => {
    const at = (i: number) => pts[(MOTION_KEYPOINTS as readonly number[]).indexOf(i)] as Point3;
    return (at(234)[2] + at(454)[2]) / 2 - at(1)[2];
  };
  const measured = depth(points);
  const scale = measured > 0.05 ? depth(TEMPLATE_FACE) / measured : 1;
  return points.map(([x, y, z]) => [x, y, z * scale] as const);
}

function meshToFrame(mesh: ArrayLike<number>): Point3[] {
  const p = (i: number): Point3 => [mesh[i * 3] as number, mesh[i * 3 + 1] as number, mesh[i * 3 + 2] as number];
  const r = p(33);
  const l = p(263);
  const cx = (r[0] + l[0]) / 2;
  const cy = (r[1] + l[1]) / 2;
  const cz = (r[2] + l[2]) / 2;
  const iod = Math.hypot(l[0] - r[0], l[1] - r[1]);
  const roll = Math.atan2(l[1] - r[1], l[0] - r[0]);
  const c = Math.cos(-roll);
  const s = Math.sin(-roll);
  return MOTION_KEYPOINTS.map((i) => {
    const [x, y, z] = p(i);
    const dx = (x - cx) / iod;
    const dy = (y - cy) / iod;
    return [c * dx - s * dy, s * dx + c * dy, (z - cz) / iod] as const;
  });
}

export interface Pose {
  /** Degrees, sign convention of HeadRotation. */
  yaw: number;
  pitch: number;
  roll: number;
  /** Image position of the point between the eyes (pixels) and the inter-ocular distance in pixels. */
  x: number;
  y: number;
  iodPx: number;
  /** 0 open .. 1 closed. */
  eyeClosure: number;
  /** 0 closed .. 1 wide open. */
  mouth: number;
}

export const NEUTRAL_POSE: Pose = { yaw: 0, pitch: 0, roll: 0, x: 320, y: 220, iodPx: 90, eyeClosure: 0, mouth: 0 };

function rotate([x, y, z]: Point3, pose: Pose): Point3 {
  const a = (-pose.yaw * Math.PI) / 180;
  const b = (-pose.pitch * Math.PI) / 180;
  const g = (pose.roll * Math.PI) / 180;
  // yaw about y: the nose (z < 0) moves to image right when the applicant turns to their left.
  const x1 = x * Math.cos(a) - z * Math.sin(a);
  const z1 = x * Math.sin(a) + z * Math.cos(a);
  // pitch about x: the nose moves up when they look up.
  const y2 = y * Math.cos(b) + z1 * Math.sin(b);
  const z2 = -y * Math.sin(b) + z1 * Math.cos(b);
  // roll in the image plane.
  return [x1 * Math.cos(g) - y2 * Math.sin(g), x1 * Math.sin(g) + y2 * Math.cos(g), z2];
}

/** Camera distance in inter-ocular units (~6.3 cm each: ~50 cm away). */
const CAMERA_DISTANCE = 8;

export interface Noise {
  /** Landmark noise, standard deviation in pixels. */
  landmarkPx: number;
  /** Angle noise, degrees. */
  angleDeg: number;
}

/** Gaussian from a uniform RNG (Box-Muller). */
export function gaussian(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** A live face: 3-D keypoints deformed by eyelids and jaw, rotated, projected with perspective. */
export function liveFace(face: readonly Point3[], pose: Pose, noise: Noise, random: () => number, neutralEar = 0.3, neutralMouth = 0.02): FaceObservation {
  const points = face.map((p) => [...p] as [number, number, number]);
  for (let k = 0; k < UPPER_LIDS.length; k++) {
    const up = points[UPPER_LIDS[k] as number] as [number, number, number];
    const low = points[LOWER_LIDS[k] as number] as [number, number, number];
    up[1] += pose.eyeClosure * 0.9 * (low[1] - up[1]);
  }
  for (const j of JAW) (points[j] as [number, number, number])[1] += pose.mouth * 0.35;
  const keypoints: Point[] = points.map((p) => {
    const [x, y, z] = rotate(p, pose);
    const k = CAMERA_DISTANCE / (CAMERA_DISTANCE + z);
    return [pose.x + x * k * pose.iodPx + gaussian(random) * noise.landmarkPx, pose.y + y * k * pose.iodPx + gaussian(random) * noise.landmarkPx] as const;
  });
  return observationFrom(keypoints, pose, noise, random, {
    ear: neutralEar * (1 - 0.85 * pose.eyeClosure) * Math.cos((pose.yaw * Math.PI) / 180) + gaussian(random) * 0.01,
    mouthOpen: neutralMouth + 0.45 * pose.mouth + gaussian(random) * 0.01,
  });
}

/**
 * A printed photo of a frontal face held in front of the camera: flat, then shifted, rotated in
 * its plane (`pose.roll`) and tilted (`tiltX`/`tiltY`, degrees). `claimedYaw`/`claimedPitch` are
 * what a fooled pose estimator might report (worst case: the tilt itself).
 */
export function photoFace(
  face: readonly Point3[],
  pose: Pose & { tiltX: number; tiltY: number },
  noise: Noise,
  random: () => number,
  claimed: { yaw: number; pitch: number } = { yaw: pose.yaw, pitch: pose.pitch },
): FaceObservation {
  const flat = face.map(([x, y]) => [x, y, 0] as Point3);
  const tilt: Pose = { ...pose, yaw: pose.tiltY, pitch: pose.tiltX, eyeClosure: 0, mouth: 0 };
  const keypoints: Point[] = flat.map((p) => {
    const [x, y, z] = rotate(p, tilt);
    const k = CAMERA_DISTANCE / (CAMERA_DISTANCE + z);
    return [pose.x + x * k * pose.iodPx + gaussian(random) * noise.landmarkPx, pose.y + y * k * pose.iodPx + gaussian(random) * noise.landmarkPx] as const;
  });
  const squash = Math.cos((pose.tiltX * Math.PI) / 180) / Math.cos((pose.tiltY * Math.PI) / 180);
  return observationFrom(keypoints, { ...pose, yaw: claimed.yaw, pitch: claimed.pitch }, noise, random, {
    ear: 0.3 * squash + gaussian(random) * 0.01,
    mouthOpen: 0.02 * squash + gaussian(random) * 0.005,
  });
}

function observationFrom(keypoints: Point[], pose: Pose, noise: Noise, random: () => number, measures: { ear: number; mouthOpen: number }): FaceObservation {
  // The detector's box is larger than the keypoints' extent (forehead, ears): widen it by 30%.
  const xs = keypoints.map((p) => p[0]);
  const ys = keypoints.map((p) => p[1]);
  const width = (Math.max(...xs) - Math.min(...xs)) * 1.3;
  const height = (Math.max(...ys) - Math.min(...ys)) * 1.3;
  const x = (Math.max(...xs) + Math.min(...xs) - width) / 2;
  const y = (Math.max(...ys) + Math.min(...ys) - height) / 2;
  return {
    box: { x, y, width, height },
    yaw: pose.yaw + gaussian(random) * noise.angleDeg,
    pitch: pose.pitch + gaussian(random) * noise.angleDeg,
    ear: Math.max(0, measures.ear),
    mouthOpen: Math.max(0, measures.mouthOpen),
    keypoints,
  };
}

/** One keyframe of a scripted performance; poses are linearly interpolated between keyframes. */
export interface Keyframe extends Partial<Pose> {
  t: number;
}

export function poseAt(keyframes: readonly Keyframe[], t: number): Pose {
  let before: Pose = { ...NEUTRAL_POSE, ...keyframes[0] };
  let beforeT = keyframes[0]?.t ?? 0;
  let current: Pose = { ...before };
  for (const k of keyframes) {
    current = { ...current, ...k };
    if (k.t <= t) {
      before = current;
      beforeT = k.t;
      continue;
    }
    const f = (t - beforeT) / (k.t - beforeT);
    const out = { ...before };
    for (const key of Object.keys(NEUTRAL_POSE) as (keyof Pose)[]) out[key] = before[key] + (current[key] - before[key]) * f;
    return out;
  }
  return before;
}

/** Keyframes acting one challenge, starting at `t0`. */
export function actChallenge(kind: ChallengeKind, t0: number): Keyframe[] {
  const peak: Partial<Pose> =
    kind === 'blink' ? { eyeClosure: 1 } : kind === 'turn_left' ? { yaw: -30 } : kind === 'turn_right' ? { yaw: 30 } : kind === 'look_up' ? { pitch: -20 } : { mouth: 1 };
  const rise = kind === 'blink' ? 100 : 400;
  const hold = kind === 'blink' ? 80 : 300;
  return [{ t: t0, ...zero() }, { t: t0 + rise, ...peak }, { t: t0 + rise + hold, ...peak }, { t: t0 + 2 * rise + hold, ...zero() }];
}

export interface PerformOptions {
  fps?: number;
  /** Delay between a challenge being asked and the applicant starting to act it. */
  reactionMs?: number;
  noise?: Noise;
  random: () => number;
  maxMs?: number;
  iodPx?: number;
  /** Challenges the applicant does not perform (negative paths). */
  ignore?: readonly ChallengeKind[];
  frameDiff?: number;
}

/**
 * A live applicant in a closed loop with the decision: after each frame it asks
 * `decideLiveness` what is being asked and acts it after a reaction delay, like a person
 * following on-screen instructions. Returns the observations until the decision settles.
 */
export function performSession(face: readonly Point3[], plan: readonly ChallengeKind[], config: LivenessConfig, options: PerformOptions): FrameObservation[] {
  const step = 1000 / (options.fps ?? 10);
  const noise = options.noise ?? { landmarkPx: 0.4, angleDeg: 1 };
  const script: Keyframe[] = [{ t: 0 }];
  const frames: FrameObservation[] = [];
  let acted = -1;
  for (let t = 0; t <= (options.maxMs ?? 30_000); t += step) {
    const state = decideLiveness(frames, plan, config);
    if (state.status !== 'in_progress') break;
    const index = state.challenges.length;
    if (state.current && index !== acted) {
      acted = index;
      if (!options.ignore?.includes(state.current.kind)) script.push(...actChallenge(state.current.kind, t + (options.reactionMs ?? 500)));
    }
    const pose = sway({ ...poseAt(script, t), iodPx: options.iodPx ?? NEUTRAL_POSE.iodPx }, t);
    frames.push({
      t,
      faces: [liveFace(face, pose, noise, options.random)],
      frameDiff: frames.length === 0 ? null : (options.frameDiff ?? 2),
      frameSize: { width: 640, height: 480 },
    });
  }
  return frames;
}

function zero(): Partial<Pose> {
  return { yaw: 0, pitch: 0, eyeClosure: 0, mouth: 0 };
}

/** Adds small head sway (breathing, balance) to a pose: a live person is never perfectly still. */
export function sway(pose: Pose, t: number, amount = 1): Pose {
  return {
    ...pose,
    yaw: pose.yaw + amount * 1.5 * Math.sin(t / 700),
    pitch: pose.pitch + amount * 1.0 * Math.sin(t / 900 + 1),
    roll: pose.roll + amount * 0.8 * Math.sin(t / 1100 + 2),
    x: pose.x + amount * 3 * Math.sin(t / 800 + 3),
    y: pose.y + amount * 2 * Math.sin(t / 1000),
  };
}

/** Wraps single faces into frame observations (640x480, camera noise in frameDiff). */
export function toFrames(faces: { t: number; face: FaceObservation | FaceObservation[] }[], frameDiff = 2): FrameObservation[] {
  return faces.map(({ t, face }, i) => ({
    t,
    faces: Array.isArray(face) ? face : [face],
    frameDiff: i === 0 ? null : frameDiff,
    frameSize: { width: 640, height: 480 },
  }));
}
