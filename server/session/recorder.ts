/**
 * Records a session from the moment the applicant consents until it ends: on StartRecording the
 * current peer starts writing a fragmented MP4; every reconnect (a new peer) starts a new
 * segment while the dialogue state says recording is on; each finished segment is stored as a
 * `recording` artifact (its sha256 joins the session's chain) with its timing as a fact.
 * Nothing before consent is recorded. A segment cut short by a crash is stored as it is
 * (fragmented MP4 stays playable) and marked incomplete.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { DialogueState } from '../dialogue/index.ts';
import type { Logger } from '../log.ts';
import type { MediaSession, RecordingEnded } from '../media/index.ts';
import type { LiveMedia } from './live-media.ts';
import type { SessionService } from './service.ts';

export interface RecorderOptions {
  service: SessionService;
  liveMedia: LiveMedia;
  /** Where segments are written while they grow (under the data folder). */
  workDir: string;
  logger: Logger;
}

export class SessionRecorder {
  /** Sessions whose dialogue has recording on. */
  private readonly wanted = new Set<string>();
  /** The media each session is recording on now. */
  private readonly recording = new Map<string, MediaSession>();
  private readonly watched = new WeakSet<MediaSession>();
  private readonly pending = new Set<Promise<unknown>>();
  private readonly offs: (() => void)[] = [];

  constructor(private readonly o: RecorderOptions) {
    this.offs.push(
      o.service.onCommand((sessionId, command) => {
        if (command.type === 'StartRecording') this.start(sessionId);
        if (command.type === 'StopRecording') this.stop(sessionId);
      }),
      o.service.onEnded((sessionId) => this.stop(sessionId)),
      o.liveMedia.onAnyChange((sessionId, media) => {
        if (media && this.wanted.has(sessionId)) this.track(this.beginSegment(sessionId, media));
      }),
    );
  }

  /**
   * After a restart: sessions that were recording go on recording when their applicant
   * reconnects, and segments a crash left behind are stored as they are.
   */
  async restore(sessionIds: string[]): Promise<void> {
    for (const sessionId of sessionIds) {
      const state = this.o.service.get(sessionId).state as DialogueState;
      if (state.recording === true && state.status === 'active') this.wanted.add(sessionId);
      await this.adoptLeftovers(sessionId);
    }
  }

  async close(): Promise<void> {
    for (const off of this.offs) off();
    await Promise.allSettled([...this.pending]);
  }

  private start(sessionId: string): void {
    this.wanted.add(sessionId);
    const media = this.o.liveMedia.get(sessionId);
    if (media) this.track(this.beginSegment(sessionId, media));
  }

  private stop(sessionId: string): void {
    this.wanted.delete(sessionId);
    const media = this.recording.get(sessionId);
    if (media) this.track(media.stopRecording().catch(() => null)); // the ending is reported via onRecordingEnded
  }

  private async beginSegment(sessionId: string, media: MediaSession): Promise<void> {
    if (this.recording.get(sessionId) === media) return;
    const dir = path.join(this.o.workDir, sessionId);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const file = path.join(dir, `segment-${Date.now()}.mp4`);
    if (!this.watched.has(media)) {
      this.watched.add(media);
      media.onRecordingEnded((ended) => this.track(this.segmentEnded(sessionId, media, ended)));
    }
    this.recording.set(sessionId, media);
    try {
      await media.startRecording({ file });
      await this.o.service.recordFacts(sessionId, [{ type: 'RecordingStarted', payload: { segment: path.basename(file) } }]);
    } catch (error) {
      if (this.recording.get(sessionId) === media) this.recording.delete(sessionId);
      this.o.logger.error({ err: error, sessionId }, 'recording did not start');
      await this.o.service
        .recordFacts(sessionId, [{ type: 'RecordingFailed', payload: { reason: error instanceof Error ? error.message : 'unknown' } }])
        .catch(() => undefined);
    }
  }

  private async segmentEnded(sessionId: string, media: MediaSession, ended: RecordingEnded): Promise<void> {
    if (this.recording.get(sessionId) === media) this.recording.delete(sessionId);
    const result = ended.result;
    await this.storeSegment(sessionId, ended.file, {
      reason: ended.reason,
      complete: result !== null,
      ...(result
        ? {
            durationMs: result.durationMs,
            startedAt: new Date(result.startedAtMs).toISOString(),
            endedAt: new Date(result.endedAtMs).toISOString(),
            width: result.width,
            height: result.height,
            droppedVideoFrames: result.droppedVideoFrames,
          }
        : {}),
      ...(ended.error ? { error: ended.error } : {}),
    });
  }

  private async storeSegment(sessionId: string, file: string, details: Record<string, unknown>): Promise<void> {
    let bytes: Buffer;
    try {
      bytes = await fs.promises.readFile(file);
    } catch {
      return; // nothing was written
    }
    if (bytes.length === 0) {
      await fs.promises.rm(file, { force: true });
      return;
    }
    try {
      const artifact = await this.o.service.storeArtifact(sessionId, 'recording', 'video/mp4', bytes);
      await this.o.service.recordFacts(sessionId, [
        { type: 'RecordingSegmentStored', payload: { artifactId: artifact.id, sha256: artifact.sha256, bytes: bytes.length, ...details } },
      ]);
      await fs.promises.rm(file, { force: true });
    } catch (error) {
      // Keep the file: the next start (restore) stores it.
      this.o.logger.error({ err: error, sessionId }, 'recording segment not stored');
    }
  }

  private async adoptLeftovers(sessionId: string): Promise<void> {
    const dir = path.join(this.o.workDir, sessionId);
    let names: string[] = [];
    try {
      names = await fs.promises.readdir(dir);
    } catch {
      return;
    }
    for (const name of names.filter((n) => n.endsWith('.mp4')).sort()) {
      await this.storeSegment(sessionId, path.join(dir, name), { reason: 'server-restart', complete: false });
    }
  }

  private track<T>(promise: Promise<T>): void {
    this.pending.add(promise);
    void promise.finally(() => this.pending.delete(promise));
  }
}
