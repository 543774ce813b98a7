/**
 * Messages between the server process and the media process (Node IPC with
 * `serialization: 'advanced'`, so typed arrays cross without base64). Both ends are ours, so
 * these are types, not schemas. A `handle` names one `open()` of a session: a re-opened session
 * gets a new handle, so late messages about the old one cannot reach the new one.
 */
import type { MediaConnectionState, MediaStats, RecordingEndReason, RecordingResult } from '../types.ts';
import type { IceCandidate, ServerSignal } from './signaling.ts';

export interface IceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}

/** What the media process needs to record (from the transport's options). */
export interface RecorderConfig {
  ffmpegPath: string;
}

export type ParentToChild =
  | { type: 'open'; handle: number; iceServers: IceServer[]; recorder: RecorderConfig }
  | { type: 'offer'; handle: number; sdp: string }
  | { type: 'candidate'; handle: number; candidate: IceCandidate }
  /** Frames per second to forward (0 = none); the parent sends 0 while nobody listens. */
  | { type: 'video-rate'; handle: number; fps: number }
  /** Whether to forward microphone audio (someone listens in the parent). */
  | { type: 'audio-subscribe'; handle: number; enabled: boolean }
  | { type: 'send-audio'; handle: number; samples: Int16Array; sampleRate: number; channels: number }
  /** Drops outgoing audio not yet played (the applicant interrupted the assistant). */
  | { type: 'clear-audio'; handle: number }
  /** Starts recording into `file` (absolute); the reply says started or why not. */
  | { type: 'record-start'; handle: number; requestId: number; file: string }
  /** Stops the recording started by request `recordingId`; a `recording-ended` message follows. */
  | { type: 'record-stop'; handle: number; recordingId: number }
  /** Closes the peers; a running recording is finalised (and reported) before the reply. */
  | { type: 'close'; handle: number; requestId: number }
  | { type: 'usage'; requestId: number }
  | { type: 'shutdown' };

export interface UsageReply {
  cpuMicros: number;
  rssBytes: number;
  /** The ffmpeg processes of running recordings (Linux: read from /proc; absent elsewhere). */
  recorders?: { count: number; cpuMicros: number; rssBytes: number };
}

export type RecordStartReply = { recording: 'started'; startedAtMs: number } | { recordingError: string };

export type Reply = UsageReply | { closed: true } | RecordStartReply;

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export type ChildToParent =
  | { type: 'ready'; pid: number }
  | { type: 'fatal'; message: string }
  | { type: 'log'; level: LogLevel; msg: string; fields: Record<string, string | number | boolean | null> }
  | { type: 'signal'; handle: number; message: ServerSignal }
  | { type: 'signal-error'; handle: number; message: string }
  | { type: 'state'; handle: number; state: MediaConnectionState; reason?: string }
  | { type: 'stats'; handle: number; stats: MediaStats }
  | { type: 'frame'; handle: number; width: number; height: number; data: Uint8Array; timestampMs: number }
  | { type: 'audio'; handle: number; samples: Int16Array; sampleRate: number; channels: number; timestampMs: number }
  /** A recording ended (sent once per started recording; `recordingId` is its start request's id). */
  | {
      type: 'recording-ended';
      handle: number;
      recordingId: number;
      file: string;
      reason: RecordingEndReason;
      result: RecordingResult | null;
      error?: string;
    }
  | { type: 'reply'; requestId: number; result: Reply };
