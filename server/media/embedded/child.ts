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
import { ChildSession, type WrtcModule } from './child-session.ts';

const STATS_INTERVAL_MS = 500;

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
    for (const session of sessions.values()) {
      try {
        session.close();
      } catch {
        // Closing is best effort; exiting is what matters.
      }
    }
    sessions.clear();
    process.exit(code);
  }

  function runAsync(task: Promise<void>): void {
    task.catch((error: unknown) => {
      log('error', 'media task failed', { error: error instanceof Error ? error.name : 'Error' });
    });
  }

  function handle(message: ParentToChild): void {
    switch (message.type) {
      case 'open': {
        sessions.get(message.handle)?.close();
        sessions.set(message.handle, new ChildSession(message.handle, message.iceServers, { wrtc, send, log }));
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
      case 'close':
        sessions.get(message.handle)?.close();
        sessions.delete(message.handle);
        send({ type: 'reply', requestId: message.requestId, result: { closed: true } });
        return;
      case 'usage': {
        const cpu = process.cpuUsage();
        send({
          type: 'reply',
          requestId: message.requestId,
          result: { cpuMicros: cpu.user + cpu.system, rssBytes: process.memoryUsage.rss() },
        });
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
