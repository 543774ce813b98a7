/**
 * The session's socket.io connection: the latest SessionView snapshot, the media config for the
 * current connection, connection status (reconnects, takeover) and the two requests the
 * applicant makes (begin, answer). Render from `view`; nothing of the dialogue is kept here.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { io, type Socket } from 'socket.io-client';
import type {
  ClientError,
  ClientErrorCode,
  GuidanceMessage,
  ClientToServerEvents,
  Locale,
  ServerToClientEvents,
  SessionView,
} from '../../server/http/protocol.ts';
import { getClientId } from './clientId.ts';
import { parseMediaConfig, type MediaConfig } from './signaling.ts';
import { statusAfterConnectError, statusAfterDisconnect, type SocketStatus } from './socketStatus.ts';

export type SessionSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** What an ack resolves to; 'timeout' when the server did not answer in time. */
export type RequestResult = { ok: true } | { ok: false; code: ClientErrorCode | 'timeout'; message: string };

export type Answer =
  | { stepId: string; text: string }
  | { stepId: string; choice: 'yes' | 'no' }
  | { stepId: string; choice: 'confirm'; fields?: Record<string, string> }
  | { stepId: string; choice: 'retake' }
  | { stepId: string; choice: 'sign'; text: string; fields: { signatureArtifactId: string } };

const ACK_TIMEOUT_MS = 15_000;

export interface SessionConnection {
  socket: SessionSocket | null;
  status: SocketStatus;
  view: SessionView | null;
  /** A new object after every (re)connect: the cue to build a new peer connection. */
  mediaConfig: MediaConfig | null;
  /** The latest 'app:error' pushed by the server, if any. */
  appError: ClientError | null;
  /** Live guidance from a running check ("move closer"), or null. */
  guidance: GuidanceMessage | null;
  begin(locale: Locale): Promise<RequestResult>;
  answer(answer: Answer): Promise<RequestResult>;
  /** Connects again with `takeover: true`, closing the session in the other tab or device. */
  takeOver(): void;
  /** Drops and re-opens the connection (after the server closed it, or media failed). */
  reconnect(): void;
}

function request(socket: SessionSocket, event: 'session:begin' | 'dialogue:answer', message: unknown): Promise<RequestResult> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ ok: false, code: 'timeout', message: 'no reply' }), ACK_TIMEOUT_MS);
    socket.emit(event, message, (result) => {
      clearTimeout(timer);
      if (result?.ok) resolve({ ok: true });
      else resolve({ ok: false, code: result?.error?.code ?? 'internal', message: result?.error?.message ?? '' });
    });
  });
}

export function useSessionSocket(token: string, enabled: boolean): SessionConnection {
  const [socket, setSocket] = useState<SessionSocket | null>(null);
  const [status, setStatus] = useState<SocketStatus>('connecting');
  const [view, setView] = useState<SessionView | null>(null);
  const [mediaConfig, setMediaConfig] = useState<MediaConfig | null>(null);
  const [appError, setAppError] = useState<ClientError | null>(null);
  const [guidance, setGuidance] = useState<GuidanceMessage | null>(null);
  const takeoverRef = useRef(false);

  useEffect(() => {
    if (!enabled) return;
    let wasConnected = false;
    let takenOver = false;
    const s: SessionSocket = io({
      // WebSocket first (one round trip less than polling + upgrade); polling stays as a
      // fallback for networks that block WebSockets.
      transports: ['websocket', 'polling'],
      tryAllTransports: true,
      // A function, so a takeover (and the reconnects after it) send the current wish.
      auth: (cb) => cb(takeoverRef.current ? { token, clientId: getClientId(), takeover: true } : { token, clientId: getClientId() }),
    });

    s.on('connect', () => {
      wasConnected = true;
      takeoverRef.current = false;
      setStatus('connected');
    });
    s.on('connect_error', (err) => {
      setMediaConfig(null);
      setStatus(statusAfterConnectError(err.message, { willRetry: s.active, wasConnected }));
    });
    s.on('disconnect', () => {
      setMediaConfig(null);
      setStatus(statusAfterDisconnect({ willRetry: s.active, takenOver }));
    });
    s.on('session:taken-over', () => {
      takenOver = true;
      setMediaConfig(null);
      setStatus('taken-over');
      s.disconnect();
    });
    s.on('session:view', (next) => setView(next));
    s.on('verifier:guidance', (message) => setGuidance(message.guidance ? message : null));
    s.on('media:config', (raw) => {
      const config = parseMediaConfig(raw);
      // The server also sends a new config on the same socket after it reopened failed media.
      setAppError(null);
      if (config) setMediaConfig(config);
      else console.warn('attest: ignored an unreadable media:config');
    });
    s.on('app:error', (error) => {
      console.warn('attest: server reported', error.code);
      setAppError(error);
    });

    setSocket(s);
    setStatus('connecting');
    return () => {
      s.removeAllListeners();
      s.disconnect();
      setSocket(null);
      setMediaConfig(null);
    };
  }, [token, enabled]);

  const begin = useCallback(
    (locale: Locale) => (socket ? request(socket, 'session:begin', { locale }) : Promise.resolve(notConnected())),
    [socket],
  );
  const answer = useCallback(
    (a: Answer) => (socket ? request(socket, 'dialogue:answer', a) : Promise.resolve(notConnected())),
    [socket],
  );
  const takeOver = useCallback(() => {
    if (!socket) return;
    takeoverRef.current = true;
    setStatus('connecting');
    socket.connect();
  }, [socket]);
  const reconnect = useCallback(() => {
    if (!socket) return;
    setStatus('connecting');
    socket.disconnect().connect();
  }, [socket]);

  return { socket, status, view, mediaConfig, appError, guidance, begin, answer, takeOver, reconnect };
}

function notConnected(): RequestResult {
  return { ok: false, code: 'timeout', message: 'not connected' };
}
