/**
 * The document step's capture screen: a frame guide over the camera, live guidance from the
 * server's check ("move closer"), and a way to send a full-resolution photo instead.
 */
import { useEffect, useRef, useState } from 'react';
import type { GuidanceMessage } from '../../server/http/protocol.ts';
import { isMessageKey, type Translate } from '../i18n.ts';
import { captureStill, uploadStill } from './stillCapture.ts';

export interface DocumentCaptureProps {
  token: string;
  stream: MediaStream;
  uploadLabel: string;
  guidance: GuidanceMessage | null;
  offline: boolean;
  t: Translate;
}

export function DocumentCapture({ token, stream, uploadLabel, guidance, offline, t }: DocumentCaptureProps) {
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<'idle' | 'sent' | 'failed'>('idle');
  const fileInput = useRef<HTMLInputElement>(null);
  const video = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    if (video.current) video.current.srcObject = stream;
  }, [stream]);
  const code = guidance?.guidance?.code;
  const key = code ? `guidance.${code}` : 'guidance.waiting';
  const hint = isMessageKey(key) ? t(key) : t('guidance.waiting');

  const send = async (image: Promise<Blob> | Blob) => {
    setBusy(true);
    setStatus('idle');
    try {
      const result = await uploadStill(token, await image);
      setStatus(result.ok ? 'sent' : 'failed');
    } catch {
      setStatus('failed');
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="document-capture" data-testid="document-capture">
      {/* Not mirrored, unlike the self-view: the document's text must read the right way round. */}
      <div className="document-capture__camera">
        <video ref={video} className="document-capture__video" autoPlay muted playsInline />
        <div className="document-capture__guide" aria-hidden="true" />
      </div>
      <p className="document-capture__hint" role="status" aria-live="polite" data-testid="document-guidance" data-code={code ?? ''}>
        {hint}
      </p>
      <div className="document-capture__actions">
        <button
          type="button"
          className="button"
          disabled={busy || offline}
          onClick={() => void send(captureStill(stream))}
          data-testid="document-photo"
        >
          {busy ? t('capture.sending') : uploadLabel}
        </button>
        <button type="button" className="button button--link" disabled={busy || offline} onClick={() => fileInput.current?.click()}>
          {t('capture.chooseFile')}
        </button>
        <input
          ref={fileInput}
          type="file"
          accept="image/jpeg,image/png,image/webp"
          capture="environment"
          hidden
          onChange={(event) => {
            const file = event.target.files?.[0];
            if (file) void send(file);
            event.target.value = '';
          }}
        />
      </div>
      {status === 'sent' && <p className="answer__note">{t('capture.sent')}</p>}
      {status === 'failed' && (
        <p className="form-error" role="alert">
          {t('capture.failed')}
        </p>
      )}
    </div>
  );
}
