/**
 * Measurements on the 468-point face mesh (478 with iris refinement) (MediaPipe topology, as @vladmandic/human returns it).
 * Pure functions over a flat `x y z` array; index sets are named so a reader can check them
 * against the MediaPipe canonical mesh map.
 */
import type { EyeAspectRatio } from './types.ts';

/** Points of the face mesh: 468, or 478 when iris refinement adds the two irises. */
export const MESH_POINTS = 468;
export const MESH_POINTS_WITH_IRIS = 478;

/**
 * Eye contours for the eye aspect ratio (Soukupova & Cech 2016): p1 outer corner, p2/p3 upper
 * lid, p4 inner corner, p5/p6 lower lid. "Right" is the applicant's right eye.
 */
export const RIGHT_EYE = [33, 160, 158, 133, 153, 144] as const;
export const LEFT_EYE = [263, 387, 385, 362, 380, 373] as const;

/** Inner lips (upper, lower) and mouth corners. */
export const MOUTH = { upperInner: 13, lowerInner: 14, rightCorner: 61, leftCorner: 291 } as const;

/** Outer eye corners, for the inter-ocular distance that normalises every length. */
export const EYE_OUTER = { right: 33, left: 263 } as const;

/**
 * Landmarks used for rigid-motion analysis: spread over the face and, on purpose, over depth
 * (nose tip and bridge stick out, the face outline lies far back), so a real head rotation moves
 * them non-rigidly in the image while a flat photo cannot. Mouth and eyelids are included: they
 * deform when a live person blinks or speaks.
 */
export const MOTION_KEYPOINTS = [
  10, 152, 234, 454, 172, 397, 58, 288, // outline: forehead, chin, cheek edges, jaw
  33, 133, 362, 263, 159, 145, 386, 374, // eye corners and lids
  70, 300, 105, 334, // eyebrows
  1, 4, 6, 2, 98, 327, // nose tip, bridge, base, alae
  61, 291, 0, 17, 13, 14, // mouth
  205, 425, // cheeks
] as const;

export type Point = readonly [number, number];

export function meshPoint(mesh: ArrayLike<number>, index: number): Point {
  return [mesh[index * 3] as number, mesh[index * 3 + 1] as number];
}

function distance(a: Point, b: Point): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1]);
}

function eyeRatio(mesh: ArrayLike<number>, eye: readonly number[]): number {
  const [p1, p2, p3, p4, p5, p6] = eye.map((i) => meshPoint(mesh, i)) as [Point, Point, Point, Point, Point, Point];
  const width = distance(p1, p4);
  if (width <= 0) return 0;
  return (distance(p2, p6) + distance(p3, p5)) / (2 * width);
}

export function eyeAspectRatio(mesh: ArrayLike<number>): EyeAspectRatio {
  const right = eyeRatio(mesh, RIGHT_EYE);
  const left = eyeRatio(mesh, LEFT_EYE);
  return { left, right, mean: (left + right) / 2 };
}

export function mouthOpening(mesh: ArrayLike<number>): number {
  const width = distance(meshPoint(mesh, MOUTH.rightCorner), meshPoint(mesh, MOUTH.leftCorner));
  if (width <= 0) return 0;
  return distance(meshPoint(mesh, MOUTH.upperInner), meshPoint(mesh, MOUTH.lowerInner)) / width;
}

export function interOcularDistance(mesh: ArrayLike<number>): number {
  return distance(meshPoint(mesh, EYE_OUTER.right), meshPoint(mesh, EYE_OUTER.left));
}

/** The motion keypoints as 2-D points (image pixels), in `MOTION_KEYPOINTS` order. */
export function motionKeypoints(mesh: ArrayLike<number>): Point[] {
  return MOTION_KEYPOINTS.map((i) => meshPoint(mesh, i));
}
