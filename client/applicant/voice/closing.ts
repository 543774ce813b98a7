/**
 * How long a finished session keeps its media up so the assistant's closing line ("Thank you,
 * you're done") is heard to the end instead of being cut off when the page switches to the
 * finished screen. Pure, so the rule is testable without a browser.
 */
import { runEndMs } from './timeline.ts';
import type { VoiceState } from './useVoice.ts';

/** The closing line's words may arrive just after the status change that ends the session. */
export const CLOSING_LINE_GRACE_MS = 1000;
/** Its start may not be audible (blocked autoplay): give up on hearing it start after this. */
export const CLOSING_LINE_UNHEARD_MS = 4000;
/** Never hold the camera and the connection longer than this for a closing line. */
export const CLOSING_LINE_MAX_MS = 20_000;
/** The audio reaches the speaker a little after the run's clock says it ended. */
const TAIL_MS = 300;

export function closingLineMs(speech: Pick<VoiceState, 'run' | 'speaking' | 'textOnly'>, now: number): number {
  if (!speech.speaking || speech.textOnly) return 0;
  const { run } = speech;
  if (!run) return CLOSING_LINE_GRACE_MS;
  if (run.startedAt === null) return CLOSING_LINE_UNHEARD_MS;
  return Math.min(CLOSING_LINE_MAX_MS, Math.max(0, run.startedAt + runEndMs(run) - now) + TAIL_MS);
}
