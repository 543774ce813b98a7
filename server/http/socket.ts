/**
 * socket.io edge for applicants: authenticates the session token, keeps one live connection
 * per session (silent replacement for the same tab, explicit takeover for another), relays
 * media signaling to the transport and turns validated dialogue messages into events.
 */
import type { Server, Socket } from 'socket.io';
import type { Logger } from '../log.ts';
import type { MediaSession, MediaTransport, SignalingChannel } from '../media/index.ts';
import type { LiveMedia, SessionNotices, SessionService } from '../session/index.ts';
import { AppError, type ErrorCode } from './errors.ts';
import {
  MAX_SOCKET_MESSAGE_BYTES,
  TERMINAL_STATUSES,
  ZAnswerMessage,
  ZBeginMessage,
  ZSocketAuth,
  type ClientError,
  type ClientErrorCode,
  type ClientToServerEvents,
  type Locale,
  type ServerToClientEvents,
  type SessionStatus,
} from './protocol.ts';
import type { ViewBuilder } from './views.ts';
import { MediaWatch } from './media-watch.ts';
import type { VoiceAgent } from '../voice/index.ts';

type AppSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type Ack = (result: { ok: boolean; error?: ClientError }) => void;

interface SocketData {
  sessionId: string;
  clientId: string;
}

interface Presence {
  socket: AppSocket;
  clientId: string;
  media: MediaSession | null;
  watch: MediaWatch | null;
  signalListeners: Set<(message: unknown) => void>;
}

export interface SocketDeps {
  service: SessionService;
  views: ViewBuilder;
  liveMedia: LiveMedia;
  notices: SessionNotices;
  transport: MediaTransport;
  logger: Logger;
  voice?: VoiceAgent;
}

export function attachApplicantSockets(io: Server, deps: SocketDeps): { close(): Promise<void> } {
  const presence = new Map<string, Presence>();
  const { service, views, transport, logger, liveMedia } = deps;

  io.use((rawSocket, next) => {
    const socket = rawSocket as AppSocket;
    const auth = ZSocketAuth.safeParse(socket.handshake.auth);
    if (!auth.success) return next(connectError('bad_message', 'The connection is missing a valid session token.'));
    service
      .resolveToken(auth.data.token)
      .then((record) => {
        const current = presence.get(record.id);
        const otherClient = current && current.clientId !== auth.data.clientId && current.socket.connected;
        if (otherClient && !auth.data.takeover) return next(connectError('session_in_use'));
        socket.data = { sessionId: record.id, clientId: auth.data.clientId };
        next();
      })
      .catch((error: unknown) => {
        if (error instanceof AppError) return next(connectError(error.code as ClientErrorCode));
        logger.error({ err: error }, 'socket authentication failed');
        next(connectError('internal'));
      });
  });

  io.on('connection', (rawSocket) => {
    const socket = rawSocket as AppSocket;
    const { sessionId, clientId } = socket.data;
    void onConnection(socket, sessionId, clientId).catch((error: unknown) => {
      logger.error({ err: error, sessionId }, 'socket connection setup failed');
      socket.emit('app:error', clientError('internal'));
    });
  });

  async function onConnection(socket: AppSocket, sessionId: string, clientId: string): Promise<void> {
    const previous = presence.get(sessionId);
    const entry: Presence = { socket, clientId, media: null, watch: null, signalListeners: new Set() };
    presence.set(sessionId, entry);
    if (previous) {
      const takeover = previous.clientId !== clientId;
      if (takeover) previous.socket.emit('session:taken-over');
      await closeMedia(sessionId, previous, takeover ? 'taken over' : 'replaced by reconnect');
      previous.socket.disconnect(true);
      if (takeover) await service.recordFacts(sessionId, [{ type: 'SessionTakenOver', payload: {} }]);
    }

    socket.on('disconnect', () => {
      if (presence.get(sessionId) !== entry) return;
      presence.delete(sessionId);
      void closeMedia(sessionId, entry, 'applicant disconnected');
    });

    socket.on('media:signal', (message) => {
      if (!withinSize(socket, message)) return;
      for (const listener of entry.signalListeners) listener(message);
    });

    socket.on('session:begin', (message, ack) => {
      void handle(socket, ack, async () => {
        const parsed = ZBeginMessage.safeParse(message);
        if (!parsed.success) throw new AppError('bad_message', describe('session:begin', parsed.error));
        const record = service.get(sessionId);
        if (record.status !== 'created') return; // already begun: a resume is not an error
        const locale = (parsed.data.locale ?? record.locale) as Locale;
        const view = views.build(sessionId);
        if (!view.locales.includes(locale)) throw new AppError('bad_message', `locale "${locale}" is not offered by this script`);
        await service.dispatch(sessionId, { type: 'SessionStarted', locale });
      }, message);
    });

    socket.on('dialogue:answer', (message, ack) => {
      void handle(socket, ack, async () => {
        const parsed = ZAnswerMessage.safeParse(message);
        if (!parsed.success) throw new AppError('bad_message', describe('dialogue:answer', parsed.error));
        const { stepId, text, choice, fields } = parsed.data;
        const result = await service.answer(sessionId, {
          stepId,
          ...(text !== undefined ? { text } : {}),
          ...(choice !== undefined ? { choice } : {}),
          ...(fields !== undefined ? { fields } : {}),
        });
        if (result.rejected) {
          const code: ErrorCode = result.rejected.code === 'session_ended' ? 'session_ended' : 'wrong_step';
          throw new AppError(code, result.rejected.message);
        }
      }, message);
    });

    socket.on('voice', (message) => {
      if (!withinSize(socket, message) || !deps.voice) return;
      const problem = deps.voice.clientMessage(sessionId, message);
      if (problem) socket.emit('app:error', clientError('bad_message', problem));
    });

    socket.emit('session:view', views.build(sessionId));
    for (const message of deps.voice?.connected(sessionId) ?? []) socket.emit('voice', message);
    const status = service.get(sessionId).status as SessionStatus;
    if (!TERMINAL_STATUSES.includes(status)) await openMedia(sessionId, entry);
  }

  async function openMedia(sessionId: string, entry: Presence): Promise<void> {
    const channel: SignalingChannel = {
      send: (message) => entry.socket.emit('media:signal', message),
      onMessage: (listener) => {
        entry.signalListeners.add(listener);
        return () => entry.signalListeners.delete(listener);
      },
    };
    const media = await transport.open(sessionId, channel, (error) =>
      entry.socket.emit('app:error', { code: 'bad_message', message: error.message, retryable: false }),
    );
    if (presence.get(sessionId) !== entry || !entry.socket.connected) {
      await media.close();
      return;
    }
    entry.media = media;
    liveMedia.set(sessionId, media);
    entry.watch = new MediaWatch(media, {
      changed: () => pushView(sessionId),
      facts: (facts) => void service.recordFacts(sessionId, facts).catch((error: unknown) => logger.error({ err: error, sessionId }, 'media fact not stored')),
    });
    entry.socket.emit('media:config', await transport.clientConfig(sessionId));
  }

  async function closeMedia(sessionId: string, entry: Presence, reason: string): Promise<void> {
    const media = entry.media;
    entry.media = null;
    entry.signalListeners.clear();
    const watch = entry.watch;
    entry.watch = null;
    if (!media) return;
    if (presence.get(sessionId) === undefined || presence.get(sessionId) === entry) liveMedia.set(sessionId, null);
    const summary = watch?.stop();
    try {
      await media.close();
    } catch (error) {
      logger.warn({ err: error, sessionId }, 'media close failed');
    }
    if (summary) await service.recordFacts(sessionId, [{ type: 'MediaClosed', payload: { ...summary, reason } }]).catch(() => undefined);
  }

  function pushView(sessionId: string): void {
    const entry = presence.get(sessionId);
    if (!entry) return;
    try {
      entry.socket.emit('session:view', views.build(sessionId));
    } catch (error) {
      logger.error({ err: error, sessionId }, 'view build failed');
    }
  }

  const offChanged = service.onChanged(pushView);
  const offNotices = deps.notices.subscribe((sessionId, notice) => presence.get(sessionId)?.socket.emit('verifier:guidance', notice));
  const offVoice = deps.voice?.subscribe((sessionId, message) => presence.get(sessionId)?.socket.emit('voice', message));
  const offEnded = service.onEnded((sessionId) => {
    const entry = presence.get(sessionId);
    // The assistant's last line (goodbye) plays out before the media closes.
    if (entry) void (deps.voice?.drained(sessionId) ?? Promise.resolve()).then(() => closeMedia(sessionId, entry, 'session ended'));
  });
  const offFailed = transport.onSessionsFailed((ids, reason) => {
    for (const sessionId of ids) {
      const entry = presence.get(sessionId);
      if (!entry) continue;
      logger.warn({ sessionId }, 'media failed; reopening');
      entry.socket.emit('app:error', clientError('media_failed'));
      void (async () => {
        await closeMedia(sessionId, entry, `media failed: ${reason}`);
        await service.recordFacts(sessionId, [{ type: 'MediaFailed', payload: { reason } }]);
        if (presence.get(sessionId) === entry && entry.socket.connected) await openMedia(sessionId, entry);
      })().catch((error: unknown) => logger.error({ err: error, sessionId }, 'media reopen failed'));
    }
  });

  return {
    async close() {
      offChanged();
      offNotices();
      offVoice?.();
      offEnded();
      offFailed();
      await Promise.all([...presence.entries()].map(([id, entry]) => closeMedia(id, entry, 'server stopping')));
      presence.clear();
    },
  };

  async function handle(socket: AppSocket, ack: Ack | undefined, work: () => Promise<void>, message: unknown): Promise<void> {
    const reply = typeof ack === 'function' ? ack : null;
    if (!withinSize(socket, message, reply)) return;
    try {
      await work();
      reply?.({ ok: true });
    } catch (error) {
      const appError = error instanceof AppError ? error : new AppError('internal');
      if (!(error instanceof AppError)) logger.error({ err: error, sessionId: socket.data.sessionId }, 'socket handler failed');
      const body = clientError(appError.code as ClientErrorCode, appError.message);
      if (reply) reply({ ok: false, error: body });
      else socket.emit('app:error', body);
    }
  }
}

function withinSize(socket: AppSocket, message: unknown, reply?: Ack | null): boolean {
  let size: number;
  try {
    size = Buffer.byteLength(JSON.stringify(message ?? null));
  } catch {
    size = Infinity;
  }
  if (size <= MAX_SOCKET_MESSAGE_BYTES) return true;
  const body = clientError('message_too_large', `Messages are limited to ${MAX_SOCKET_MESSAGE_BYTES} bytes.`);
  if (reply) reply({ ok: false, error: body });
  else socket.emit('app:error', body);
  return false;
}

function clientError(code: ClientErrorCode, message?: string): ClientError {
  const e = new AppError(code, message);
  return { code, message: e.message, retryable: e.retryable };
}

function connectError(code: ClientErrorCode, message?: string): Error & { data: ClientError } {
  const error = new Error(code) as Error & { data: ClientError };
  error.data = clientError(code, message);
  return error;
}

function describe(what: string, error: { issues: { path: PropertyKey[]; message: string }[] }): string {
  const issue = error.issues[0];
  const where = issue && issue.path.length ? `.${issue.path.map(String).join('.')}` : '';
  return `${what}${where}: ${issue?.message ?? 'invalid'}`;
}
