/**
 * Watches one live media session: pushes a view update when what the applicant sees about
 * their media changes, and records milestones (first frame, first audio) as session facts.
 */
import type { MediaSession, MediaStats, Unsubscribe } from '../media/index.ts';
import type { NewEvent } from '../store/index.ts';

const POLL_MS = 1000;
const AUDIO_PRESENT_PEAK = 300;

export interface MediaSummary {
  framesReceived: number;
  frameSize: { width: number; height: number } | null;
  audioChunksReceived: number;
  audioPeak: number;
  firstFrameMs: number | null;
  durationMs: number;
}

export class MediaWatch {
  private readonly openedAt = Date.now();
  private readonly timer: NodeJS.Timeout;
  private readonly offState: Unsubscribe;
  private sawFrame = false;
  private sawAudio = false;

  constructor(
    private readonly media: MediaSession,
    private readonly on: { changed: () => void; facts: (facts: Omit<NewEvent, 'at'>[]) => void },
  ) {
    this.offState = media.onStateChange((state) => {
      on.facts([{ type: 'MediaStateChanged', payload: { state } }]);
      on.changed();
    });
    this.timer = setInterval(() => this.poll(), POLL_MS);
    this.timer.unref();
  }

  private poll(): void {
    const stats = this.media.stats();
    const facts: Omit<NewEvent, 'at'>[] = [];
    if (!this.sawFrame && stats.framesReceived > 0) {
      this.sawFrame = true;
      facts.push({
        type: 'MediaFirstFrame',
        payload: {
          ...stats.lastFrameSize,
          firstFrameAtMs: stats.firstFrameAtMs,
          msSinceOpen: (stats.firstFrameAtMs ?? Date.now()) - this.openedAt,
        },
      });
    }
    if (!this.sawAudio && stats.audioPeak >= AUDIO_PRESENT_PEAK) {
      this.sawAudio = true;
      facts.push({ type: 'MediaFirstAudio', payload: { msSinceOpen: (stats.firstAudioAtMs ?? Date.now()) - this.openedAt } });
    }
    if (facts.length > 0) {
      this.on.facts(facts);
      this.on.changed();
    }
  }

  /** Stops watching and returns what the session received. */
  stop(): MediaSummary {
    clearInterval(this.timer);
    this.offState();
    return summarize(this.media.stats(), Date.now() - this.openedAt);
  }
}

function summarize(stats: MediaStats, durationMs: number): MediaSummary {
  return {
    framesReceived: stats.framesReceived,
    frameSize: stats.lastFrameSize,
    audioChunksReceived: stats.audioChunksReceived,
    audioPeak: stats.audioPeak,
    firstFrameMs: stats.firstFrameAtMs,
    durationMs,
  };
}
