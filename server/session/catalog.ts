/**
 * The scripts a session can run: the current version of each script id (from prompts/ at
 * startup) and every pinned version by content hash, so a session finishes on the version it
 * started with even after the files change or the server restarts.
 */
import { parseScript, type LoadedScript } from '../dialogue/index.ts';
import type { ScriptVersionRepository } from '../store/index.ts';

export class ScriptCatalog {
  private readonly current = new Map<string, LoadedScript>();
  private readonly byHashCache = new Map<string, LoadedScript>();

  constructor(
    loaded: LoadedScript[],
    private readonly versions: ScriptVersionRepository,
    now: () => Date = () => new Date(),
  ) {
    for (const s of loaded) {
      this.current.set(s.script.id, s);
      this.byHashCache.set(s.hash, s);
      // Persist every version we might pin, before any session can reference it.
      versions.save(s.hash, s.script.id, s.source, now().toISOString());
    }
  }

  /**
   * Makes `loaded` the version new sessions of its script id start on (the studio published it).
   * Sessions already running keep the hash they pinned.
   */
  setCurrent(loaded: LoadedScript): void {
    this.versions.save(loaded.hash, loaded.script.id, loaded.source, new Date().toISOString());
    this.current.set(loaded.script.id, loaded);
    this.byHashCache.set(loaded.hash, loaded);
  }

  ids(): string[] {
    return [...this.current.keys()];
  }

  latest(scriptId: string): LoadedScript | null {
    return this.current.get(scriptId) ?? null;
  }

  /** The exact version a session pinned; throws if it is neither loaded nor stored. */
  pinned(hash: string): LoadedScript {
    const cached = this.byHashCache.get(hash);
    if (cached) return cached;
    const stored = this.versions.get(hash);
    if (!stored) throw new Error(`script version ${hash} is not stored`);
    const loaded = parseScript(stored.source, `script-version:${hash.slice(0, 12)}`);
    this.byHashCache.set(hash, loaded);
    return loaded;
  }
}
