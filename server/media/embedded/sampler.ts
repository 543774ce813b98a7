/**
 * Decides which decoded frames to forward so that, on average, at most `fps` frames per second
 * go out. It drops frames, never queues them. Due times advance by whole intervals so a 15 fps
 * source sampled at 2 fps yields 2 fps on average, not the 1.875 fps a plain
 * "at least 500 ms since the last one" rule would give.
 */
export class FrameSampler {
  private intervalMs = 0;
  private nextDueMs = 0;

  get rate(): number {
    return this.intervalMs === 0 ? 0 : 1000 / this.intervalMs;
  }

  setRate(fps: number): void {
    this.intervalMs = fps > 0 ? 1000 / fps : 0;
    this.nextDueMs = 0;
  }

  /** True if the frame arriving at `nowMs` should be forwarded. */
  take(nowMs: number): boolean {
    if (this.intervalMs === 0 || nowMs < this.nextDueMs) return false;
    // More than one interval late (start, or a slow source): restart the schedule from now.
    this.nextDueMs =
      nowMs - this.nextDueMs >= this.intervalMs ? nowMs + this.intervalMs : this.nextDueMs + this.intervalMs;
    return true;
  }
}
