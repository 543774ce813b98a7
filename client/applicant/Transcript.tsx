/** Earlier lines of both sides, oldest first, kept scrolled to the newest. */
import { useEffect, useRef } from 'react';
import type { TranscriptLine } from '../../server/http/protocol.ts';
import type { Translate } from '../i18n.ts';

export function Transcript({ lines, t }: { lines: TranscriptLine[]; t: Translate }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const lastId = lines.at(-1)?.id;
  useEffect(() => {
    const box = scrollRef.current;
    if (box) box.scrollTop = box.scrollHeight;
  }, [lastId]);
  return (
    <section className="transcript" aria-labelledby="transcript-title">
      <h2 id="transcript-title" className="transcript__title">
        {t('transcript.title')}
      </h2>
      {/* Focusable so that keyboard users can scroll it. */}
      <div ref={scrollRef} className="transcript__scroll" tabIndex={0} role="region" aria-labelledby="transcript-title">
        <ol className="transcript__lines" data-testid="transcript">
          {lines.map((line) => (
            <li key={line.id} className={`transcript__line transcript__line--${line.from}`} data-from={line.from}>
              <span className="transcript__speaker">
                {line.from === 'assistant' ? t('transcript.assistant') : t('transcript.you')}
              </span>
              <span className="transcript__text">{line.text}</span>
            </li>
          ))}
        </ol>
        {lines.length === 0 && <p className="transcript__empty">{t('transcript.empty')}</p>}
      </div>
    </section>
  );
}
