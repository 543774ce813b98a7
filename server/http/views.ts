/** Builds a session's SessionView from storage plus its live media (if connected). */
import type { MediaSession } from '../media/index.ts';
import type { Store } from '../store/index.ts';
import { buildView, type ScriptCatalog, type SessionService } from '../session/index.ts';
import type { SessionView } from './protocol.ts';

export class ViewBuilder {
  private readonly media = new Map<string, MediaSession>();

  constructor(
    private readonly service: SessionService,
    private readonly catalog: ScriptCatalog,
    private readonly store: Store,
  ) {}

  /** The live media of a session, so views show its state; null when it closes. */
  setMedia(sessionId: string, media: MediaSession | null): void {
    if (media) this.media.set(sessionId, media);
    else this.media.delete(sessionId);
  }

  build(sessionId: string): SessionView {
    const record = this.service.get(sessionId);
    const media = this.media.get(sessionId);
    return buildView(
      record,
      this.catalog.pinned(record.scriptHash),
      this.store.events.list(sessionId),
      media ? { state: media.state, stats: media.stats() } : null,
    );
  }
}
