/** Before the dialogue starts: camera preview, mic meter, language, and the Begin button. */
import { useState } from 'react';
import { LOCALE_NAMES, type Locale, type Translate } from '../i18n.ts';
import { useFocusOnMount } from '../ui.tsx';
import { describeFailure } from './failures.ts';
import { SelfView } from './SelfView.tsx';
import type { RequestResult } from './useSessionSocket.ts';

export interface ReadyPanelProps {
  stream: MediaStream;
  t: Translate;
  locale: Locale;
  locales: Locale[];
  onLocaleChange(locale: Locale): void;
  /** Media and socket are connected. */
  canBegin: boolean;
  onBegin(): Promise<RequestResult>;
}

export function ReadyPanel({ stream, t, locale, locales, onLocaleChange, canBegin, onBegin }: ReadyPanelProps) {
  const [inFlight, setInFlight] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const heading = useFocusOnMount<HTMLHeadingElement>();

  const begin = async () => {
    setInFlight(true);
    setError(null);
    const result = await onBegin();
    // On success the next view snapshot replaces this panel.
    setInFlight(false);
    if (!result.ok) setError(describeFailure(t, result));
  };

  return (
    <section className="ready" aria-labelledby="ready-title">
      <h1 id="ready-title" ref={heading} tabIndex={-1}>
        {t('ready.title')}
      </h1>
      <SelfView stream={stream} t={t} />
      <p>{t('ready.body')}</p>
      {locales.length > 1 && (
        <label className="ready__locale">
          <span>{t('language.label')}</span>
          <select value={locale} onChange={(event) => onLocaleChange(event.target.value as Locale)}>
            {locales.map((option) => (
              <option key={option} value={option} lang={option}>
                {LOCALE_NAMES[option]}
              </option>
            ))}
          </select>
        </label>
      )}
      <button
        type="button"
        className="button button--primary button--large"
        disabled={!canBegin || inFlight}
        onClick={() => void begin()}
        aria-describedby={canBegin ? undefined : 'ready-wait'}
        data-testid="begin-button"
      >
        {inFlight ? t('ready.beginning') : t('ready.begin')}
      </button>
      {!canBegin && (
        <p id="ready-wait" className="ready__wait">
          {t('ready.waitMedia')}
        </p>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
