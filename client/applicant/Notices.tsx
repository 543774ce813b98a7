/** Connection notices: another tab has the session, it moved elsewhere, or we lost the line. */
import type { Translate } from '../i18n.ts';
import { MessageCard } from '../ui.tsx';

export function SessionInUse({ t, onTakeOver }: { t: Translate; onTakeOver(): void }) {
  return (
    <MessageCard title={t('inUse.title')} tone="warning" testId="session-in-use">
      <p>{t('inUse.body')}</p>
      <button type="button" className="button button--primary" onClick={onTakeOver} data-testid="takeover-button">
        {t('inUse.takeover')}
      </button>
    </MessageCard>
  );
}

export function TakenOver({ t }: { t: Translate }) {
  return (
    <MessageCard title={t('takenOver.title')} testId="taken-over">
      <p>{t('takenOver.body')}</p>
      <button type="button" className="button" onClick={() => window.location.reload()}>
        {t('takenOver.back')}
      </button>
    </MessageCard>
  );
}

/** Non-blocking: the screen stays usable (and readable) underneath. */
export function ConnectionBanner({
  state,
  t,
  onReconnect,
}: {
  state: 'reconnecting' | 'closed';
  t: Translate;
  onReconnect(): void;
}) {
  if (state === 'reconnecting') {
    return (
      <div className="banner" role="status" data-testid="reconnecting-banner">
        <span className="spinner" aria-hidden="true" />
        {t('connection.reconnecting')}
      </div>
    );
  }
  return (
    <div className="banner" role="status" data-testid="connection-closed">
      {t('connection.closed')}
      <button type="button" className="button button--small" onClick={onReconnect}>
        {t('connection.reconnect')}
      </button>
    </div>
  );
}
