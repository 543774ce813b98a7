/**
 * Real-video check of the rigid-motion signal: decodes a clip with the system ffmpeg, analyses
 * every frame with the engine and relates the homography residual between nearby frames of the
 * same face to their change in head angle. Used by eval:liveness as supplementary evidence.
 */
import { spawnSync } from 'node:child_process';
import type { FaceEngine } from '../../server/verify/face/index.ts';
import { interOcularDistance, motionKeypoints } from '../../server/verify/face/landmarks.ts';
import { fitHomography } from '../../server/verify/face/liveness/geometry.ts';
import { percentile } from './face-images.ts';

export interface ResidualBin {
  angleDeg: [number, number];
  pairs: number;
  p10: number;
  p50: number;
}

/** Null (with the reason) when ffmpeg or ffprobe is missing or the clip cannot be decoded. */
export async function residualsOnVideo(engine: FaceEngine, file: string, fps = 10): Promise<ResidualBin[] | string> {
  const probe = spawnSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height', '-of', 'csv=p=0', file], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return 'ffprobe not available or the clip is unreadable';
  const [width, height] = probe.stdout.trim().split(',').map(Number) as [number, number];
  const decoded = spawnSync('ffmpeg', ['-v', 'error', '-i', file, '-vf', `fps=${fps}`, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { maxBuffer: 1 << 30 });
  if (decoded.error || decoded.status !== 0) return 'ffmpeg not available or the clip is unreadable';
  const size = width * height * 3;
  const frames: { index: number; yaw: number; pitch: number; box: { x: number; width: number }; keypoints: ReturnType<typeof motionKeypoints>; iod: number }[] = [];
  for (let i = 0; (i + 1) * size <= decoded.stdout.length; i++) {
    const data = new Uint8Array(decoded.stdout.buffer, decoded.stdout.byteOffset + i * size, size);
    const face = (await engine.analyze({ width, height, data, format: 'rgb' }, { wantSpoofSignals: false })).faces[0];
    if (!face || face.box.width < 60) continue;
    frames.push({ index: i, yaw: face.rotation.yaw, pitch: face.rotation.pitch, box: face.box, keypoints: motionKeypoints(face.mesh), iod: interOcularDistance(face.mesh) });
  }
  const rows: { angle: number; residual: number }[] = [];
  for (let a = 0; a < frames.length; a++) {
    for (let b = a + 1; b < frames.length; b++) {
      const A = frames[a] as (typeof frames)[number];
      const B = frames[b] as (typeof frames)[number];
      if (B.index - A.index > 1.5 * fps) break;
      // Same face: the box barely moved and kept its size.
      if (Math.abs(A.box.x + A.box.width / 2 - (B.box.x + B.box.width / 2)) > A.box.width / 2 || Math.abs(A.box.width - B.box.width) > 0.3 * A.box.width) continue;
      rows.push({ angle: Math.max(Math.abs(A.yaw - B.yaw), Math.abs(A.pitch - B.pitch)), residual: fitHomography(A.keypoints, B.keypoints, A.iod).residual });
    }
  }
  const bins: [number, number][] = [[0, 5], [5, 10], [10, 15], [15, 20], [20, 90]];
  return bins
    .map(([lo, hi]) => {
      const values = rows.filter((r) => r.angle >= lo && r.angle < hi).map((r) => r.residual);
      return { angleDeg: [lo, hi] as [number, number], pairs: values.length, p10: percentile(values, 10), p50: percentile(values, 50) };
    })
    .filter((b) => b.pairs > 0);
}
