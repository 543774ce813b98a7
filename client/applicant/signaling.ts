/**
 * Shapes of the media messages on the socket. The server sends them as `unknown`; these
 * parsers accept only what the embedded WebRTC transport sends and drop anything else.
 */

export interface IceServerConfig {
  urls: string | string[];
  username?: string;
  credential?: string;
}

export interface MediaConfig {
  transport: 'embedded' | 'livekit';
  iceServers: IceServerConfig[];
}

export interface IceCandidateMessage {
  candidate: string;
  sdpMid: string | null;
  sdpMLineIndex: number | null;
}

export type ServerSignal = { type: 'answer'; sdp: string } | { type: 'candidate'; candidate: IceCandidateMessage };
export type ClientSignal = { type: 'offer'; sdp: string } | { type: 'candidate'; candidate: IceCandidateMessage };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseIceServer(value: unknown): IceServerConfig | null {
  if (!isRecord(value)) return null;
  const { urls, username, credential } = value;
  const validUrls =
    typeof urls === 'string' || (Array.isArray(urls) && urls.length > 0 && urls.every((u) => typeof u === 'string'));
  if (!validUrls) return null;
  const server: IceServerConfig = { urls: urls as string | string[] };
  if (typeof username === 'string') server.username = username;
  if (typeof credential === 'string') server.credential = credential;
  return server;
}

export function parseMediaConfig(value: unknown): MediaConfig | null {
  if (!isRecord(value)) return null;
  if (value.transport !== 'embedded' && value.transport !== 'livekit') return null;
  const raw = Array.isArray(value.iceServers) ? value.iceServers : [];
  const iceServers = raw.map(parseIceServer).filter((s): s is IceServerConfig => s !== null);
  return { transport: value.transport, iceServers };
}

export function parseCandidate(value: unknown): IceCandidateMessage | null {
  if (!isRecord(value) || typeof value.candidate !== 'string') return null;
  const sdpMid = typeof value.sdpMid === 'string' ? value.sdpMid : null;
  const sdpMLineIndex = typeof value.sdpMLineIndex === 'number' ? value.sdpMLineIndex : null;
  if (sdpMid === null && sdpMLineIndex === null) return null;
  return { candidate: value.candidate, sdpMid, sdpMLineIndex };
}

export function parseServerSignal(value: unknown): ServerSignal | null {
  if (!isRecord(value)) return null;
  if (value.type === 'answer') {
    return typeof value.sdp === 'string' && value.sdp.length > 0 ? { type: 'answer', sdp: value.sdp } : null;
  }
  if (value.type === 'candidate') {
    const candidate = parseCandidate(value.candidate);
    return candidate ? { type: 'candidate', candidate } : null;
  }
  return null;
}

/** The wire form of a local candidate (RTCIceCandidate is not plain data). */
export function candidateMessage(candidate: {
  candidate: string;
  sdpMid: string | null;
  sdpMLineIndex: number | null;
}): ClientSignal {
  return {
    type: 'candidate',
    candidate: { candidate: candidate.candidate, sdpMid: candidate.sdpMid, sdpMLineIndex: candidate.sdpMLineIndex },
  };
}

export type MediaState = 'connecting' | 'connected' | 'failed';

/**
 * What the applicant sees for an RTCPeerConnection state. 'disconnected' often recovers by
 * itself, so it reads as connecting; 'failed' needs a new connection.
 */
export function mediaStateOf(connectionState: string): MediaState {
  if (connectionState === 'connected') return 'connected';
  if (connectionState === 'failed') return 'failed';
  return 'connecting';
}
