/**
 * The session recording with its timeline: a <video> over the recording segments, a marker bar
 * (one marker per step, ticks for risk flags) whose markers seek, the step list with the current
 * step highlighted during playback, and the transcript synced to playback.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useStaffLocale } from '../staff/index.ts';
import { artifactUrl, chaptersUrl, type SessionDetail } from './requests.ts';
import { flagLabel } from './labels.ts';
import { clock, currentChapter, currentLine, locate, markerPercent, timelineLength, timelineMs } from './playback.ts';

export function Player({ detail }: { detail: SessionDetail }) {
  const { t } = useStaffLocale();
  const sessionId = detail.session.id;
  const segments = detail.recordings;
  const chapters = detail.timeline.chapters;
  const transcript = detail.transcript;
  const video = useRef<HTMLVideoElement>(null);
  const transcriptBox = useRef<HTMLOListElement>(null);
  const pendingSeek = useRef<number | null>(null);
  const [segmentIndex, setSegmentIndex] = useState(0);
  const [nowMs, setNowMs] = useState(segments[0]?.startMs ?? 0);
  const length = timelineLength(segments, chapters);
  const chapterIndex = currentChapter(chapters, nowMs);
  const lineIndex = currentLine(transcript, nowMs);
  const segment = segments[segmentIndex];

  const seekTo = useCallback(
    (ms: number) => {
      const target = locate(segments, ms);
      setNowMs(ms);
      if (!target || !video.current) return;
      if (target.index !== segmentIndex) {
        pendingSeek.current = target.offsetSec;
        setSegmentIndex(target.index);
        return;
      }
      video.current.currentTime = target.offsetSec;
    },
    [segments, segmentIndex],
  );

  // Keep the current transcript line in view inside its own scroll box (not the page).
  useEffect(() => {
    const box = transcriptBox.current;
    const line = lineIndex >= 0 ? box?.children[lineIndex] : null;
    if (!box || !(line instanceof HTMLElement)) return;
    const top = line.offsetTop - box.offsetTop;
    if (top < box.scrollTop || top > box.scrollTop + box.clientHeight - line.clientHeight) box.scrollTop = Math.max(0, top - box.clientHeight / 3);
  }, [lineIndex]);

  return (
    <section className="review-player" aria-labelledby="player-heading">
      <h2 id="player-heading">{t('review.player.title')}</h2>
      {segment ? (
        <>
          <video
            ref={video}
            key={segment.artifactId}
            className="review-player__video"
            controls
            preload="metadata"
            playsInline
            src={artifactUrl(sessionId, segment.artifactId)}
            data-testid="review-video"
            aria-label={t('review.player.video', { index: segmentIndex + 1, count: segments.length })}
            onLoadedMetadata={() => {
              if (pendingSeek.current !== null && video.current) {
                video.current.currentTime = pendingSeek.current;
                pendingSeek.current = null;
              }
            }}
            onTimeUpdate={() => video.current && setNowMs(timelineMs(segments, segmentIndex, video.current.currentTime))}
            onSeeked={() => video.current && setNowMs(timelineMs(segments, segmentIndex, video.current.currentTime))}
            onEnded={() => {
              // Carry on with the next segment (a reconnect started a new one).
              if (segmentIndex + 1 < segments.length) {
                pendingSeek.current = 0;
                setSegmentIndex(segmentIndex + 1);
              }
            }}
          >
            {segment.startMs <= 0 && <track kind="chapters" src={chaptersUrl(sessionId)} default label={t('review.player.chapters')} />}
          </video>
          {segments.length > 1 && (
            <p className="review-muted">
              {t('review.player.segments', { count: segments.length })}{' '}
              {segments.map((s, i) => (
                <button key={s.artifactId} type="button" className="button button--small" aria-pressed={i === segmentIndex} onClick={() => seekTo(s.startMs)}>
                  {i + 1}
                  {s.complete ? '' : ` (${t('review.player.incomplete')})`}
                </button>
              ))}
            </p>
          )}
        </>
      ) : (
        <p className="card card--warning" data-testid="no-recording">
          {t('review.player.none')}
        </p>
      )}

      <div className="review-timeline" role="group" aria-label={t('review.player.markers')} data-testid="timeline-bar">
        <div className="review-timeline__now" style={{ left: `${markerPercent(nowMs, length)}%` }} aria-hidden="true" />
        {chapters.map((chapter, i) => (
          <button
            key={`${chapter.stepId}-${i}`}
            type="button"
            className={`review-timeline__marker${i === chapterIndex ? ' review-timeline__marker--current' : ''}`}
            style={{ left: `${markerPercent(chapter.startMs, length)}%` }}
            onClick={() => seekTo(chapter.startMs)}
            aria-label={t('review.player.jump', { step: chapter.stepId, time: clock(chapter.startMs) })}
            aria-current={i === chapterIndex ? 'step' : undefined}
            data-testid="timeline-marker"
            data-step={chapter.stepId}
            title={`${chapter.stepId} ${clock(chapter.startMs)}`}
          />
        ))}
        {detail.risk.map((risk, i) => (
          <button
            key={`risk-${i}`}
            type="button"
            className="review-timeline__flag"
            style={{ left: `${markerPercent(risk.atMs, length)}%` }}
            onClick={() => seekTo(Math.max(0, risk.atMs))}
            aria-label={t('review.player.jumpFlag', { flag: flagLabel(t, risk.flag), time: clock(risk.atMs) })}
            title={flagLabel(t, risk.flag)}
          />
        ))}
      </div>
      <p className="review-muted review-player__clock" aria-live="off">
        {clock(nowMs)} / {clock(length)}
        {chapterIndex >= 0 && (
          <>
            {' · '}
            <span data-testid="current-step">{chapters[chapterIndex]?.stepId}</span>
          </>
        )}
      </p>

      <div className="review-player__columns">
        <section aria-labelledby="steps-heading">
          <h3 id="steps-heading">{t('review.player.steps')}</h3>
          <ol className="review-steps">
            {chapters.map((chapter, i) => (
              <li key={`${chapter.stepId}-${i}`} data-testid="step-item" data-current={i === chapterIndex ? 'true' : 'false'}>
                <button type="button" onClick={() => seekTo(chapter.startMs)} aria-current={i === chapterIndex ? 'step' : undefined}>
                  <span className="review-steps__time">{clock(chapter.startMs)}</span> {chapter.stepId}
                </button>
              </li>
            ))}
          </ol>
        </section>
        <section aria-labelledby="transcript-heading">
          <h3 id="transcript-heading">{t('review.player.transcript')}</h3>
          <ol className="review-transcript" ref={transcriptBox} data-testid="review-transcript">
            {transcript.map((line, i) => (
              <li
                key={i}
                className={`review-transcript__line review-transcript__line--${line.from}`}
                data-testid="transcript-line"
                data-current={i === lineIndex ? 'true' : 'false'}
              >
                <button type="button" onClick={() => seekTo(Math.max(0, line.atMs))} aria-current={i === lineIndex ? 'true' : undefined}>
                  <span className="review-steps__time">{clock(line.atMs)}</span>{' '}
                  <strong>{line.from === 'assistant' ? t('review.transcript.assistant') : t('review.transcript.applicant')}:</strong> {line.text}
                </button>
              </li>
            ))}
          </ol>
        </section>
      </div>
    </section>
  );
}
