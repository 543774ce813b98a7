/** The decision form (approve / reject / request a redo, with a required note) and the history. */
import { useId, useState, type FormEvent } from 'react';
import { useStaffLocale } from '../staff/index.ts';
import { postDecision, type DecisionRecord, type SessionDetail } from './requests.ts';
import { dateTime, decisionLabel } from './labels.ts';

const DECISIONS = ['approve', 'reject', 'request_redo'] as const;

export function DecisionPanel({ detail, onDecided }: { detail: SessionDetail; onDecided: (decisions: DecisionRecord[]) => void }) {
  const { t, locale } = useStaffLocale();
  const noteId = useId();
  const hintId = useId();
  const [decision, setDecision] = useState<string>('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    if (!decision) return setError(t('review.decide.chooseOne'));
    if (note.trim().length < 3) return setError(t('review.decide.noteRequired'));
    setSaving(true);
    try {
      const result = await postDecision(detail.session.id, decision, note.trim());
      onDecided(result.decisions);
      setNote('');
      setDecision('');
      setError(null);
      setSaved(true);
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setSaving(false);
    }
  };

  return (
    <section className="review-panel review-decision" aria-labelledby="decision-heading" data-testid="panel-decision">
      <h2 id="decision-heading">{t('review.decide.title')}</h2>
      {detail.decision && (
        <p data-testid="current-decision">
          {t('review.decide.current', { decision: decisionLabel(t, detail.decision.decision), who: detail.decision.staffEmail, at: dateTime(detail.decision.at, locale) })}
        </p>
      )}
      {!detail.decidable.ok ? (
        <p className="card card--warning" data-testid="not-decidable">
          {t('review.decide.notYet', { reason: detail.decidable.reason ?? '' })}
        </p>
      ) : (
        <form onSubmit={(event) => void submit(event)} noValidate>
          <fieldset>
            <legend>{t('review.decide.choose')}</legend>
            {DECISIONS.map((value) => (
              <label key={value} className="review-radio">
                <input type="radio" name="decision" value={value} checked={decision === value} onChange={() => setDecision(value)} data-testid={`decision-${value}`} />
                {t(`review.decide.${value}`)}
              </label>
            ))}
          </fieldset>
          <label htmlFor={noteId}>{t('review.decide.note')}</label>
          <textarea
            id={noteId}
            value={note}
            onChange={(event) => setNote(event.target.value)}
            required
            minLength={3}
            maxLength={4000}
            rows={4}
            aria-describedby={hintId}
            aria-invalid={error !== null && note.trim().length < 3}
            data-testid="decision-note"
          />
          <p id={hintId} className="review-muted">
            {t('review.decide.noteHint')}
          </p>
          {error && (
            <p className="review-alert" role="alert" data-testid="decision-error">
              {error}
            </p>
          )}
          {saved && (
            <p role="status" data-testid="decision-saved">
              {t('review.decide.saved')}
            </p>
          )}
          <button className="button button--primary" type="submit" disabled={saving} data-testid="decision-submit">
            {saving ? t('review.decide.saving') : t('review.decide.submit')}
          </button>
        </form>
      )}
      {detail.decisions.length > 0 && (
        <>
          <h3>{t('review.decide.history')}</h3>
          <ol className="review-list" data-testid="decision-history">
            {[...detail.decisions].reverse().map((entry) => (
              <li key={entry.seq}>
                <strong>{decisionLabel(t, entry.decision)}</strong> · {entry.staffEmail} · {dateTime(entry.at, locale)}
                <p className="review-note">{entry.note}</p>
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}
