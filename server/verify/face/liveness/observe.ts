/**
 * Turns engine analyses of successive frames into liveness observations: motion keypoints, the
 * frame difference to the previous frame, and the similarity of each descriptor to the session's
 * first descriptors (identity continuity). Keeps only what the next frame needs; no images.
 */
import { downscaleGray, i420ToGray, type GrayImage } from '../../../media/frames.ts';
import { motionKeypoints } from '../landmarks.ts';
import { cosineSimilarity, meanDescriptor } from '../match.ts';
import { usableDescriptor } from '../quality.ts';
import type { FaceAnalysis, FaceImage } from '../types.ts';
import type { FaceObservation, FrameObservation } from './types.ts';

/** Mean absolute difference of two grey images of the same size (0..255). */
export function meanAbsDiff(a: GrayImage, b: GrayImage): number {
  if (a.width !== b.width || a.height !== b.height) return Number.POSITIVE_INFINITY;
  const n = a.width * a.height;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.abs((a.data[i] as number) - (b.data[i] as number));
  return n > 0 ? sum / n : 0;
}

/** Luma of an I420 or RGB image, box-downscaled by 4 (enough for a frame difference, cheap). */
export function thumbnailGray(image: FaceImage): GrayImage {
  const rgb = image.format === 'rgb' || image.data.length === image.width * image.height * 3;
  let gray: GrayImage;
  if (rgb) {
    const data = new Uint8Array(image.width * image.height);
    for (let i = 0, j = 0; i < data.length; i++, j += 3) {
      data[i] = (77 * (image.data[j] as number) + 150 * (image.data[j + 1] as number) + 29 * (image.data[j + 2] as number)) >> 8;
    }
    gray = { width: image.width, height: image.height, data };
  } else {
    gray = i420ToGray(image);
  }
  return downscaleGray(gray, 4);
}

export class ObservationBuilder {
  private previous: GrayImage | null = null;
  private readonly firstDescriptors: Float32Array[] = [];
  private reference: Float32Array | null = null;

  /** @param referenceCount descriptors (from the first frames that have one) averaged into the identity reference. */
  constructor(private readonly referenceCount = 2) {}

  add(t: number, image: FaceImage, analysis: FaceAnalysis): FrameObservation {
    const thumb = thumbnailGray(image);
    const frameDiff = this.previous ? meanAbsDiff(this.previous, thumb) : null;
    this.previous = thumb;
    const faces: FaceObservation[] = analysis.faces.map((face) => {
      const observation: FaceObservation = {
        box: face.box,
        yaw: face.rotation.yaw,
        pitch: face.rotation.pitch,
        ear: face.eyeAspectRatio.mean,
        mouthOpen: face.mouthOpen,
        keypoints: motionKeypoints(face.mesh),
      };
      if (face.antispoof !== null) observation.antispoof = face.antispoof;
      if (face.liveness !== null) observation.liveness = face.liveness;
      return observation;
    });
    // Identity continuity is tracked on single-face frames only (with several faces, whose is it?),
    // and only on descriptors fit to compare (quality.ts: a face turned away for a challenge is not).
    const descriptor = analysis.faces.length === 1 ? usableDescriptor(analysis.faces[0]) : null;
    if (descriptor && faces[0]) {
      if (!this.reference) {
        this.firstDescriptors.push(descriptor);
        if (this.firstDescriptors.length >= this.referenceCount) this.reference = meanDescriptor(this.firstDescriptors);
      }
      const reference = this.reference ?? meanDescriptor(this.firstDescriptors);
      faces[0].embeddingSimilarityToFirst = cosineSimilarity(reference, descriptor);
    }
    return { t, faces, frameDiff, frameSize: { width: analysis.width, height: analysis.height } };
  }
}
