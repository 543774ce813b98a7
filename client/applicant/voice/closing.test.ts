import { describe, expect, it } from 'vitest';
import { CLOSING_LINE_GRACE_MS, CLOSING_LINE_MAX_MS, CLOSING_LINE_UNHEARD_MS, closingLineMs } from './closing.ts';
import type { ActiveRun } from './useVoice.ts';

function run(startedAt: number | null, segments: [offsetMs: number, durationMs: number][]): ActiveRun {
  return {
    runId: 'r1',
    startedAt,
    segments: segments.map(([offsetMs, durationMs]) => ({ offsetMs, durationMs }) as ActiveRun['segments'][number]),
  };
}

describe('closing line', () => {
  it('hangs up at once when the assistant does not speak or the applicant chose text only', () => {
    expect(closingLineMs({ run: run(0, [[0, 3000]]), speaking: false, textOnly: false }, 0)).toBe(0);
    expect(closingLineMs({ run: run(0, [[0, 3000]]), speaking: true, textOnly: true }, 0)).toBe(0);
  });

  it('waits for the rest of the line being heard, plus a short tail', () => {
    expect(closingLineMs({ run: run(1000, [[0, 1200], [1200, 1800]]), speaking: true, textOnly: false }, 2000)).toBe(2300);
    // Already over: only the tail.
    expect(closingLineMs({ run: run(0, [[0, 500]]), speaking: true, textOnly: false }, 10_000)).toBe(300);
  });

  it('gives the closing words a moment to arrive, and bounds every wait', () => {
    expect(closingLineMs({ run: null, speaking: true, textOnly: false }, 0)).toBe(CLOSING_LINE_GRACE_MS);
    expect(closingLineMs({ run: run(null, [[0, 3000]]), speaking: true, textOnly: false }, 0)).toBe(CLOSING_LINE_UNHEARD_MS);
    expect(closingLineMs({ run: run(0, [[0, 600_000]]), speaking: true, textOnly: false }, 0)).toBe(CLOSING_LINE_MAX_MS);
  });
});
