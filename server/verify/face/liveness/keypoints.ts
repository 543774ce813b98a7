/** Named positions inside the `MOTION_KEYPOINTS` order (landmarks.ts), for the liveness checks. */
import { MOTION_KEYPOINTS, type Point } from '../landmarks.ts';

const at = (meshIndex: number): number => {
  const i = (MOTION_KEYPOINTS as readonly number[]).indexOf(meshIndex);
  if (i < 0) throw new Error(`mesh point ${meshIndex} is not a motion keypoint`);
  return i;
};

const FOREHEAD = at(10);
const CHIN = at(152);
const RIGHT_CHEEK_EDGE = at(234);
const LEFT_CHEEK_EDGE = at(454);
const RIGHT_EYE_OUTER = at(33);
const LEFT_EYE_OUTER = at(263);

function dist(points: readonly Point[], a: number, b: number): number {
  const p = points[a] as Point;
  const q = points[b] as Point;
  return Math.hypot(p[0] - q[0], p[1] - q[1]);
}

export function interOcularFromKeypoints(points: readonly Point[]): number {
  return dist(points, RIGHT_EYE_OUTER, LEFT_EYE_OUTER);
}

/** Outline height / width: a picture tilted about its horizontal axis squashes it; a blink does not. */
export function faceAspect(points: readonly Point[]): number {
  const width = dist(points, RIGHT_CHEEK_EDGE, LEFT_CHEEK_EDGE);
  return width > 0 ? dist(points, FOREHEAD, CHIN) / width : 0;
}
