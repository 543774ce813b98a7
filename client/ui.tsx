/** Small shared pieces of UI: the page frame, focus on mount, document language. */
import { useEffect, useRef, type ReactNode } from 'react';
import { translate, type Locale } from './i18n.ts';

/** Sets <html lang> and the tab title for the locale in use. */
export function useDocumentLocale(locale: Locale): void {
  useEffect(() => {
    document.documentElement.lang = locale;
    document.title = translate(locale, 'app.title');
  }, [locale]);
}

/** A ref to focus when the element mounts (headings of new screens, for screen readers). */
export function useFocusOnMount<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  useEffect(() => {
    ref.current?.focus({ preventScroll: false });
  }, []);
  return ref;
}

export function PageFrame({ locale, aside, children }: { locale: Locale; aside?: ReactNode; children: ReactNode }) {
  useDocumentLocale(locale);
  return (
    <div className="page">
      <header className="page__header">
        <span className="brand" aria-hidden="true">
          <span className="brand__mark" />
          {translate(locale, 'app.name')}
        </span>
        {aside}
      </header>
      <main className="page__main" id="main">
        {children}
      </main>
    </div>
  );
}

/** A centred card with a heading that takes focus: used for every full-screen message. */
export function MessageCard({
  title,
  children,
  testId,
  tone = 'neutral',
  extra,
}: {
  title: string;
  children?: ReactNode;
  testId?: string;
  tone?: 'neutral' | 'warning' | 'success';
  extra?: Record<`data-${string}`, string>;
}) {
  const heading = useFocusOnMount<HTMLHeadingElement>();
  return (
    <section className={`card card--${tone}`} data-testid={testId} {...extra}>
      <h1 ref={heading} tabIndex={-1}>
        {title}
      </h1>
      {children}
    </section>
  );
}
