/**
 * The evidence appendix as localized rows (pure): what the PDF prints after the contract. The
 * record carries the same facts as JSON (record.ts), so a reader can match one to the other.
 */
import type { ContractLocale, SessionEvidence } from './evidence.ts';
import type { ContractTemplate } from './template.ts';

export interface AppendixRow {
  label: string;
  value: string;
  /** Hashes and ids: printed in a smaller font. */
  mono?: boolean;
}

export interface AppendixSection {
  heading: string;
  rows: AppendixRow[];
}

type Labels = Record<
  | 'title'
  | 'session'
  | 'sessionId'
  | 'reference'
  | 'started'
  | 'signed'
  | 'sealed'
  | 'script'
  | 'scriptHash'
  | 'template'
  | 'identity'
  | 'fullName'
  | 'dateOfBirth'
  | 'documentType'
  | 'documentNumber'
  | 'nationality'
  | 'confirmedAt'
  | 'verification'
  | 'liveness'
  | 'faceMatch'
  | 'passed'
  | 'failed'
  | 'notPerformed'
  | 'answers'
  | 'question'
  | 'answer'
  | 'classification'
  | 'signing'
  | 'statement'
  | 'faceContinuity'
  | 'artifacts'
  | 'chain'
  | 'chainCount'
  | 'chainHead'
  | 'none',
  string
>;

const LABELS: Record<ContractLocale, Labels> = {
  en: {
    title: 'Appendix: evidence of the session',
    session: 'Session',
    sessionId: 'Session id',
    reference: 'Reference',
    started: 'Session started (UTC)',
    signed: 'Signed (UTC)',
    sealed: 'Sealed (UTC)',
    script: 'Script',
    scriptHash: 'Script version (sha256)',
    template: 'Contract template (sha256)',
    identity: 'Identity confirmed by the applicant',
    fullName: 'Full name',
    dateOfBirth: 'Date of birth',
    documentType: 'Document type',
    documentNumber: 'Document number',
    nationality: 'Nationality',
    confirmedAt: 'Confirmed (UTC)',
    verification: 'Liveness and face match',
    liveness: 'Liveness',
    faceMatch: 'Face match with the document photo',
    passed: 'passed',
    failed: 'failed',
    notPerformed: 'not performed in this session',
    answers: 'Questions and answers',
    question: 'Question',
    answer: 'Answer',
    classification: 'Classification',
    signing: 'Signature',
    statement: 'Confirmation statement',
    faceContinuity: 'Face continuity at signing',
    artifacts: 'Artifacts (sha256)',
    chain: 'Event chain',
    chainCount: 'Events at sealing',
    chainHead: 'Head hash',
    none: 'none',
  },
  'zh-CN': {
    title: '附录：会话证据',
    session: '会话',
    sessionId: '会话编号',
    reference: '业务编号',
    started: '会话开始时间（UTC）',
    signed: '签署时间（UTC）',
    sealed: '封存时间（UTC）',
    script: '话术脚本',
    scriptHash: '脚本版本（sha256）',
    template: '合同模板（sha256）',
    identity: '申请人确认的身份信息',
    fullName: '姓名',
    dateOfBirth: '出生日期',
    documentType: '证件类型',
    documentNumber: '证件号码',
    nationality: '国籍',
    confirmedAt: '确认时间（UTC）',
    verification: '活体检测与人脸比对',
    liveness: '活体检测',
    faceMatch: '与证件照片的人脸比对',
    passed: '通过',
    failed: '未通过',
    notPerformed: '本次会话未进行',
    answers: '问答记录',
    question: '问题',
    answer: '回答',
    classification: '意图识别',
    signing: '签署',
    statement: '确认声明',
    faceContinuity: '签署时人脸一致性',
    artifacts: '存证文件（sha256）',
    chain: '事件链',
    chainCount: '封存时事件数',
    chainHead: '链头哈希',
    none: '无',
  },
};

export function appendixTitle(locale: ContractLocale): string {
  return LABELS[locale].title;
}

const score = (value: number) => value.toFixed(3);

export function buildAppendix(evidence: SessionEvidence, template: ContractTemplate, sealedAt: string): AppendixSection[] {
  const t = LABELS[evidence.locale];
  const verdict = (passed: boolean) => (passed ? t.passed : t.failed);
  const { identity, liveness, faceMatch, signing } = evidence;

  const identityRows: AppendixRow[] = [{ label: t.fullName, value: identity.fullName }];
  if (identity.dateOfBirth) identityRows.push({ label: t.dateOfBirth, value: identity.dateOfBirth });
  if (identity.documentType) identityRows.push({ label: t.documentType, value: identity.documentType });
  if (identity.documentNumber) identityRows.push({ label: t.documentNumber, value: identity.documentNumber });
  if (identity.nationality) identityRows.push({ label: t.nationality, value: identity.nationality });
  identityRows.push({ label: t.confirmedAt, value: identity.confirmedAt });

  const checks: AppendixRow[] = [
    {
      label: t.liveness,
      value: liveness
        ? `${verdict(liveness.passed)}${liveness.score === undefined ? '' : `, score ${score(liveness.score)}`}` +
          `${liveness.challenges.length ? `, ${liveness.challenges.join(' / ')}` : ''}; ${liveness.provider}; ${liveness.at}`
        : t.notPerformed,
    },
    {
      label: t.faceMatch,
      value: faceMatch
        ? `${verdict(faceMatch.passed)}, similarity ${score(faceMatch.similarity)} (threshold ${score(faceMatch.threshold)}); ${faceMatch.provider}; ${faceMatch.at}`
        : t.notPerformed,
    },
  ];

  const answers: AppendixRow[] = evidence.answers.flatMap((item, index) => [
    { label: `${index + 1}. ${t.question} (${item.stepId})`, value: item.question },
    { label: t.answer, value: item.answer === '' ? '—' : item.answer },
    {
      label: t.classification,
      value:
        `${item.label}, ${item.provider}, confidence ${score(item.confidence)}` +
        `${item.coercionSignals.length ? `, signals: ${item.coercionSignals.join(', ')}` : ''}; ${item.at}`,
    },
  ]);

  const signingRows: AppendixRow[] = [
    { label: t.statement, value: signing.statement },
    { label: t.classification, value: `${signing.label}, ${signing.provider}, confidence ${score(signing.confidence)}` },
  ];
  if (signing.faceContinuity) {
    signingRows.push({
      label: t.faceContinuity,
      value: `${verdict(signing.faceContinuity.passed)}, similarity ${score(signing.faceContinuity.similarity)}`,
    });
  }
  signingRows.push({ label: t.signed, value: signing.signedAt });

  return [
    {
      heading: t.session,
      rows: [
        { label: t.sessionId, value: evidence.sessionId, mono: true },
        { label: t.reference, value: evidence.reference },
        { label: t.started, value: evidence.sessionStartedAt },
        { label: t.signed, value: signing.signedAt },
        { label: t.sealed, value: sealedAt },
        { label: t.script, value: evidence.scriptId },
        { label: t.scriptHash, value: evidence.scriptHash, mono: true },
        { label: t.template, value: `${template.id} ${template.hash}`, mono: true },
      ],
    },
    { heading: t.identity, rows: identityRows },
    { heading: t.verification, rows: checks },
    { heading: t.answers, rows: answers.length ? answers : [{ label: t.answers, value: t.none }] },
    { heading: t.signing, rows: signingRows },
    {
      heading: t.artifacts,
      rows: evidence.artifacts.length
        ? evidence.artifacts.map((artifact) => ({
            label: `${artifact.kind} (${artifact.id}, ${artifact.size} B)`,
            value: artifact.sha256,
            mono: true,
          }))
        : [{ label: t.artifacts, value: t.none }],
    },
    {
      heading: t.chain,
      rows: [
        { label: t.chainCount, value: String(evidence.eventChain.count) },
        { label: t.chainHead, value: evidence.eventChain.headHash, mono: true },
      ],
    },
  ];
}
