/**
 * The assistant's current line as a large caption. While the line is being heard, the words
 * already said are marked, following the speech timings; otherwise the whole line shows.
 */
import { useEffect, useState } from 'react';
import { momentAt } from './timeline.ts';
import type { ActiveRun } from './useVoice.ts';

export function SpokenCaption({ text, run }: { text: string; run: ActiveRun | null }) {
  const [progress, setProgress] = useState<{ line: string; spokenTo: number } | null>(null);
  useEffect(() => {
    if (!run || run.startedAt === null) {
      setProgress(null);
      return;
    }
    let frame = 0;
    let last = -1;
    let lastLine = '';
    const tick = () => {
      const moment = momentAt(run, performance.now() - (run.startedAt as number));
      const line = moment.segment?.lineText ?? '';
      if (moment.spokenTo !== last || line !== lastLine) {
        last = moment.spokenTo;
        lastLine = line;
        setProgress(moment.segment ? { line, spokenTo: moment.spokenTo } : null);
      }
      frame = requestAnimationFrame(tick);
    };
    frame = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(frame);
  }, [run]);
  // Only the line on screen is marked (a reworded or older line shows whole).
  if (!progress || progress.line !== text) return <>{text}</>;
  return (
    <>
      <span className="caption__said">{text.slice(0, progress.spokenTo)}</span>
      <span className="caption__ahead">{text.slice(progress.spokenTo)}</span>
    </>
  );
}
