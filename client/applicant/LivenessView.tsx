/**
 * The liveness step: the applicant's face inside an oval (mirrored, like a mirror), the current
 * instruction from the server's check ("blink", "turn a little more to your left") and progress.
 * The challenges are decided on the server; nothing here can pass or fail them.
 */
import { useEffect, useRef } from 'react';
import type { GuidanceMessage } from '../../server/http/protocol.ts';
import { isMessageKey, type Translate } from '../i18n.ts';

export interface LivenessViewProps {
  stream: MediaStream;
  guidance: GuidanceMessage | null;
  t: Translate;
}

export function LivenessView({ stream, guidance, t }: LivenessViewProps) {
  const video = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    if (video.current) video.current.srcObject = stream;
  }, [stream]);
  const code = guidance?.guidance?.code ?? '';
  const key = `liveness.${code || 'start'}`;
  const progress = guidance?.guidance?.progress ?? 0;
  return (
    <div className="liveness" data-testid="liveness">
      <div className="liveness__camera">
        <video ref={video} className="liveness__video" autoPlay muted playsInline />
        <div className="liveness__oval" aria-hidden="true" />
      </div>
      <p className="liveness__instruction" role="status" aria-live="assertive" data-testid="liveness-instruction" data-code={code}>
        {isMessageKey(key) ? t(key) : t('liveness.start')}
      </p>
      <progress className="liveness__progress" max={1} value={progress} aria-label={t('liveness.progress')} />
    </div>
  );
}
