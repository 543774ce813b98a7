/**
 * The evidence beside the recording: document image, fields read and the applicant's corrections;
 * liveness attempts and key frame; the face-match pair and score; intent answers with their
 * classification and coercion signals; risk flags; the contract and its verification; recording
 * segments and interruptions.
 */
import { useEffect, useState } from 'react';
import { useStaffLocale } from '../staff/index.ts';
import { artifactUrl, fetchVerification, type SessionDetail, type Verification } from './requests.ts';
import { dateTime, flagLabel } from './labels.ts';
import { clock } from './playback.ts';

export function EvidencePanels({ detail }: { detail: SessionDetail }) {
  return (
    <div className="review-evidence">
      <RiskPanel detail={detail} />
      <DocumentPanel detail={detail} />
      <LivenessPanel detail={detail} />
      <IntentPanel detail={detail} />
      <ContractPanel detail={detail} />
      <RecordingPanel detail={detail} />
    </div>
  );
}

function Panel({ id, title, children, testId }: { id: string; title: string; children: React.ReactNode; testId?: string }) {
  return (
    <section className="review-panel" aria-labelledby={id} data-testid={testId}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

function RiskPanel({ detail }: { detail: SessionDetail }) {
  const { t } = useStaffLocale();
  return (
    <Panel id="panel-risk" title={t('review.risk.title')} testId="panel-risk">
      {detail.flags.length === 0 ? (
        <p className="review-muted">{t('review.risk.none')}</p>
      ) : (
        <ul className="review-flags">
          {detail.flags.map((flag) => (
            <li key={flag} className="review-flag" data-testid="detail-flag">
              {flagLabel(t, flag)}
            </li>
          ))}
        </ul>
      )}
      {detail.risk.length > 0 && (
        <ul className="review-list">
          {detail.risk.map((risk, i) => (
            <li key={i}>
              <span className="review-steps__time">{clock(risk.atMs)}</span> {flagLabel(t, risk.flag)}
              {Object.keys(risk.detail).length > 0 && <span className="review-muted"> · {Object.entries(risk.detail).map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : String(v)}`).join('; ')}</span>}
            </li>
          ))}
        </ul>
      )}
      {detail.interruptions.length > 0 && (
        <ul className="review-list" data-testid="interruptions">
          {detail.interruptions.map((entry, i) => (
            <li key={i}>
              {t('review.risk.interrupted', { at: entry.at, reason: entry.reason })}{' '}
              {entry.resumedAt ? t('review.risk.resumed', { at: entry.resumedAt }) : t('review.risk.notResumed')}
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}

function DocumentPanel({ detail }: { detail: SessionDetail }) {
  const { t } = useStaffLocale();
  const document = detail.document;
  const latest = document?.attempts.findLast((attempt) => attempt.outcome === 'pass') ?? document?.attempts.at(-1);
  return (
    <Panel id="panel-document" title={t('review.document.title')} testId="panel-document">
      {!document || !latest ? (
        <p className="review-muted">{t('review.document.none')}</p>
      ) : (
        <>
          <p>
            {t('review.document.attempts', { count: document.attempts.length })}{' '}
            {document.attempts.map((a) => `${a.outcome}${a.reason ? ` (${a.reason})` : ''}`).join(', ')}
          </p>
          <div className="review-images">
            {latest.imageArtifactId && <img src={artifactUrl(detail.session.id, latest.imageArtifactId)} alt={t('review.document.image')} loading="lazy" />}
            {latest.faceArtifactId && <img src={artifactUrl(detail.session.id, latest.faceArtifactId)} alt={t('review.document.face')} loading="lazy" />}
          </div>
          <table className="review-table review-table--compact">
            <caption>{t('review.document.fields', { kind: latest.documentKind ?? '?' })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('review.document.field')}</th>
                <th scope="col">{t('review.document.read')}</th>
                <th scope="col">{t('review.document.confirmed')}</th>
              </tr>
            </thead>
            <tbody>
              {(document.corrections ?? Object.entries(latest.fields).map(([name, value]) => ({ name, read: value, confirmed: value, corrected: false }))).map((row) => (
                <tr key={row.name} className={row.corrected ? 'review-corrected' : undefined}>
                  <th scope="row">{row.name}</th>
                  <td>{row.read}</td>
                  <td>
                    {row.confirmed}
                    {row.corrected && <strong className="review-flag"> {t('review.document.corrected')}</strong>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {document.corrections === null && <p className="review-muted">{t('review.document.notConfirmed')}</p>}
        </>
      )}
    </Panel>
  );
}

function LivenessPanel({ detail }: { detail: SessionDetail }) {
  const { t } = useStaffLocale();
  const liveness = detail.liveness;
  const match = liveness?.faceMatch ?? null;
  return (
    <Panel id="panel-liveness" title={t('review.liveness.title')} testId="panel-liveness">
      {!liveness ? (
        <p className="review-muted">{t('review.liveness.none')}</p>
      ) : (
        <>
          <ul className="review-list">
            {liveness.attempts.map((attempt, i) => (
              <li key={i}>
                {t('review.liveness.attempt', { n: i + 1, outcome: attempt.outcome })}
                {attempt.reason && ` (${attempt.reason})`}
                {Array.isArray(attempt.challenges) && <span className="review-muted"> · {summarise(attempt.challenges)}</span>}
              </li>
            ))}
          </ul>
          {match ? (
            <figure className="review-facematch" data-testid="face-match">
              <div className="review-images">
                {match.documentFaceArtifactId && <img src={artifactUrl(detail.session.id, match.documentFaceArtifactId)} alt={t('review.liveness.documentFace')} loading="lazy" />}
                {match.liveFrameArtifactId && <img src={artifactUrl(detail.session.id, match.liveFrameArtifactId)} alt={t('review.liveness.liveFace')} loading="lazy" />}
              </div>
              <figcaption>
                {t('review.liveness.score', { similarity: match.similarity.toFixed(3), threshold: match.threshold.toFixed(3) })}{' '}
                <strong>{match.matched ? t('review.liveness.matched') : t('review.liveness.notMatched')}</strong>
              </figcaption>
            </figure>
          ) : (
            <p className="review-muted">{t('review.liveness.noMatch')}</p>
          )}
        </>
      )}
    </Panel>
  );
}

function summarise(challenges: unknown[]): string {
  return challenges
    .map((c) => {
      const entry = c as { kind?: unknown; type?: unknown; passed?: unknown; score?: unknown };
      const name = String(entry.kind ?? entry.type ?? '?');
      return entry.passed === undefined ? name : `${name} ${entry.passed ? '✓' : '✗'}`;
    })
    .join(', ');
}

function IntentPanel({ detail }: { detail: SessionDetail }) {
  const { t } = useStaffLocale();
  return (
    <Panel id="panel-intent" title={t('review.intent.title')} testId="panel-intent">
      {detail.intent.length === 0 ? (
        <p className="review-muted">{t('review.intent.none')}</p>
      ) : (
        <ul className="review-qa">
          {detail.intent.map((answer, i) => (
            <li key={i} className={answer.coercion.length > 0 ? 'review-qa--alert' : undefined}>
              <p className="review-muted">
                {answer.stepId} · {clock(answer.atMs)}
              </p>
              <p>
                <strong>{t('review.intent.question')}:</strong> {answer.question}
              </p>
              <p>
                <strong>{t('review.intent.answer')}:</strong> {answer.answer}
              </p>
              <p>
                {t('review.intent.label', { label: answer.label ?? '?', provider: answer.provider ?? '?' })}
                {answer.confidence !== null && ` · ${t('review.intent.confidence', { value: answer.confidence.toFixed(2) })}`}
                {answer.injection && <strong className="review-flag"> {t('review.flag.injection')}</strong>}
              </p>
              {answer.coercion.length > 0 && (
                <p className="review-alert">
                  {t('review.intent.coercion')}: {answer.coercion.join(', ')}
                </p>
              )}
              {answer.rationale && <p className="review-muted">{answer.rationale}</p>}
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}

function ContractPanel({ detail }: { detail: SessionDetail }) {
  const { t } = useStaffLocale();
  const [verification, setVerification] = useState<Verification | null>(null);
  const [failed, setFailed] = useState(false);
  const contract = detail.contract;
  useEffect(() => {
    if (!contract) return;
    const controller = new AbortController();
    fetchVerification(detail.session.id, controller.signal).then(setVerification, () => !controller.signal.aborted && setFailed(true));
    return () => controller.abort();
  }, [contract, detail.session.id]);
  return (
    <Panel id="panel-contract" title={t('review.contract.title')} testId="panel-contract">
      {!contract ? (
        <p className="review-muted">{t('review.contract.none')}</p>
      ) : (
        <>
          <p>
            <a href={artifactUrl(detail.session.id, contract.pdfArtifactId)} target="_blank" rel="noreferrer">
              {t('review.contract.pdf')}
            </a>
            {' · '}
            <a href={artifactUrl(detail.session.id, contract.recordArtifactId)} target="_blank" rel="noreferrer">
              {t('review.contract.record', { id: contract.recordId })}
            </a>
          </p>
          <div role="status" data-testid="contract-verification">
            {failed ? (
              <p className="review-alert">{t('review.contract.verifyFailed')}</p>
            ) : !verification ? (
              <p className="review-muted">{t('review.contract.verifying')}</p>
            ) : (
              <>
                <p>
                  <strong>{verification.ok ? t('review.contract.valid') : t('review.contract.invalid')}</strong>
                </p>
                <ul className="review-list">
                  {verification.checks.map((check) => (
                    <li key={check.name}>
                      {check.ok ? '✓' : '✗'} {check.name} <span className="review-muted">{check.detail}</span>
                    </li>
                  ))}
                </ul>
              </>
            )}
          </div>
        </>
      )}
      <p className={detail.chain.ok ? 'review-muted' : 'review-alert'}>
        {detail.chain.ok ? t('review.chain.ok', { count: detail.chain.count }) : t('review.chain.broken')}
      </p>
    </Panel>
  );
}

function RecordingPanel({ detail }: { detail: SessionDetail }) {
  const { t, locale } = useStaffLocale();
  return (
    <Panel id="panel-recording" title={t('review.recording.title')}>
      {detail.recordings.length === 0 ? (
        <p className="review-muted">{t('review.player.none')}</p>
      ) : (
        <ul className="review-list">
          {detail.recordings.map((segment, i) => (
            <li key={segment.artifactId}>
              {t('review.recording.segment', { n: i + 1, duration: segment.durationMs === null ? '?' : clock(segment.durationMs), size: Math.round(segment.size / 1024) })}{' '}
              {segment.complete ? '' : <strong className="review-flag">{t('review.player.incomplete')}</strong>}
              <span className="review-muted review-hash"> sha256 {segment.sha256.slice(0, 16)}…</span>
            </li>
          ))}
        </ul>
      )}
      <p className="review-muted">
        {t('review.recording.session', { created: dateTime(detail.session.createdAt, locale), ended: dateTime(detail.session.endedAt, locale) })}
      </p>
    </Panel>
  );
}
