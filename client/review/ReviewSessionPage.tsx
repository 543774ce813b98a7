/** /review/:sessionId: the recording with its timeline, the evidence, the decision and the export. */
import { useEffect, useState } from 'react';
import { StaffGate, useStaffLocale } from '../staff/index.ts';
import { bundleUrl, fetchDetail, type SessionDetail } from './requests.ts';
import { DecisionPanel } from './DecisionPanel.tsx';
import { EvidencePanels } from './EvidencePanels.tsx';
import { dateTime, flagLabel, statusLabel } from './labels.ts';
import { Player } from './Player.tsx';
import { ReviewNav } from './ReviewNav.tsx';
import '../styles/review.css';

export function ReviewSessionPage({ sessionId }: { sessionId: string }) {
  return (
    <StaffGate roles={['reviewer']}>
      <SessionReview sessionId={sessionId} />
    </StaffGate>
  );
}

function SessionReview({ sessionId }: { sessionId: string }) {
  const { t, locale } = useStaffLocale();
  const [detail, setDetail] = useState<SessionDetail | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    fetchDetail(sessionId, controller.signal).then(setDetail, (failure: Error) => !controller.signal.aborted && setError(failure.message));
    return () => controller.abort();
  }, [sessionId]);

  if (error) {
    return (
      <main className="review" id="main">
        <ReviewNav current="session" />
        <p className="card card--warning" role="alert" data-testid="review-error">
          {t('review.error', { message: error })}
        </p>
      </main>
    );
  }
  if (!detail) {
    return (
      <main className="review" id="main">
        <ReviewNav current="session" />
        <p className="loading" role="status">
          {t('review.loading')}
        </p>
      </main>
    );
  }
  const { session } = detail;
  return (
    <main className="review" id="main" data-testid="review-session" data-session-id={session.id}>
      <ReviewNav current="session" />
      <header className="review-session__header">
        <div>
          <h1>
            {t('review.session.title', { reference: session.reference })}{' '}
            <span className={`review-status review-status--${session.status}`} data-testid="session-status">
              {statusLabel(t, session.status)}
            </span>
          </h1>
          <p className="review-muted">
            {session.scriptId} · {session.locale} · {t('review.session.created', { at: dateTime(session.createdAt, locale) })}
            {session.endedAt && ` · ${t('review.session.ended', { at: dateTime(session.endedAt, locale) })}`}
          </p>
          {detail.flags.length > 0 && (
            <ul className="review-flags" aria-label={t('review.risk.title')}>
              {detail.flags.map((flag) => (
                <li key={flag} className="review-flag">
                  {flagLabel(t, flag)}
                </li>
              ))}
            </ul>
          )}
        </div>
        <a className="button" href={bundleUrl(session.id)} download data-testid="export-bundle">
          {t('review.session.export')}
        </a>
      </header>
      <div className="review-session__layout">
        <div className="review-session__main">
          <Player detail={detail} />
          <EvidencePanels detail={detail} />
        </div>
        <aside className="review-session__side">
          <DecisionPanel
            detail={detail}
            onDecided={(decisions) => setDetail({ ...detail, decisions, decision: decisions.at(-1) ?? null })}
          />
        </aside>
      </div>
    </main>
  );
}
