/**
 * Under the presenter: the microphone level (always, so the applicant sees they are heard), what
 * the assistant is doing ("Listening…", "I heard you"), why voice answers are off when they are,
 * and the text-only switch (no voice, no presenter: captions and the transcript only).
 */
import { useRef } from 'react';
import type { VoiceInputReason } from '../../../server/voice/protocol.ts';
import type { MessageKey, Translate } from '../../i18n.ts';
import { useMicLevel } from '../useMicLevel.ts';

const HINTS: Record<VoiceInputReason, MessageKey> = {
  'no-recognizer': 'voice.hint.noRecognizer',
  disabled: 'voice.hint.disabled',
  'text-only': 'voice.hint.textOnly',
  'step-needs-typing': 'voice.hint.typeThis',
};

export interface VoiceBarProps {
  stream: MediaStream;
  listening: boolean;
  heard: 'speech' | 'silence' | null;
  /** Why spoken answers are not taken now (null: they are), shown only when a question waits. */
  hint: VoiceInputReason | null;
  answerAwaited: boolean;
  textOnly: boolean;
  onTextOnly(enabled: boolean): void;
  t: Translate;
}

export function VoiceBar({ stream, listening, heard, hint, answerAwaited, textOnly, onTextOnly, t }: VoiceBarProps) {
  const meter = useRef<HTMLSpanElement>(null);
  useMicLevel(stream, (level) => meter.current?.style.setProperty('--level', level.toFixed(3)));
  const state = listening ? (heard === 'speech' ? t('voice.hearing') : t('voice.listening')) : null;
  return (
    <div className="voice-bar">
      <span className="mic-meter" data-listening={listening} data-testid="mic-meter">
        <span className="visually-hidden">{t('voice.micLevel')}</span>
        <span className="mic-meter__bar" aria-hidden="true">
          <span ref={meter} className="mic-meter__fill" />
        </span>
      </span>
      {state && (
        <span role="status" data-testid="voice-listening">
          {state}
        </span>
      )}
      {answerAwaited && hint && (
        <p className="voice-hint" data-testid="voice-hint">
          {t(HINTS[hint])}
        </p>
      )}
      <label className="voice-bar__toggle">
        <input type="checkbox" checked={textOnly} onChange={(event) => onTextOnly(event.target.checked)} data-testid="text-only" />{' '}
        {t('voice.textOnly')}
      </label>
    </div>
  );
}
