/** The applicant's own camera, mirrored and muted, with a microphone level meter. */
import { useEffect, useRef, useState } from 'react';
import type { Translate } from '../i18n.ts';
import { HEARD_LEVEL } from './audioLevel.ts';
import { useMicLevel } from './useMicLevel.ts';

export function SelfView({ stream, t, compact = false }: { stream: MediaStream; t: Translate; compact?: boolean }) {
  const videoRef = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const video = videoRef.current;
    if (video && video.srcObject !== stream) video.srcObject = stream;
  }, [stream]);
  return (
    <figure className={compact ? 'self-view self-view--compact' : 'self-view'}>
      <video
        ref={videoRef}
        className="self-view__video"
        data-testid="self-view"
        autoPlay
        muted
        playsInline
        aria-label={t('selfView.label')}
      />
      <MicMeter stream={stream} t={t} compact={compact} />
    </figure>
  );
}

function MicMeter({ stream, t, compact }: { stream: MediaStream; t: Translate; compact: boolean }) {
  const barRef = useRef<HTMLSpanElement>(null);
  const [heard, setHeard] = useState(false);
  useMicLevel(stream, (level) => {
    barRef.current?.style.setProperty('--level', level.toFixed(3));
    if (level >= HEARD_LEVEL && !heard) setHeard(true);
  });
  return (
    <figcaption className="mic-meter">
      <span className="mic-meter__track" role="img" aria-label={t('mic.label')}>
        <span ref={barRef} className="mic-meter__bar" data-testid="mic-level" />
      </span>
      {!compact && (
        <span className="mic-meter__text" role="status">
          {heard ? t('mic.heard') : t('mic.speak')}
        </span>
      )}
    </figcaption>
  );
}
