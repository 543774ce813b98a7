import { describe, expect, it } from 'vitest';
import { DEFAULT_LIVENESS_CONFIG } from './config.ts';
import { gateFrame } from './gating.ts';
import type { FaceObservation, FrameObservation } from './types.ts';

const face = (x: number, y: number, width: number, height = width): FaceObservation => ({ box: { x, y, width, height }, yaw: 0, pitch: 0, ear: 0.3, mouthOpen: 0 });
const frame = (faces: FaceObservation[]): FrameObservation => ({ t: 0, faces, frameDiff: 2, frameSize: { width: 640, height: 480 } });
const gate = (faces: FaceObservation[]) => gateFrame(frame(faces), DEFAULT_LIVENESS_CONFIG.face);

describe('frame gate', () => {
  it('accepts exactly one big-enough face inside the frame', () => {
    expect(gate([face(220, 120, 200)])).toBe('ok');
    // A few pixels over the edge is tolerated (5% of the box).
    expect(gate([face(-8, 120, 200)])).toBe('ok');
  });

  it('pauses on no face, several faces, a small face and a face half out of frame', () => {
    expect(gate([])).toBe('no_face');
    expect(gate([face(50, 120, 200), face(400, 120, 200)])).toBe('multiple_faces');
    expect(gate([face(300, 200, 80)])).toBe('face_too_small');
    expect(gate([face(-100, 120, 200)])).toBe('face_out_of_frame');
    expect(gate([face(300, 350, 200)])).toBe('face_out_of_frame');
  });
});
