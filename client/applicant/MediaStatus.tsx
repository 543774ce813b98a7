/** The video connection's state, with a way to try again when it failed. */
import type { Translate } from '../i18n.ts';
import type { MediaState } from './signaling.ts';

const TEXT = { connecting: 'media.connecting', connected: 'media.connected', failed: 'media.failed' } as const;

export function MediaStatus({ state, t, onRetry }: { state: MediaState; t: Translate; onRetry(): void }) {
  return (
    <div className="media-status">
      <p className="media-status__text" data-testid="media-status" data-state={state} role="status">
        <span className={`status-dot status-dot--${state}`} aria-hidden="true" />
        {t(TEXT[state])}
      </p>
      {state === 'failed' && (
        <button type="button" className="button button--small" onClick={onRetry}>
          {t('media.reconnect')}
        </button>
      )}
    </div>
  );
}
