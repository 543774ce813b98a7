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

/** A finished recording: the file as ffmpeg closed it. */
export interface RecordingResult {
  /** Absolute path of the fragmented MP4 (H.264 + AAC). */
  file: string;
  bytes: number;
  /** SHA-256 of the file's bytes, lowercase hex. */
  sha256: string;
  /** Wall-clock length: endedAtMs - startedAtMs (the file's timeline follows the wall clock). */
  durationMs: number;
  /** Milliseconds since the Unix epoch of the file's time 0. */
  startedAtMs: number;
  endedAtMs: number;
  /** Frames written (a fixed 15 fps; the last frame repeats while none arrive). */
  videoFrames: number;
  /** Mono 48 kHz samples written (microphone and assistant mixed; silence in the gaps). */
  audioSamples: number;
  /** Size of the recorded video: the first frame's (rounded down to even); later sizes are scaled to it. */
  width: number;
  height: number;
  /** Frames left out because the encoder fell behind (0 normally); each shortens the video by 1/15 s. */
  droppedVideoFrames: number;
}

/**
 * Why a recording ended. `stopped`: `stopRecording()`. `session-closed`: `close()` (or the session
 * was re-opened). `peer-replaced`: the client offered a new peer connection. `recorder-failed`:
 * ffmpeg exited on its own. `media-failed`: the media process died. The last two carry no result,
 * but the file stays on disk, playable up to the last complete fragment (about a second).
 */
export type RecordingEndReason = 'stopped' | 'session-closed' | 'peer-replaced' | 'recorder-failed' | 'media-failed';

export interface RecordingEnded {
  file: string;
  reason: RecordingEndReason;
  /** Null when the file could not be finalised (see `error`). */
  result: RecordingResult | null;
  error?: string;
}

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
  /** Drops audio queued by `sendAudio` that has not been played yet (the applicant interrupted). */
  clearAudio(): void;
  stats(): MediaStats;
  /**
   * Records this peer connection's video and both sides' audio (the applicant's microphone mixed
   * with what `sendAudio` plays, aligned by the wall clock) into `file`, a fragmented MP4 that
   * stays playable if the process is killed. The folder must exist and the file must not.
   * Resolves once the file has its header (waits up to 10 s for a first video frame); rejects
   * with a clear error (ffmpeg missing, no video, already recording) and the session carries on.
   */
  startRecording(options: { file: string }): Promise<void>;
  /** Finalises the recording; null if none is running. Rejects if ffmpeg could not finish the file. */
  stopRecording(): Promise<RecordingResult | null>;
  /**
   * Every recording that started ends here exactly once, whatever ended it (including
   * `stopRecording()`, the session closing, a new peer connection, or a crash).
   */
  onRecordingEnded(listener: (ended: RecordingEnded) => void): Unsubscribe;
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

export interface MediaProcessUsage {
  pid: number;
  cpuMicros: number;
  rssBytes: number;
  recorders?: { count: number; cpuMicros: number; rssBytes: number };
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
  /**
   * CPU and memory of the media process, for benchmarks and health; `recorders` sums the ffmpeg
   * processes of running recordings (Linux only).
   */
  processUsage(): Promise<MediaProcessUsage | null>;
}
