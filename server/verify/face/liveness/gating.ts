/** Per-frame gate: is there exactly one face, big enough and inside the frame? Otherwise pause. */
import type { LivenessConfig } from './config.ts';
import type { FeedbackCode, FrameObservation } from './types.ts';

export type FrameGate = 'ok' | 'no_face' | 'multiple_faces' | 'face_too_small' | 'face_out_of_frame';

export function gateFrame(frame: FrameObservation, config: LivenessConfig['face']): FrameGate {
  if (frame.faces.length === 0) return 'no_face';
  if (frame.faces.length > 1) return 'multiple_faces';
  const { box } = frame.faces[0] as FrameObservation['faces'][number];
  const { width, height } = frame.frameSize;
  if (box.width < config.minWidthFraction * width) return 'face_too_small';
  const slackX = config.maxOutsideFraction * box.width;
  const slackY = config.maxOutsideFraction * box.height;
  if (box.x < -slackX || box.y < -slackY || box.x + box.width > width + slackX || box.y + box.height > height + slackY) {
    return 'face_out_of_frame';
  }
  return 'ok';
}

export const GATE_FEEDBACK: Record<Exclude<FrameGate, 'ok'>, FeedbackCode> = {
  no_face: 'move_into_oval',
  multiple_faces: 'one_person_only',
  face_too_small: 'move_closer',
  face_out_of_frame: 'move_into_oval',
};
