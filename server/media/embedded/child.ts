/**
 * Entry point of the media process, forked by the embedded transport (media-process.ts). It is
 * the only place @roamhq/wrtc is loaded: a native crash here costs the live calls, not the server.
 *
 * Exit rules (docs: FINDINGS "Media"): a process that stopped wrtc tracks segfaults on a normal
 * exit and one that did not never exits, so every way out closes the peers and calls
 * `process.exit()` explicitly.
 */
import { createRequire } from 'node:module';
import type { ChildToParent, LogLevel, ParentToChild } from './protocol.ts';
import { totalUsage } from '../recorder/usage.ts';
import { ChildSession, type WrtcModule } from './child-session.ts';

const STATS_INTERVAL_MS = 500;
/** On shutdown, running recordings get this long to be finalised before the process exits. */
const SHUTDOWN_RECORDING_GRACE_MS = 2_000;

function send(message: ChildToParent): void {
  if (process.connected) process.send?.(message);
}

function log(level: LogLevel, msg: string, fields: Record<string, string | number | boolean | null> = {}): void {
  send({ type: 'log', level, msg, fields });
}

function loadWrtc(): WrtcModule {
  const require = createRequire(import.meta.url);
  const wrtc = require('@roamhq/wrtc') as WrtcModule;
  // Constructing a peer connection proves the native binding works, not only that it loaded.
  const probe = new wrtc.RTCPeerConnection();
  probe.close();
  return wrtc;
}

if (!process.send) {
  console.error('server/media/embedded/child.ts must be started by the embedded transport (IPC channel missing)');
  process.exit(2);
}

function tryLoadWrtc(): WrtcModule | null {
  try {
    return loadWrtc();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const fatal: ChildToParent = { type: 'fatal', message: `could not load @roamhq/wrtc: ${reason}` };
    // Exit once the message has left; the timer covers a parent that stopped reading.
    process.send?.(fatal, undefined, {}, () => process.exit(1));
    setTimeout(() => process.exit(1), 1000);
    return null;
  }
}

function start(wrtc: WrtcModule): void {
  const sessions = new Map<number, ChildSession>();
  let shuttingDown = false;

  function shutdown(code: number): void {
    if (shuttingDown) return;
    shuttingDown = true;
    const closing: Promise<void>[] = [];
    for (const session of sessions.values()) {
      try {
        closing.push(session.close().catch(() => undefined));
      } catch {
        // Closing is best effort; exiting is what matters.
      }
    }
    sessions.clear();
    // Recordings finish their files (ffmpeg would also finish them on its own once our pipes
    // close, but then nobody would know); exiting is bounded all the same.
    const grace = new Promise((resolve) => setTimeout(resolve, SHUTDOWN_RECORDING_GRACE_MS));
    void Promise.race([Promise.all(closing), grace]).then(() => process.exit(code));
  }

  function runAsync(task: Promise<void>): void {
    task.catch((error: unknown) => {
      log('error', 'media task failed', { error: error instanceof Error ? error.name : 'Error' });
    });
  }

  function handle(message: ParentToChild): void {
    switch (message.type) {
      case 'open': {
        void sessions.get(message.handle)?.close();
        sessions.set(message.handle, new ChildSession(message.handle, message.iceServers, message.recorder, { wrtc, send, log }));
        return;
      }
      case 'offer':
        runAsync(sessions.get(message.handle)?.applyOffer(message.sdp) ?? Promise.resolve());
        return;
      case 'candidate':
        runAsync(sessions.get(message.handle)?.addCandidate(message.candidate) ?? Promise.resolve());
        return;
      case 'video-rate':
        sessions.get(message.handle)?.setVideoRate(message.fps);
        return;
      case 'audio-subscribe':
        sessions.get(message.handle)?.setAudioSubscribed(message.enabled);
        return;
      case 'send-audio':
        sessions.get(message.handle)?.enqueueAudio(message.samples, message.sampleRate, message.channels);
        return;
      case 'clear-audio':
        sessions.get(message.handle)?.clearAudio();
        return;
      case 'record-start': {
        const session = sessions.get(message.handle);
        const { requestId } = message;
        if (!session) {
          send({ type: 'reply', requestId, result: { recordingError: 'the media session is closed' } });
          return;
        }
        void session.startRecording(requestId, message.file).then((result) => send({ type: 'reply', requestId, result }));
        return;
      }
      case 'record-stop':
        sessions.get(message.handle)?.stopRecording(message.recordingId);
        return;
      case 'close': {
        const session = sessions.get(message.handle);
        sessions.delete(message.handle);
        const { requestId } = message;
        // A running recording is finalised and reported before the reply.
        void (session?.close() ?? Promise.resolve()).then(() => send({ type: 'reply', requestId, result: { closed: true } }));
        return;
      }
      case 'usage': {
        const cpu = process.cpuUsage();
        const pids = [...sessions.values()].map((session) => session.recorderPid).filter((pid) => pid !== null);
        const { requestId } = message;
        void totalUsage(pids).then((recorders) =>
          send({
            type: 'reply',
            requestId,
            result: { cpuMicros: cpu.user + cpu.system, rssBytes: process.memoryUsage.rss(), ...(process.platform === 'linux' ? { recorders } : {}) },
          }),
        );
        return;
      }
      case 'shutdown':
        shutdown(0);
        return;
    }
  }

  process.on('message', (message: ParentToChild) => {
    try {
      handle(message);
    } catch (error) {
      log('error', 'media message failed', { type: message.type, error: error instanceof Error ? error.name : 'Error' });
    }
  });
  // The server went away (crash or kill): do not linger as an orphan holding peers.
  process.on('disconnect', () => shutdown(0));
  process.on('SIGTERM', () => shutdown(0));
  process.on('SIGINT', () => {
    // The terminal's Ctrl-C reaches the whole process group; the server decides when we stop.
  });

  setInterval(() => {
    for (const session of sessions.values()) session.flushStats();
  }, STATS_INTERVAL_MS);

  send({ type: 'ready', pid: process.pid });
}

const loaded = tryLoadWrtc();
if (loaded) start(loaded);
