/**
 * Transport-neutral media contracts. Nothing here may mention WebRTC, wrtc or LiveKit:
 * verifiers, the recorder and the session interpreter depend only on these types.
 */

/** One decoded video frame, planar I420 (Y plane, then U, then V; chroma at half resolution). */
export interface VideoFrame {
  width: number;
  height: number;
  /** width*height*3/2 bytes. */
  data: Uint8Array;
  /** Milliseconds since the Unix epoch at which the server received the frame. */
  timestampMs: number;
}

/** A run of signed 16-bit PCM samples from the applicant's microphone or for the applicant. */
export interface AudioChunk {
  /** Interleaved when channels > 1. */
  samples: Int16Array;
  sampleRate: number;
  channels: number;
  /** Milliseconds since the Unix epoch of the first sample. */
  timestampMs: number;
}

export type MediaConnectionState = 'new' | 'connecting' | 'connected' | 'disconnected' | 'failed' | 'closed';

/** Counters kept by the transport for every frame/chunk it receives, sampled or not. */
export interface MediaStats {
  framesReceived: number;
  /** Size of the most recent frame, or null before the first one. */
  lastFrameSize: { width: number; height: number } | null;
  firstFrameAtMs: number | null;
  audioChunksReceived: number;
  /** Peak absolute sample value seen so far (0..32767); 0 means silence only. */
  audioPeak: number;
  /** Root-mean-square of the last second of audio (0..32767). */
  audioRms: number;
  firstAudioAtMs: number | null;
}

export type Unsubscribe = () => void;

/** One applicant's media, whatever carries it. */
export interface MediaSession {
  readonly sessionId: string;
  readonly state: MediaConnectionState;
  /** Frames are delivered at most at the requested rate (frames per second, 0 = none). */
  setVideoSampleRate(fps: number): void;
  onVideoFrame(listener: (frame: VideoFrame) => void): Unsubscribe;
  onAudio(listener: (chunk: AudioChunk) => void): Unsubscribe;
  onStateChange(listener: (state: MediaConnectionState, reason?: string) => void): Unsubscribe;
  /** Queue audio to be played to the applicant (paced by the transport). */
  sendAudio(chunk: AudioChunk): void;
  stats(): MediaStats;
  close(): Promise<void>;
}

/**
 * The signaling path between the server and one applicant client (socket.io today).
 * Messages are opaque to everything but the transport that defines them; the transport
 * validates them itself and answers bad ones with `onError`.
 */
export interface SignalingChannel {
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): Unsubscribe;
}

/** What a client needs to know to connect its media (sent to the client before signaling). */
export interface MediaClientConfig {
  transport: 'embedded' | 'livekit';
  /** embedded: ICE servers for RTCPeerConnection; livekit: server URL + participant token. */
  iceServers?: { urls: string | string[]; username?: string; credential?: string }[];
  livekit?: { url: string; token: string };
}

export interface MediaTransport {
  readonly kind: 'embedded' | 'livekit';
  clientConfig(sessionId: string): Promise<MediaClientConfig>;
  /**
   * Opens (or re-opens, after a reconnect) the media session for `sessionId`. A previous
   * session with the same id is closed first. Bad signaling messages are reported through
   * `onSignalingError` and never throw.
   */
  open(
    sessionId: string,
    signaling: SignalingChannel,
    onSignalingError: (error: { code: string; message: string }) => void,
  ): Promise<MediaSession>;
  /** Session ids whose media failed because the media process died. */
  onSessionsFailed(listener: (sessionIds: string[], reason: string) => void): Unsubscribe;
  /** Closes every session and the media process; the server can exit afterwards. */
  shutdown(): Promise<void>;
  /** CPU and memory of the media process, for benchmarks and health. */
  processUsage(): Promise<{ pid: number; cpuMicros: number; rssBytes: number } | null>;
}
