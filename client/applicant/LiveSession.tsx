/**
 * A session that is not finished: device check, then socket + media, then the Begin panel or
 * the conversation. Reconnects and takeovers are handled here; the screen itself is always
 * drawn from the latest SessionView snapshot.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { Locale, SessionView } from '../../server/http/protocol.ts';
import { translator } from '../i18n.ts';
import { NotFoundPage } from '../NotFoundPage.tsx';
import { PageFrame } from '../ui.tsx';
import { Conversation } from './Conversation.tsx';
import { DeviceError, DeviceRequest } from './DeviceCheck.tsx';
import { FinishedScreen } from './FinishedScreen.tsx';
import { MediaStatus } from './MediaStatus.tsx';
import { ConnectionBanner, SessionInUse, TakenOver } from './Notices.tsx';
import { ProgressIndicator } from './ProgressIndicator.tsx';
import { ReadyPanel } from './ReadyPanel.tsx';
import { isFinished } from './sessionView.ts';
import { usePeerConnection } from './usePeerConnection.ts';
import { resumeAudio } from './useMicLevel.ts';
import { useSessionSocket } from './useSessionSocket.ts';
import { useUserMedia } from './useUserMedia.ts';
import { closingLineMs } from './voice/closing.ts';
import { useVoice } from './voice/useVoice.ts';

export interface LiveSessionProps {
  token: string;
  initialView: SessionView;
  /** The server refused the socket because the session ended. */
  onEnded(): void;
}

export function LiveSession({ token, initialView, onEnded }: LiveSessionProps) {
  const media = useUserMedia();
  const stream = media.state === 'ready' ? media.stream : null;
  const [snapshotFinished, setSnapshotFinished] = useState(false);
  // Connect while the browser is still asking for the camera: signaling is ready the moment
  // the stream is, which is most of the time to the first frame at the server.
  const connection = useSessionSocket(token, !snapshotFinished && media.state !== 'error');
  const view = connection.view ?? initialView;
  const finished = isFinished(view.status) || view.status === 'expired';
  // A finished session hangs up only once the assistant's closing line has played.
  const [closingDone, setClosingDone] = useState(false);
  const hangUp = finished && (closingDone || view.status === 'expired');
  const { status } = connection;
  const stopped = hangUp || status === 'taken-over' || status === 'not-found' || status === 'expired' || status === 'ended';

  const audioRef = useRef<HTMLAudioElement>(null);
  const mediaConfig = status === 'connected' && !stopped ? connection.mediaConfig : null;
  const peer = usePeerConnection(connection.socket, stream, mediaConfig, audioRef);

  const speech = useVoice(status === 'connected' ? connection.socket : null, peer.remoteAudio);
  // Text-only: the assistant's voice is not played (the server stops sending it too).
  useEffect(() => {
    if (audioRef.current) audioRef.current.muted = speech.textOnly;
  }, [speech.textOnly]);

  const [chosenLocale, setChosenLocale] = useState<Locale | null>(null);
  const locale = view.status === 'created' && chosenLocale ? chosenLocale : view.locale;
  const t = translator(locale);

  useEffect(() => {
    if (!finished || closingDone) return;
    const wait = closingLineMs({ run: speech.run, speaking: speech.speaking, textOnly: speech.textOnly }, performance.now());
    const timer = setTimeout(() => setClosingDone(true), wait);
    return () => clearTimeout(timer);
  }, [finished, closingDone, speech.run, speech.speaking, speech.textOnly]);

  // Done here for good: close the socket and let go of the camera.
  const { release } = media;
  useEffect(() => {
    if (hangUp) setSnapshotFinished(true);
    if (stopped) release();
  }, [hangUp, stopped, release]);
  useEffect(() => {
    if (status === 'ended') onEnded();
  }, [status, onEnded]);

  const audio = <audio ref={audioRef} autoPlay data-testid="assistant-audio" />;
  const frame = (content: ReactNode, aside?: ReactNode) => (
    <>
      {audio}
      <PageFrame locale={locale} aside={aside}>
        {content}
      </PageFrame>
    </>
  );

  if (view.status === 'expired') return <NotFoundPage reason="expired" locale={locale} />;
  if (finished) {
    return (
      <>
        {audio}
        <FinishedScreen view={view} token={token} />
      </>
    );
  }
  if (status === 'not-found') return <NotFoundPage reason="session" locale={locale} />;
  if (status === 'expired') return <NotFoundPage reason="expired" locale={locale} />;
  if (media.state === 'error') {
    return frame(<DeviceError t={t} reason={media.reason} missing={media.missing} onRetry={media.retry} />);
  }
  if (!stream) return frame(<DeviceRequest t={t} />);
  if (status === 'in-use') return frame(<SessionInUse t={t} onTakeOver={connection.takeOver} />);
  if (status === 'taken-over') return frame(<TakenOver t={t} />);
  if (status === 'ended') return frame(<p role="status">{t('session.loading')}</p>);

  const connected = status === 'connected';
  const aside = (
    <div className="page__status">
      {view.status === 'active' && <ProgressIndicator progress={view.progress} t={t} />}
      <MediaStatus state={peer.state} t={t} onRetry={connection.reconnect} />
    </div>
  );
  const banner =
    status === 'reconnecting' || status === 'closed' ? (
      <ConnectionBanner state={status} t={t} onReconnect={connection.reconnect} />
    ) : null;

  return frame(
    <>
      {banner}
      {connection.appError?.code === 'media_failed' && peer.state !== 'connected' && (
        <p className="form-error" role="alert" data-testid="app-error">
          {t('error.media_failed')}
        </p>
      )}
      {peer.soundBlocked && (
        <button type="button" className="button sound-button" onClick={peer.enableSound}>
          {t('sound.enable')}
        </button>
      )}
      {view.status === 'created' ? (
        <ReadyPanel
          stream={stream}
          t={t}
          locale={locale}
          locales={view.locales}
          onLocaleChange={setChosenLocale}
          canBegin={connected && peer.state === 'connected'}
          onBegin={() => {
            // A click: the moment browsers let audio start.
            resumeAudio();
            peer.enableSound();
            return connection.begin(locale);
          }}
        />
      ) : (
        <Conversation
          token={token}
          view={view}
          guidance={connection.guidance}
          stream={stream}
          voice={peer.remoteAudio}
          speech={speech}
          offline={!connected}
          t={t}
          onAnswer={(answer) => {
            resumeAudio();
            return connection.answer(answer);
          }}
        />
      )}
    </>,
    aside,
  );
}
