/**
 * /s/:token. Looks the session up over HTTP first: an unknown or expired link, or a finished
 * session, is shown without asking for the camera. Otherwise the live session takes over.
 */
import { useCallback, useEffect, useState } from 'react';
import { fetchSession, takePrefetchedSession, type SessionLookup } from '../http.ts';
import { pickLocale, translator } from '../i18n.ts';
import { NotFoundPage } from '../NotFoundPage.tsx';
import { MessageCard, PageFrame } from '../ui.tsx';
import { FinishedScreen } from './FinishedScreen.tsx';
import { LiveSession } from './LiveSession.tsx';
import { isFinished } from './sessionView.ts';
import '../styles/session.css';

type Lookup = { state: 'loading' } | { state: 'failed' } | ({ state: 'done' } & SessionLookup);

export function SessionPage({ token }: { token: string }) {
  const [lookup, setLookup] = useState<Lookup>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);
  /** The socket refused the session as ended: never connect again, whatever the lookup says. */
  const [ended, setEnded] = useState(false);

  useEffect(() => {
    const abort = new AbortController();
    (takePrefetchedSession(token) ?? fetchSession(token, abort.signal)).then(
      (result) => setLookup({ state: 'done', ...result }),
      (error: unknown) => {
        if (abort.signal.aborted) return;
        console.warn('attest: could not load the session', error);
        setLookup({ state: 'failed' });
      },
    );
    return () => abort.abort();
  }, [token, attempt]);

  /** Looks the session up again (the socket said it ended: find out how). */
  const refresh = useCallback(() => {
    setLookup({ state: 'loading' });
    setAttempt((n) => n + 1);
  }, []);
  const onEnded = useCallback(() => {
    setEnded(true);
    refresh();
  }, [refresh]);

  const browserLocale = pickLocale(navigator.languages ?? [navigator.language]);
  if (lookup.state === 'loading') {
    return (
      <PageFrame locale={browserLocale}>
        <p className="loading" role="status">
          {translator(browserLocale)('session.loading')}
        </p>
      </PageFrame>
    );
  }
  if (lookup.state === 'failed') {
    const t = translator(browserLocale);
    return (
      <PageFrame locale={browserLocale}>
        <MessageCard title={t('session.loadFailed')} tone="warning">
          <button type="button" className="button button--primary" onClick={refresh}>
            {t('action.retry')}
          </button>
        </MessageCard>
      </PageFrame>
    );
  }
  if (lookup.kind === 'not-found') return <NotFoundPage reason="session" locale={browserLocale} />;
  const { view } = lookup;
  if (view.status === 'expired') return <NotFoundPage reason="expired" locale={view.locale} />;
  if (isFinished(view.status) || ended) return <FinishedScreen view={view} token={token} />;
  return <LiveSession token={token} initialView={view} onEnded={onEnded} />;
}
