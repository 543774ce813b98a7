/**
 * The simulator: the editor's text runs on the server's real dialogue reducer. Each choice here
 * (an answer, a check's outcome, letting a timer run out) is appended to the list of actions and
 * the whole list is replayed, so what is shown is exactly what a session would do.
 */
import { useEffect, useState } from 'react';
import type { Locale } from '../../server/http/protocol.ts';
import { LOCALE_NAMES, SUPPORTED_LOCALES } from '../i18n.ts';
import { useStaffLocale } from '../staff/index.ts';
import { studioApi, StudioRequestError, type SimulationAction, type SimulationResult } from './api.ts';

export function SimulatorPanel({ source }: { source: string }) {
  const { t } = useStaffLocale();
  const [locale, setLocale] = useState<Locale>('en');
  const [actions, setActions] = useState<SimulationAction[]>([]);
  const [result, setResult] = useState<SimulationResult | null>(null);
  const [problem, setProblem] = useState<{ message: string; errors: number | null; warnings: number } | null>(null);
  const [typed, setTyped] = useState('');

  useEffect(() => {
    let cancelled = false;
    studioApi
      .simulate(source, locale, actions)
      .then((next) => {
        if (cancelled) return;
        setResult(next);
        setProblem(null);
        if (next.awaiting?.input.type === 'contract') setTyped(next.awaiting.input.statement);
      })
      .catch((error: unknown) => {
        if (cancelled) return;
        const lint = error instanceof StudioRequestError ? error.lint : null;
        setProblem({ message: error instanceof Error ? error.message : String(error), errors: lint?.errors ?? null, warnings: lint?.warnings ?? 0 });
      });
    return () => {
      cancelled = true;
    };
  }, [source, locale, actions]);

  const act = (action: SimulationAction) => {
    setActions((list) => [...list, action]);
    setTyped('');
  };

  const input = result?.awaiting?.input;
  const active = result?.status === 'active';

  return (
    <div className="studio__simulator" data-testid="studio-simulator">
      <div className="studio__sim-bar">
        <label>
          {t('studio.sim.locale')}{' '}
          <select value={locale} onChange={(event) => { setLocale(event.target.value as Locale); setActions([]); }}>
            {SUPPORTED_LOCALES.map((code) => (
              <option key={code} value={code}>
                {LOCALE_NAMES[code]}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="button button--secondary" onClick={() => setActions([])}>
          {t('studio.sim.restart')}
        </button>
        <button type="button" className="button button--secondary" disabled={actions.length === 0} onClick={() => setActions((list) => list.slice(0, -1))}>
          {t('studio.sim.undo')}
        </button>
      </div>
      {problem && (
        <p role="alert">
          {problem.message}
          {problem.errors !== null && ` (${t('studio.lint.summary', { errors: problem.errors, warnings: problem.warnings })})`}
        </p>
      )}
      {result && (
        <>
          <p className="studio__sim-path" data-testid="studio-sim-path">
            <strong>{t('studio.sim.path')}</strong> {result.path.join(' → ')}
          </p>
          <ol className="studio__sim-transcript" data-testid="studio-sim-transcript">
            {result.transcript.map((entry, index) => (
              <li key={index} className={`studio__sim-entry studio__sim-entry--${entry.kind}`}>
                <span className="studio__sim-step">{entry.stepId}</span> {entry.text}
              </li>
            ))}
          </ol>
          {!active && (
            <p className="studio__sim-status" data-testid="studio-sim-status">
              {t('studio.sim.ended', { status: result.status, reason: result.endReason ?? '' })}
            </p>
          )}
          {active && (
            <div className="studio__sim-controls">
              {result.pendingVerifier && (
                <div className="studio__sim-row">
                  <span>{t('studio.sim.check', { verifier: result.pendingVerifier.verifier })}</span>
                  {(['pass', 'fail', 'timeout'] as const).map((outcome) => (
                    <button key={outcome} type="button" className="button button--secondary" data-testid={`studio-sim-${outcome}`} onClick={() => act({ type: 'verifier', outcome })}>
                      {t(`studio.sim.outcome.${outcome}`)}
                    </button>
                  ))}
                </div>
              )}
              {input?.type === 'yesno' && (
                <div className="studio__sim-row">
                  <button type="button" className="button button--secondary" onClick={() => act({ type: 'answer', choice: 'yes' })}>
                    {input.yesLabel}
                  </button>
                  <button type="button" className="button button--secondary" onClick={() => act({ type: 'answer', choice: 'no' })}>
                    {input.noLabel}
                  </button>
                </div>
              )}
              {input?.type === 'confirm' && (
                <div className="studio__sim-row">
                  <button type="button" className="button button--secondary" onClick={() => act({ type: 'answer', choice: 'confirm' })}>
                    {input.confirmLabel}
                  </button>
                  <button type="button" className="button button--secondary" onClick={() => act({ type: 'answer', choice: 'retake' })}>
                    {input.retakeLabel}
                  </button>
                </div>
              )}
              {(input?.type === 'yesno' || input?.type === 'text' || input?.type === 'contract') && (
                <form
                  className="studio__sim-row"
                  onSubmit={(event) => {
                    event.preventDefault();
                    if (typed.trim() === '') return;
                    if (input.type === 'contract') act({ type: 'answer', choice: 'sign', text: typed, fields: { signatureArtifactId: 'simulated-signature' } });
                    else act({ type: 'answer', text: typed });
                  }}
                >
                  <input className="studio__sim-input" value={typed} onChange={(event) => setTyped(event.target.value)} aria-label={t('studio.sim.answer')} data-testid="studio-sim-input" />
                  <button type="submit" className="button">
                    {input.type === 'contract' ? input.signLabel : t('studio.sim.send')}
                  </button>
                </form>
              )}
              {result.timerArmed && (
                <button type="button" className="button button--secondary" onClick={() => act({ type: 'timeout' })}>
                  {t('studio.sim.timeout')}
                </button>
              )}
            </div>
          )}
        </>
      )}
    </div>
  );
}
