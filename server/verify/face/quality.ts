/**
 * Quality gate for face descriptors: which faces are fit to be compared at all. A descriptor of a
 * face turned well away from the camera, or of a face a few pixels wide, is not evidence either
 * way: it is not used for the face match, the identity reference or continuity checks.
 *
 * Why these limits: on the fixture video (a person turning on stage, 640x360) the similarity of
 * his frames to his own reference photo was 0.92-0.97 up to 21 deg of yaw and fell to 0.87-0.89
 * at 27-34 deg, where it was hardly above a different person's (0.85-0.87): beyond ~20 deg the
 * descriptor stops telling people apart. The 150 px chip puts the outer eye corners ~74 px
 * apart; below 24 px the chip is mostly interpolation.
 */
import { interOcularDistance } from './landmarks.ts';
import type { DetectedFace } from './types.ts';

export const DESCRIPTOR_MAX_YAW_DEG = 20;
export const DESCRIPTOR_MAX_PITCH_DEG = 20;
/** Outer eye corner to outer eye corner, image pixels. */
export const DESCRIPTOR_MIN_INTEROCULAR_PX = 24;

export type DescriptorQuality = { usable: true } | { usable: false; reason: 'no_descriptor' | 'turned_away' | 'too_small' };

export function descriptorQuality(face: Pick<DetectedFace, 'rotation' | 'mesh' | 'embedding'>): DescriptorQuality {
  if (!face.embedding) return { usable: false, reason: 'no_descriptor' };
  if (Math.abs(face.rotation.yaw) > DESCRIPTOR_MAX_YAW_DEG || Math.abs(face.rotation.pitch) > DESCRIPTOR_MAX_PITCH_DEG) return { usable: false, reason: 'turned_away' };
  if (interOcularDistance(face.mesh) < DESCRIPTOR_MIN_INTEROCULAR_PX) return { usable: false, reason: 'too_small' };
  return { usable: true };
}

/** The descriptor of a face that passes the gate, else null. */
export function usableDescriptor(face: Pick<DetectedFace, 'rotation' | 'mesh' | 'embedding'> | undefined): Float32Array | null {
  return face && descriptorQuality(face).usable ? face.embedding : null;
}
