/**
 * The applicant's live media, per session, as verifiers need it: whichever MediaSession the
 * session has now (it changes on every reconnect), frames at the highest rate any consumer asks
 * for, and subscriptions that follow the session across reconnects.
 */
import type { AudioChunk, MediaSession, Unsubscribe, VideoFrame } from '../media/index.ts';

interface FrameConsumer {
  fps: number;
  listener: (frame: VideoFrame) => void;
  lastMs: number;
}

interface Entry {
  media: MediaSession | null;
  consumers: Set<FrameConsumer>;
  detach: Unsubscribe | null;
  changeListeners: Set<(media: MediaSession | null) => void>;
  audioListeners: Set<(chunk: AudioChunk) => void>;
  audioDetach: Unsubscribe | null;
}

export class LiveMedia {
  private readonly entries = new Map<string, Entry>();
  private readonly anyChange = new Set<(sessionId: string, media: MediaSession | null) => void>();

  /** Every session's media changes (the recorder starts a new segment on a new peer). */
  onAnyChange(listener: (sessionId: string, media: MediaSession | null) => void): Unsubscribe {
    this.anyChange.add(listener);
    return () => this.anyChange.delete(listener);
  }

  get(sessionId: string): MediaSession | null {
    return this.entries.get(sessionId)?.media ?? null;
  }

  /** The transport edge reports the session's current media (null when it closes). */
  set(sessionId: string, media: MediaSession | null): void {
    const entry = this.entry(sessionId);
    if (entry.media === media) return;
    entry.detach?.();
    entry.detach = null;
    entry.media = media;
    this.attach(entry);
    this.attachAudio(entry);
    for (const listener of entry.changeListeners) listener(media);
    for (const listener of this.anyChange) listener(sessionId, media);
    this.prune(sessionId, entry);
  }

  /** Sampled frames from the session's camera, across reconnects, until unsubscribed. */
  frames(sessionId: string, fps: number, listener: (frame: VideoFrame) => void): Unsubscribe {
    const entry = this.entry(sessionId);
    const consumer: FrameConsumer = { fps, listener, lastMs: -Infinity };
    entry.consumers.add(consumer);
    this.attach(entry);
    return () => {
      entry.consumers.delete(consumer);
      this.attach(entry);
      this.prune(sessionId, entry);
    };
  }

  /** The applicant's microphone (PCM batches), across reconnects, until unsubscribed. */
  audio(sessionId: string, listener: (chunk: AudioChunk) => void): Unsubscribe {
    const entry = this.entry(sessionId);
    entry.audioListeners.add(listener);
    this.attachAudio(entry);
    return () => {
      entry.audioListeners.delete(listener);
      this.attachAudio(entry);
      this.prune(sessionId, entry);
    };
  }

  onChange(sessionId: string, listener: (media: MediaSession | null) => void): Unsubscribe {
    const entry = this.entry(sessionId);
    entry.changeListeners.add(listener);
    return () => {
      entry.changeListeners.delete(listener);
      this.prune(sessionId, entry);
    };
  }

  /** (Re)subscribes the current media at the highest rate any consumer wants. */
  private attach(entry: Entry): void {
    entry.detach?.();
    entry.detach = null;
    const media = entry.media;
    if (!media) return;
    const fps = Math.max(0, ...[...entry.consumers].map((c) => c.fps));
    try {
      media.setVideoSampleRate(fps);
    } catch {
      return; // a closed media session: the next `set` brings a live one
    }
    if (fps === 0) return;
    entry.detach = media.onVideoFrame((frame) => {
      for (const consumer of entry.consumers) {
        // Each consumer gets about its own rate (10% slack for timer jitter).
        if (consumer.fps <= 0 || frame.timestampMs - consumer.lastMs < 900 / consumer.fps) continue;
        consumer.lastMs = frame.timestampMs;
        consumer.listener(frame);
      }
    });
  }

  private attachAudio(entry: Entry): void {
    entry.audioDetach?.();
    entry.audioDetach = null;
    if (!entry.media || entry.audioListeners.size === 0) return;
    try {
      entry.audioDetach = entry.media.onAudio((chunk) => {
        for (const listener of entry.audioListeners) listener(chunk);
      });
    } catch {
      // a closed media session: the next `set` brings a live one
    }
  }

  private entry(sessionId: string): Entry {
    let entry = this.entries.get(sessionId);
    if (!entry) {
      entry = { media: null, consumers: new Set(), detach: null, changeListeners: new Set(), audioListeners: new Set(), audioDetach: null };
      this.entries.set(sessionId, entry);
    }
    return entry;
  }

  private prune(sessionId: string, entry: Entry): void {
    if (!entry.media && entry.consumers.size === 0 && entry.changeListeners.size === 0 && entry.audioListeners.size === 0) this.entries.delete(sessionId);
  }
}
