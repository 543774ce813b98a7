/** "Step 2 of 5" from view.progress, as text and as a bar. */
import type { SessionView } from '../../server/http/protocol.ts';
import type { Translate } from '../i18n.ts';
import { stepNumbers } from './sessionView.ts';

export function ProgressIndicator({ progress, t }: { progress: SessionView['progress']; t: Translate }) {
  const numbers = stepNumbers(progress);
  if (!numbers) return null;
  const label = t('progress.step', numbers);
  return (
    <div className="progress" data-testid="progress">
      <span className="progress__text">{label}</span>
      <progress className="progress__bar" value={numbers.current} max={numbers.total} aria-label={label} />
    </div>
  );
}
