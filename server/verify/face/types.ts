/**
 * Data shapes of face analysis: what the engine returns for one image. Plain data only (typed
 * arrays included), so results cross the worker boundary and feed pure decision functions.
 */

/** Axis-aligned box in pixels of the analysed image. */
export interface FaceBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Head rotation in degrees, as estimated by the face mesh, on an unmirrored camera image:
 * yaw < 0 when the applicant turns to their own left, pitch < 0 when they look up,
 * roll > 0 when the head tilts clockwise in the image.
 */
export interface HeadRotation {
  yaw: number;
  pitch: number;
  roll: number;
}

export interface EyeAspectRatio {
  /** The applicant's left eye (image right on an unmirrored frame). */
  left: number;
  right: number;
  mean: number;
}

export interface DetectedFace {
  box: FaceBox;
  /** Detector confidence 0..1. */
  score: number;
  rotation: HeadRotation;
  /** Eye aspect ratio from the face mesh: open ~0.25-0.45, closed ~0.05-0.15. */
  eyeAspectRatio: EyeAspectRatio;
  /** Inner-lip gap divided by mouth width: closed ~0-0.05, wide open > 0.4. */
  mouthOpen: number;
  /** The face mesh, x y z per point (x, y in image pixels; z relative depth): 468 points, 478 with iris refinement. */
  mesh: Float32Array;
  /** human's anti-spoof score (0..1, higher = real); a weak signal only. Null when not asked. */
  antispoof: number | null;
  /** human's liveness score (0..1, higher = live); a weak signal only. Null when not asked. */
  liveness: number | null;
  /** 128-d face descriptor (dlib ResNet on the mesh-aligned chip); null unless asked, and for all but the largest face. Never log it. */
  embedding: Float32Array | null;
}

export interface FaceAnalysis {
  width: number;
  height: number;
  /** Largest face first. */
  faces: DetectedFace[];
  /** Measured inside the worker: detection + mesh (+ signals, + embedding when asked). */
  analysisMs: number;
}

/**
 * An image to analyse: planar I420 (as `VideoFrame` carries) or packed RGB24. When `format` is
 * absent it is inferred from the data length (w*h*3 is RGB, w*h*3/2 rounded up is I420).
 */
export interface FaceImage {
  width: number;
  height: number;
  data: Uint8Array;
  format?: 'i420' | 'rgb';
}

export interface AnalyzeOptions {
  /** Compute the 128-d descriptor of the largest face (aligned chip + dlib ResNet, roughly doubles the analysis time). Default false. */
  wantEmbedding?: boolean;
  /** Run human's anti-spoof and liveness models (~+10 ms). Default true. */
  wantSpoofSignals?: boolean;
  signal?: AbortSignal;
}
