/**
 * The details read from the applicant's document, to confirm or correct. Only changed fields
 * are sent back (as corrections); the server keeps them beside the values it read.
 */
import { useId, useState, type FormEvent } from 'react';
import type { ConfirmField } from '../../server/http/protocol.ts';
import type { Translate } from '../i18n.ts';
import { describeFailure } from './failures.ts';
import type { Answer, RequestResult } from './useSessionSocket.ts';

export interface ConfirmFieldsProps {
  stepId: string;
  fields: ConfirmField[];
  confirmLabel: string;
  retakeLabel: string;
  offline: boolean;
  t: Translate;
  onAnswer(answer: Answer): Promise<RequestResult>;
}

export function ConfirmFields({ stepId, fields, confirmLabel, retakeLabel, offline, t, onAnswer }: ConfirmFieldsProps) {
  const id = useId();
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(fields.map((f) => [f.name, f.value])));
  const [inFlight, setInFlight] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const send = async (answer: Answer) => {
    setInFlight(true);
    setError(null);
    const result = await onAnswer(answer);
    setInFlight(false);
    if (!result.ok) setError(describeFailure(t, result));
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const corrections = Object.fromEntries(fields.filter((f) => values[f.name]?.trim() !== f.value).map((f) => [f.name, values[f.name]?.trim() ?? '']));
    void send({ stepId, choice: 'confirm', ...(Object.keys(corrections).length > 0 ? { fields: corrections } : {}) });
  };
  const disabled = inFlight || offline;

  return (
    <form className="confirm-fields" onSubmit={submit} data-testid="confirm-fields">
      <dl className="confirm-fields__list">
        {fields.map((field) => (
          <div key={field.name} className="confirm-fields__row">
            <dt>
              <label htmlFor={`${id}-${field.name}`}>{field.label}</label>
            </dt>
            <dd>
              <input
                id={`${id}-${field.name}`}
                className="text-input"
                value={values[field.name] ?? ''}
                maxLength={200}
                disabled={disabled}
                onChange={(event) => setValues((v) => ({ ...v, [field.name]: event.target.value }))}
                data-testid={`confirm-field-${field.name}`}
              />
            </dd>
          </div>
        ))}
      </dl>
      <div className="answer__choices">
        <button type="submit" className="button button--primary" disabled={disabled} data-testid="confirm-button">
          {confirmLabel}
        </button>
        <button type="button" className="button" disabled={disabled} onClick={() => void send({ stepId, choice: 'retake' })} data-testid="retake-button">
          {retakeLabel}
        </button>
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
