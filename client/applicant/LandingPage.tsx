/** What Attest will do, what the applicant needs, a language choice, and Start. */
import { useState, type FormEvent } from 'react';
import { createSession } from '../http.ts';
import { LOCALE_NAMES, SUPPORTED_LOCALES, pickLocale, translator, type Locale } from '../i18n.ts';
import { navigate, pathOfLink } from '../router.tsx';
import { PageFrame, useFocusOnMount } from '../ui.tsx';
import '../styles/landing.css';

const STEPS = [
  'landing.step.consent',
  'landing.step.questions',
  'landing.step.document',
  'landing.step.liveness',
  'landing.step.contract',
] as const;

const NEEDS = [
  'landing.need.camera',
  'landing.need.microphone',
  'landing.need.document',
  'landing.need.time',
  'landing.need.quiet',
] as const;

export function LandingPage() {
  const [locale, setLocale] = useState<Locale>(() => pickLocale(navigator.languages ?? [navigator.language]));
  const [starting, setStarting] = useState(false);
  const [failed, setFailed] = useState(false);
  const heading = useFocusOnMount<HTMLHeadingElement>();
  const t = translator(locale);

  const start = async (event: FormEvent) => {
    event.preventDefault();
    setStarting(true);
    setFailed(false);
    try {
      const created = await createSession(locale);
      navigate(pathOfLink(created.link, window.location.href));
    } catch (error) {
      console.warn('attest: could not create a session', error);
      setFailed(true);
      setStarting(false);
    }
  };

  return (
    <PageFrame locale={locale}>
      <form className="landing" onSubmit={start}>
        <h1 ref={heading} tabIndex={-1}>
          {t('landing.title')}
        </h1>
        <p className="landing__lead">{t('landing.lead')}</p>

        <fieldset className="locale-picker">
          <legend>{t('language.label')}</legend>
          {SUPPORTED_LOCALES.map((option) => (
            <label key={option} className="locale-picker__option" lang={option}>
              <input
                type="radio"
                name="locale"
                value={option}
                checked={locale === option}
                onChange={() => setLocale(option)}
                data-testid={`locale-${option}`}
              />
              <span>{LOCALE_NAMES[option]}</span>
            </label>
          ))}
        </fieldset>

        <section aria-labelledby="landing-steps">
          <h2 id="landing-steps">{t('landing.stepsTitle')}</h2>
          <ol className="landing__steps">
            {STEPS.map((key) => (
              <li key={key}>{t(key)}</li>
            ))}
          </ol>
        </section>

        <section aria-labelledby="landing-needs">
          <h2 id="landing-needs">{t('landing.needsTitle')}</h2>
          <ul className="landing__needs">
            {NEEDS.map((key) => (
              <li key={key}>
                <span aria-hidden="true" className="landing__check" />
                {t(key)}
              </li>
            ))}
          </ul>
        </section>

        <section aria-labelledby="landing-privacy" className="landing__privacy">
          <h2 id="landing-privacy">{t('landing.privacyTitle')}</h2>
          <p>{t('landing.privacy')}</p>
        </section>

        {failed && (
          <p className="form-error" role="alert">
            {t('landing.startFailed')}
          </p>
        )}
        <button type="submit" className="button button--primary button--large" disabled={starting} data-testid="start-button">
          {starting ? t('landing.starting') : t('landing.start')}
        </button>
      </form>
    </PageFrame>
  );
}
