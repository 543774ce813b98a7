import { pickLocale, translator, type Locale } from './i18n.ts';
import { navigate } from './router.tsx';
import { MessageCard, PageFrame } from './ui.tsx';

export type NotFoundReason = 'page' | 'session' | 'expired';

const TITLES = {
  page: ['notFound.title', 'notFound.body'],
  session: ['sessionNotFound.title', 'sessionNotFound.body'],
  expired: ['sessionExpired.title', 'sessionExpired.body'],
} as const;

/** An unknown address, an unknown session link, or an expired one. */
export function NotFoundPage({ reason, locale }: { reason: NotFoundReason; locale?: Locale }) {
  const current = locale ?? pickLocale(navigator.languages ?? [navigator.language]);
  const t = translator(current);
  const [title, body] = TITLES[reason];
  return (
    <PageFrame locale={current}>
      <MessageCard title={t(title)} testId="not-found" extra={{ 'data-reason': reason }}>
        <p>{t(body)}</p>
        {reason === 'page' && (
          <p>
            <a
              href="/"
              onClick={(event) => {
                event.preventDefault();
                navigate('/');
              }}
            >
              {t('action.home')}
            </a>
          </p>
        )}
      </MessageCard>
    </PageFrame>
  );
}
