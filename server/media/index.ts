/** Media: transport-neutral contracts, the embedded (in-server WebRTC) transport, frame utilities. */
export type {
  AudioChunk,
  MediaClientConfig,
  MediaConnectionState,
  MediaProcessUsage,
  MediaSession,
  MediaStats,
  MediaTransport,
  RecordingEndReason,
  RecordingEnded,
  RecordingResult,
  SignalingChannel,
  Unsubscribe,
  VideoFrame,
} from './types.ts';
export { createEmbeddedTransport, type EmbeddedTransportOptions } from './embedded/transport.ts';
export type { ClientSignal, ServerSignal } from './embedded/signaling.ts';
export { checkFfmpeg } from './recorder/ffmpeg.ts';
export { downscaleGray, i420ToGray, i420ToRgb, i420ToRgba, type GrayImage, type RgbImage, type RgbaImage } from './frames.ts';
