/** Step timers of running sessions (in memory; re-armed from stored state after a restart). */
export class SessionTimers {
  private readonly handles = new Map<string, Map<string, NodeJS.Timeout>>();

  constructor(private readonly fire: (sessionId: string, stepId: string, timerId: string) => void) {}

  arm(sessionId: string, stepId: string, timerId: string, ms: number): void {
    this.cancel(sessionId, timerId);
    const forSession = this.handles.get(sessionId) ?? new Map<string, NodeJS.Timeout>();
    this.handles.set(sessionId, forSession);
    const handle = setTimeout(() => {
      forSession.delete(timerId);
      this.fire(sessionId, stepId, timerId);
    }, ms);
    handle.unref();
    forSession.set(timerId, handle);
  }

  cancel(sessionId: string, timerId: string): void {
    const forSession = this.handles.get(sessionId);
    const handle = forSession?.get(timerId);
    if (handle) clearTimeout(handle);
    forSession?.delete(timerId);
  }

  clearSession(sessionId: string): void {
    for (const handle of this.handles.get(sessionId)?.values() ?? []) clearTimeout(handle);
    this.handles.delete(sessionId);
  }

  clearAll(): void {
    for (const id of [...this.handles.keys()]) this.clearSession(id);
  }
}
