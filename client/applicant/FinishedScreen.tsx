/** The end of a session: what happened and the reference to quote to the lender. */
import { useState } from 'react';
import type { SessionView } from '../../server/http/protocol.ts';
import { translator, type MessageKey } from '../i18n.ts';
import { MessageCard, PageFrame } from '../ui.tsx';
import '../styles/contract.css';

const TEXTS: Partial<Record<SessionView['status'], [MessageKey, MessageKey, 'success' | 'neutral' | 'warning']>> = {
  completed: ['finished.completed.title', 'finished.completed.body', 'success'],
  declined: ['finished.declined.title', 'finished.declined.body', 'neutral'],
  review: ['finished.review.title', 'finished.review.body', 'neutral'],
  interrupted: ['finished.interrupted.title', 'finished.interrupted.body', 'warning'],
};

/** `token` lets the applicant download their signed contract (when the session sealed one). */
export function FinishedScreen({ view, token }: { view: SessionView; token?: string }) {
  const t = translator(view.locale);
  const [title, body, tone] = TEXTS[view.status] ?? ['finished.other.title', 'finished.other.body', 'neutral'];
  const [copied, setCopied] = useState(false);
  const copy = () => {
    navigator.clipboard?.writeText(view.reference).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  };
  return (
    <PageFrame locale={view.locale}>
      <MessageCard title={t(title)} tone={tone} testId="finished" extra={{ 'data-status': view.status }}>
        <p>{t(body)}</p>
        <div className="reference">
          <p className="reference__label" id="reference-label">
            {t('finished.reference')}
          </p>
          <p className="reference__row">
            <output className="reference__value" data-testid="session-reference" aria-labelledby="reference-label">
              {view.reference}
            </output>
            {typeof navigator.clipboard?.writeText === 'function' && (
              <button type="button" className="button button--small" onClick={copy}>
                {copied ? t('finished.copied') : t('finished.copy')}
              </button>
            )}
          </p>
          <p className="reference__hint">{t('finished.referenceHint')}</p>
        </div>
        {view.contract && token && (
          <div className="downloads" data-testid="downloads">
            <p className="reference__label">{t('finished.downloadsTitle')}</p>
            <a className="button" href={`/api/sessions/${encodeURIComponent(token)}/contract.pdf`} download data-testid="download-contract">
              {t('finished.downloadContract')}
            </a>
            <a className="button" href={`/api/sessions/${encodeURIComponent(token)}/contract-record.json`} download data-testid="download-record">
              {t('finished.downloadRecord')}
            </a>
            <p className="reference__hint">{t('finished.downloadsHint')}</p>
          </div>
        )}
      </MessageCard>
    </PageFrame>
  );
}
