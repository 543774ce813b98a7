/** Guidance while the browser asks for the camera, and for each way that can fail. */
import type { MessageKey, Translate } from '../i18n.ts';
import { MessageCard } from '../ui.tsx';
import type { DeviceErrorReason } from './mediaErrors.ts';

export function DeviceRequest({ t }: { t: Translate }) {
  return (
    <MessageCard title={t('device.title')}>
      <p role="status">{t('device.requesting')}</p>
    </MessageCard>
  );
}

const TEXTS: Record<DeviceErrorReason, [MessageKey, MessageKey]> = {
  denied: ['device.denied.title', 'device.denied.body'],
  'not-found': ['device.notFound.title', 'device.notFound.body'],
  busy: ['device.busy.title', 'device.busy.body'],
  insecure: ['device.insecure.title', 'device.insecure.body'],
  other: ['device.other.title', 'device.other.body'],
};

export function DeviceError({
  t,
  reason,
  missing,
  onRetry,
}: {
  t: Translate;
  reason: DeviceErrorReason;
  missing: { camera: boolean; microphone: boolean } | null;
  onRetry(): void;
}) {
  const [title, body] = TEXTS[reason];
  return (
    <MessageCard title={t(title)} tone="warning" testId="device-error" extra={{ 'data-reason': reason }}>
      {reason === 'not-found' && missing?.camera && <p>{t('device.notFound.camera')}</p>}
      {reason === 'not-found' && missing?.microphone && <p>{t('device.notFound.microphone')}</p>}
      <p>{t(body)}</p>
      {reason === 'denied' && (
        <ul className="guidance">
          <li>{t('device.denied.desktop')}</li>
          <li>{t('device.denied.mobile')}</li>
        </ul>
      )}
      {reason !== 'insecure' && (
        <button type="button" className="button button--primary" onClick={onRetry}>
          {t('action.retry')}
        </button>
      )}
    </MessageCard>
  );
}
