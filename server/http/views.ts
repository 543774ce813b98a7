/** Builds a session's SessionView from storage plus its live media (if connected). */
import type { Store } from '../store/index.ts';
import { buildView, type LiveMedia, type ScriptCatalog, type SessionService } from '../session/index.ts';
import type { SessionView } from './protocol.ts';

export class ViewBuilder {
  constructor(
    private readonly service: SessionService,
    private readonly catalog: ScriptCatalog,
    private readonly store: Store,
    private readonly liveMedia: LiveMedia,
  ) {}

  build(sessionId: string): SessionView {
    const record = this.service.get(sessionId);
    const media = this.liveMedia.get(sessionId);
    return buildView(
      record,
      this.catalog.pinned(record.scriptHash),
      this.store.events.list(sessionId),
      media ? { state: media.state, stats: media.stats() } : null,
    );
  }
}
