/**
 * The contract step: the filled contract in a scroll box, then the signing controls, which stay
 * disabled until the applicant has reached the end of the text (a sentinel seen by an
 * IntersectionObserver; scrolling the focused box with the keyboard, or a browser without the
 * observer, is caught by the scroll position too). The applicant draws a signature and types the
 * confirmation statement themselves (never prefilled). Sign = upload the drawn PNG, then answer
 * with the statement and the stored signature's id.
 */
import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { InputSpec } from '../../server/http/protocol.ts';
import type { Translate } from '../i18n.ts';
import { describeFailure } from './failures.ts';
import { SignaturePad, type SignaturePadHandle } from './SignaturePad.tsx';
import type { Answer, RequestResult } from './useSessionSocket.ts';
import '../styles/contract.css';

type ContractInput = Extract<InputSpec, { type: 'contract' }>;
type Block = { kind: 'title' | 'heading' | 'paragraph' | 'item'; text: string };
type Preview = { state: 'loading' } | { state: 'failed' } | { state: 'ready'; title: string; blocks: Block[] };

export interface ContractReviewProps {
  token: string;
  stepId: string;
  input: ContractInput;
  offline: boolean;
  t: Translate;
  onAnswer(answer: Answer): Promise<RequestResult>;
}

/** Within this many pixels of the bottom counts as the end (rounding, zoom). */
const END_SLACK_PX = 4;

async function uploadSignature(token: string, png: Blob): Promise<{ ok: true; artifactId: string } | { ok: false }> {
  try {
    const res = await fetch(`/api/sessions/${encodeURIComponent(token)}/signature`, { method: 'POST', headers: { 'content-type': 'image/png' }, body: png });
    if (res.status !== 201) return { ok: false };
    const body = (await res.json()) as { artifactId?: unknown };
    return typeof body.artifactId === 'string' ? { ok: true, artifactId: body.artifactId } : { ok: false };
  } catch {
    return { ok: false };
  }
}

/** Consecutive list items become one list. */
function group(blocks: Block[]): (Block | Block[])[] {
  const out: (Block | Block[])[] = [];
  for (const block of blocks) {
    const last = out.at(-1);
    if (block.kind === 'item' && Array.isArray(last)) last.push(block);
    else out.push(block.kind === 'item' ? [block] : block);
  }
  return out;
}

export function ContractReview({ token, stepId, input, offline, t, onAnswer }: ContractReviewProps) {
  const id = useId();
  const [preview, setPreview] = useState<Preview>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const [readToEnd, setReadToEnd] = useState(false);
  const [hasInk, setHasInk] = useState(false);
  const [statement, setStatement] = useState('');
  const [inFlight, setInFlight] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const box = useRef<HTMLDivElement>(null);
  const end = useRef<HTMLDivElement>(null);
  const pad = useRef<SignaturePadHandle>(null);

  useEffect(() => {
    const controller = new AbortController();
    setPreview({ state: 'loading' });
    fetch(`/api/sessions/${encodeURIComponent(token)}/contract`, { signal: controller.signal })
      .then(async (res) => {
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        const body = (await res.json()) as { title: string; blocks: Block[] };
        setPreview({ state: 'ready', title: body.title, blocks: body.blocks });
      })
      .catch(() => {
        if (!controller.signal.aborted) setPreview({ state: 'failed' });
      });
    return () => controller.abort();
  }, [token, attempt]);

  const checkScroll = useCallback(() => {
    const element = box.current;
    if (element && element.scrollTop + element.clientHeight >= element.scrollHeight - END_SLACK_PX) setReadToEnd(true);
  }, []);

  useEffect(() => {
    if (preview.state !== 'ready' || readToEnd) return;
    const root = box.current;
    const sentinel = end.current;
    if (!root || !sentinel) return;
    checkScroll(); // a short contract fits without scrolling
    if (typeof IntersectionObserver !== 'function') return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) setReadToEnd(true);
    }, { root, threshold: 1 });
    observer.observe(sentinel);
    return () => observer.disconnect();
  }, [preview.state, readToEnd, checkScroll]);

  const onInk = useCallback((ink: boolean) => setHasInk(ink), []);
  const typed = statement.trim();
  const canSign = readToEnd && hasInk && typed.length > 0 && !inFlight && !offline;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!canSign || !pad.current) return;
    setInFlight(true);
    setError(null);
    try {
      const png = await pad.current.toPng();
      const uploaded = await uploadSignature(token, png);
      if (!uploaded.ok) {
        setError(t('contract.uploadFailed'));
        return;
      }
      const result = await onAnswer({ stepId, choice: 'sign', text: typed, fields: { signatureArtifactId: uploaded.artifactId } });
      if (!result.ok) setError(describeFailure(t, result));
    } catch {
      setError(t('contract.uploadFailed'));
    } finally {
      setInFlight(false);
    }
  };

  return (
    <form className="contract" onSubmit={(event) => void submit(event)} data-testid="contract-review" aria-busy={inFlight}>
      <h2 className="contract__heading" id={`${id}-title`}>
        {t('contract.title')}
      </h2>
      {preview.state === 'loading' && <p className="answer__note">{t('contract.loading')}</p>}
      {preview.state === 'failed' && (
        <div className="contract__failed" role="alert">
          <p className="form-error">{t('contract.loadFailed')}</p>
          <button type="button" className="button button--small" onClick={() => setAttempt((n) => n + 1)}>
            {t('action.retry')}
          </button>
        </div>
      )}
      {preview.state === 'ready' && (
        <div
          ref={box}
          className="contract__text"
          tabIndex={0}
          role="region"
          aria-labelledby={`${id}-title`}
          aria-describedby={`${id}-scroll-hint`}
          onScroll={checkScroll}
          data-testid="contract-text"
        >
          {group(preview.blocks).map((block, index) => {
            if (Array.isArray(block)) {
              return (
                <ul key={index}>
                  {block.map((item, at) => (
                    <li key={at}>{item.text}</li>
                  ))}
                </ul>
              );
            }
            if (block.kind === 'title') return <h3 key={index} className="contract__title">{block.text}</h3>;
            if (block.kind === 'heading') return <h4 key={index}>{block.text}</h4>;
            return <p key={index}>{block.text}</p>;
          })}
          <div ref={end} className="contract__end" data-testid="contract-end">
            {t('contract.end')}
          </div>
        </div>
      )}
      <p id={`${id}-scroll-hint`} className="answer__note" role="status" aria-live="polite" data-testid="contract-scroll-hint" data-read={readToEnd}>
        {readToEnd ? t('contract.readDone') : t('contract.scrollHint')}
      </p>

      <fieldset className="contract__sign" disabled={!readToEnd}>
        <legend className="answer__label">{t('contract.signatureLabel')}</legend>
        <p className="answer__note">{t('contract.signatureHint')}</p>
        <SignaturePad padRef={pad} disabled={!readToEnd || inFlight} t={t} onInk={onInk} />

        <label className="answer__label" htmlFor={`${id}-statement`}>
          {t('contract.statementLabel')}
        </label>
        <p className="contract__statement" data-testid="statement">
          {input.statement}
        </p>
        <input
          id={`${id}-statement`}
          className="text-input"
          value={statement}
          maxLength={500}
          autoComplete="off"
          spellCheck={false}
          disabled={!readToEnd || inFlight}
          aria-describedby={`${id}-statement-hint`}
          onChange={(event) => {
            setStatement(event.target.value);
            setError(null);
          }}
          data-testid="statement-input"
        />
        <p id={`${id}-statement-hint`} className="answer__note">
          {t('contract.statementHint')}
        </p>
        <button type="submit" className="button button--primary button--large" disabled={!canSign} data-testid="sign-button">
          {inFlight ? t('contract.signing') : input.signLabel}
        </button>
      </fieldset>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
