/**
 * The applicant's reply to the current prompt: yes/no buttons (typing allowed too) or a text
 * box. Mounted afresh for every prompt (keyed by the caller), so it focuses its first control
 * and forgets the previous answer. Inputs are disabled while an answer is in flight.
 */
import { useEffect, useId, useRef, useState, type FormEvent, type Ref } from 'react';
import type { InputSpec } from '../../server/http/protocol.ts';
import type { Translate } from '../i18n.ts';
import { describeFailure } from './failures.ts';
import { answerText } from './sessionView.ts';
import type { Answer, RequestResult } from './useSessionSocket.ts';

/** Typed answers to a yes/no question are short. */
const YESNO_TEXT_MAX = 200;

export interface AnswerInputProps {
  stepId: string;
  input: InputSpec;
  /** No connection: show the inputs but do not accept answers. */
  offline: boolean;
  t: Translate;
  onAnswer(answer: Answer): Promise<RequestResult>;
}

export function AnswerInput({ stepId, input, offline, t, onAnswer }: AnswerInputProps) {
  const [inFlight, setInFlight] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const firstControl = useRef<HTMLButtonElement & HTMLInputElement>(null);
  useEffect(() => {
    firstControl.current?.focus();
  }, []);

  if (input.type === 'none') return null;
  const disabled = inFlight || offline;

  const send = async (answer: Answer) => {
    setInFlight(true);
    setError(null);
    const result = await onAnswer(answer);
    setInFlight(false);
    if (!result.ok) setError(describeFailure(t, result));
  };

  return (
    <div className="answer" aria-busy={inFlight}>
      {input.type === 'yesno' && (
        <div className="answer__choices" role="group" aria-label={t('answer.label')}>
          <button
            ref={firstControl}
            type="button"
            className="button button--choice button--yes"
            disabled={disabled}
            onClick={() => void send({ stepId, choice: 'yes' })}
            data-testid="choice-yes"
          >
            {input.yesLabel}
          </button>
          <button
            type="button"
            className="button button--choice button--no"
            disabled={disabled}
            onClick={() => void send({ stepId, choice: 'no' })}
            data-testid="choice-no"
          >
            {input.noLabel}
          </button>
        </div>
      )}
      <TextAnswer
        inputRef={input.type === 'text' ? firstControl : undefined}
        label={input.type === 'text' ? t('answer.label') : t('answer.orType')}
        placeholder={input.type === 'text' ? input.placeholder : undefined}
        hint={input.type === 'text' ? input.hint : undefined}
        maxLength={input.type === 'text' ? input.maxLength : YESNO_TEXT_MAX}
        disabled={disabled}
        inFlight={inFlight}
        t={t}
        onEdit={() => setError(null)}
        onSend={(text) => void send({ stepId, text })}
      />
      {offline && <p className="answer__note">{t('answer.waitConnection')}</p>}
      {error && (
        <p className="form-error" role="alert" data-testid="answer-error">
          {error}
        </p>
      )}
    </div>
  );
}

function TextAnswer(props: {
  inputRef: Ref<HTMLInputElement> | undefined;
  label: string;
  placeholder: string | undefined;
  hint: string | undefined;
  maxLength: number;
  disabled: boolean;
  inFlight: boolean;
  t: Translate;
  onEdit(): void;
  onSend(text: string): void;
}) {
  const { inputRef, label, placeholder, hint, maxLength, disabled, inFlight, t, onEdit, onSend } = props;
  const [value, setValue] = useState('');
  const id = useId();
  const text = answerText(value, maxLength);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (text === null || disabled) return;
    onSend(text);
  };
  return (
    <form className="answer__text" onSubmit={submit}>
      <label htmlFor={`${id}-input`} className="answer__label">
        {label}
      </label>
      <div className="answer__row">
        <input
          ref={inputRef}
          id={`${id}-input`}
          type="text"
          className="text-input"
          value={value}
          onChange={(event) => {
            setValue(event.target.value);
            onEdit();
          }}
          placeholder={placeholder}
          maxLength={maxLength}
          disabled={disabled}
          autoComplete="off"
          enterKeyHint="send"
          aria-describedby={hint ? `${id}-hint ${id}-count` : `${id}-count`}
          data-testid="answer-input"
        />
        <button type="submit" className="button button--primary" disabled={disabled || text === null} data-testid="answer-submit">
          {inFlight ? t('answer.sending') : t('answer.send')}
        </button>
      </div>
      {hint && (
        <p id={`${id}-hint`} className="answer__hint">
          {hint}
        </p>
      )}
      <p id={`${id}-count`} className="answer__count">
        {t('answer.characters', { count: value.length, max: maxLength })}
      </p>
    </form>
  );
}
