/**
 * The contract as a session sees it: the loan a session applies for, the filled contract the
 * applicant reads before signing, the `SessionEvidence` assembled from the store at sealing, and
 * the sealed records stored with the session. The HTTP routes and the `contract-seal` verifier
 * use these; nothing here talks HTTP or moves the dialogue.
 *
 * Record ids are `<sessionId>.c<n>` (the n-th contract sealed in the session), so the public
 * verification route finds the session and its stored record without another index. The
 * session id is not a credential (the applicant's token is), and it is in the record anyway.
 */
import { applicantIdentity, type ContractStep } from '../dialogue/kinds/contract.ts';
import type { DialogueState, Script } from '../dialogue/index.ts';
import { ZIntentClassification } from '../intent/types.ts';
import type { ArtifactRecord, SessionRecord, Store, StoredEvent } from '../store/index.ts';
import { ContractInputError } from './errors.ts';
import { CONTRACT_LOCALES, ZFaceMatchEvidence, ZLivenessEvidence } from './evidence.ts';
import type { ContractLocale, IntentAnswerEvidence, LoanApplication, SessionEvidenceInput } from './evidence.ts';
import type { ContractKeys } from './keys.ts';
import { checkLoan, defaultLoan, loanOfPayload } from './loan.ts';
import type { SessionLoan } from './loan.ts';
import type { ContractFonts } from './pdf.ts';
import { fillContract } from './seal.ts';
import type { ContractBlock, ContractProduct, ContractTemplate } from './template.ts';

/** Everything sealing needs, opened once at startup. */
export interface ContractRuntime {
  keys: ContractKeys;
  templates: ReadonlyMap<string, ContractTemplate>;
  fonts: ContractFonts;
  getProduct(id: string): ContractProduct | undefined;
  /** Why the CJK fonts are missing (English contracts still render), or null. */
  fontProblem?: string | null;
}

export const CONTRACT_PDF_KIND = 'contract-pdf';
export const CONTRACT_RECORD_KIND = 'contract-record';
export const SIGNATURE_KIND = 'signature';

/** The contract steps of a script. */
export function contractSteps(script: Script): ContractStep[] {
  return script.steps.filter((step) => step.kind === 'contract') as ContractStep[];
}

/**
 * The loan a new session records in `SessionCreated`: the requested one, checked against the
 * limits of every contract product of the script, or the (first) product's demo default. Null
 * for a script without a contract and no requested loan. Throws ContractInputError naming the field.
 */
export function resolveSessionLoan(
  script: Script,
  requested: LoanApplication | undefined,
  getProduct: (id: string) => ContractProduct | undefined,
): SessionLoan | null {
  const products = contractSteps(script).map((step) => {
    const product = getProduct(step.product);
    if (!product) throw new ContractInputError(`step ${step.id}: product ${step.product} is not loaded`);
    return product;
  });
  if (requested !== undefined) {
    for (const product of products) {
      const problem = checkLoan(product, requested);
      if (problem !== null) throw new ContractInputError(problem);
    }
    return { amount: requested.amount, termMonths: requested.termMonths, source: 'request' };
  }
  const first = products[0];
  if (first === undefined) return null;
  const fallback = defaultLoan(first);
  if (!fallback.ok) throw new ContractInputError(fallback.problem);
  return { ...fallback.loan, source: 'product-default' };
}

/** The loan the session applied for (its `SessionCreated` event), else the product's demo default. */
export function loanOfSession(events: StoredEvent[], product: ContractProduct): LoanApplication {
  const created = events.find((event) => event.type === 'SessionCreated');
  const recorded = loanOfPayload(created?.payload);
  if (recorded) return { amount: recorded.amount, termMonths: recorded.termMonths };
  const fallback = defaultLoan(product);
  if (!fallback.ok) throw new ContractInputError(fallback.problem);
  return fallback.loan;
}

function contractLocale(locale: string): ContractLocale {
  if (!(CONTRACT_LOCALES as readonly string[]).includes(locale)) throw new ContractInputError(`no contract in locale ${locale}`);
  return locale as ContractLocale;
}

export interface ContractPreview {
  productId: string;
  locale: ContractLocale;
  template: { id: string; sha256: string };
  title: string;
  blocks: ContractBlock[];
  text: string;
}

/**
 * The filled contract for the session's current contract step (dated `now`, as sealing dates it
 * by the signing time). Null when the current step is not a contract step.
 */
export function previewContract(input: { runtime: ContractRuntime; record: SessionRecord; script: Script; events: StoredEvent[]; now: Date }): ContractPreview | null {
  const state = input.record.state as DialogueState;
  const step = contractSteps(input.script).find((candidate) => candidate.id === state.stepId);
  if (!step) return null;
  const product = input.runtime.getProduct(step.product);
  if (!product) throw new ContractInputError(`product ${step.product} is not loaded`);
  const identity = applicantIdentity(input.script, state);
  if (!identity) throw new ContractInputError('no confirmed name to fill the contract with');
  const locale = contractLocale(input.record.locale);
  const { sourceStepId: _source, ...fields } = identity;
  const filled = fillContract(
    { productId: product.id, locale, reference: input.record.reference, identity: fields, loan: loanOfSession(input.events, product), date: input.now.toISOString().slice(0, 10) },
    input.runtime.templates,
    product,
  );
  return {
    productId: product.id,
    locale,
    template: { id: filled.template.id, sha256: filled.template.hash },
    title: filled.blocks.find((block) => block.kind === 'title')?.text ?? filled.template.id,
    blocks: filled.blocks,
    text: filled.text,
  };
}

const payloadOf = (event: StoredEvent) => (event.payload ?? {}) as Record<string, unknown>;

/** Challenge kinds in the order asked: strings, or `{kind}` objects as the liveness verifier reports them. */
function challengeKinds(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value
    .map((entry) => (typeof entry === 'string' ? entry : typeof (entry as { kind?: unknown })?.kind === 'string' ? (entry as { kind: string }).kind : null))
    .filter((kind): kind is string => kind !== null && kind.length > 0 && kind.length <= 40)
    .slice(0, 20);
}

const LIVENESS_PROVIDER = 'attest-liveness (human face mesh, randomized challenges)';

/** The latest liveness verifier result (`VerifierFinished` of `liveness`), if one ran. */
function livenessOf(events: StoredEvent[]): SessionEvidenceInput['liveness'] {
  const event = events.filter((e) => e.type === 'VerifierFinished' && payloadOf(e).verifier === 'liveness').at(-1);
  if (!event) return undefined;
  const payload = payloadOf(event);
  const data = (payload.data ?? {}) as Record<string, unknown>;
  const parsed = ZLivenessEvidence.safeParse({
    passed: payload.outcome === 'pass',
    provider: typeof data.provider === 'string' ? data.provider : LIVENESS_PROVIDER,
    ...(typeof data.score === 'number' ? { score: data.score } : {}),
    challenges: challengeKinds(data.challenges),
    at: event.at,
  });
  return parsed.success ? parsed.data : undefined;
}

/**
 * Face match between the live face and the document photo: the liveness verifier's `faceMatch`
 * ({similarity, threshold, matched}) or a separate `face-match` verifier's result.
 */
function faceMatchOf(events: StoredEvent[]): SessionEvidenceInput['faceMatch'] {
  const event = events
    .filter((e) => e.type === 'VerifierFinished' && ['liveness', 'face-match'].includes(String(payloadOf(e).verifier)))
    .filter((e) => {
      const data = (payloadOf(e).data ?? {}) as Record<string, unknown>;
      return payloadOf(e).verifier === 'face-match' || (typeof data.faceMatch === 'object' && data.faceMatch !== null);
    })
    .at(-1);
  if (!event) return undefined;
  const payload = payloadOf(event);
  const data = (payload.data ?? {}) as Record<string, unknown>;
  const match = (payload.verifier === 'liveness' ? data.faceMatch : data) as Record<string, unknown>;
  const parsed = ZFaceMatchEvidence.safeParse({
    passed: typeof match.matched === 'boolean' ? match.matched : payload.outcome === 'pass',
    provider: typeof match.provider === 'string' ? match.provider : 'attest-face-match (human faceres descriptor, cosine similarity)',
    similarity: match.similarity,
    threshold: match.threshold,
    at: event.at,
  });
  return parsed.success ? parsed.data : undefined;
}

/**
 * Every classified answer, with the question as delivered: typed or spoken answers with their
 * stored classification, and button presses (yes / no) as what was pressed. Free-text data
 * answers (name, date of birth) are in the identity, a confirm screen's fields too.
 */
function answersOf(events: StoredEvent[], exclude: StoredEvent | undefined): IntentAnswerEvidence[] {
  const answers: IntentAnswerEvidence[] = [];
  for (const event of events) {
    if (event.type !== 'AnswerReceived' || event === exclude) continue;
    const payload = payloadOf(event);
    const question = typeof payload.question === 'string' && payload.question.trim() !== '' ? payload.question.slice(0, 2000) : '(not recorded)';
    const stepId = String(payload.stepId ?? '').slice(0, 80);
    const text = typeof payload.text === 'string' ? payload.text : undefined;
    const classified = ZIntentClassification.safeParse(payload.classification);
    if (classified.success) {
      const reading = classified.data;
      answers.push({
        stepId,
        question,
        answer: (text ?? String(payload.choice ?? '')).slice(0, 2000),
        label: reading.label,
        provider: reading.provider,
        confidence: reading.confidence,
        coercionSignals: reading.coercion_signals,
        at: event.at,
      });
    } else if (text === undefined && (payload.choice === 'yes' || payload.choice === 'no')) {
      answers.push({
        stepId,
        question,
        answer: (typeof payload.display === 'string' ? payload.display : payload.choice).slice(0, 2000),
        label: payload.choice === 'yes' ? 'affirm' : 'deny',
        provider: 'offline',
        confidence: 1,
        coercionSignals: [],
        at: event.at,
      });
    }
  }
  return answers.slice(-200);
}

export interface SigningParams {
  signatureArtifactId: string;
  reading: { label: string; provider: string; confidence: number };
}

/**
 * `SessionEvidence` for sealing the contract of step `stepId`, read from the store in one go
 * (the chain head and the artifact list are taken together). Refuses (ContractInputError) when
 * the event chain does not verify, the signing answer or the drawn signature is missing.
 */
export function assembleEvidence(input: {
  store: Pick<Store, 'events' | 'artifacts'>;
  record: SessionRecord;
  script: Script;
  stepId: string;
  product: ContractProduct;
  signing: SigningParams;
  /** The live face compared with the liveness face at the moment of signing, when watched. */
  faceContinuity?: { passed: boolean; similarity: number } | null;
}): { evidence: SessionEvidenceInput; signature: ArtifactRecord } {
  const { store, record, script } = input;
  const chain = store.events.verifyChain(record.id);
  if (!chain.ok) throw new ContractInputError(`the event chain does not verify (event ${chain.brokenAt?.seq ?? '?'}: ${chain.brokenAt?.reason ?? 'broken'})`);
  const events = store.events.list(record.id);
  const artifacts = store.artifacts.list(record.id);
  const state = record.state as DialogueState;

  const identity = applicantIdentity(script, state);
  if (!identity) throw new ContractInputError('no confirmed name');
  const confirmed = events.filter((e) => e.type === 'AnswerReceived' && payloadOf(e).stepId === identity.sourceStepId).at(-1);
  const signed = events.filter((e) => e.type === 'AnswerReceived' && payloadOf(e).stepId === input.stepId && payloadOf(e).choice === 'sign').at(-1);
  if (!signed) throw new ContractInputError('no signing answer is stored');
  const signature = artifacts.find((artifact) => artifact.id === input.signing.signatureArtifactId);
  if (!signature || signature.kind !== SIGNATURE_KIND || signature.mime !== 'image/png') {
    throw new ContractInputError('the drawn signature is not a stored signature of this session');
  }
  const signedPayload = payloadOf(signed);
  const stored = ZIntentClassification.safeParse(signedPayload.classification);
  const reading = stored.success ? stored.data : input.signing.reading;
  const { sourceStepId: _source, ...fields } = identity;
  const evidence: SessionEvidenceInput = {
    sessionId: record.id,
    reference: record.reference,
    locale: contractLocale(record.locale),
    scriptId: record.scriptId,
    scriptHash: record.scriptHash,
    productId: input.product.id,
    sessionStartedAt: record.createdAt,
    identity: { ...fields, confirmedAt: confirmed?.at ?? signed.at },
    loan: loanOfSession(events, input.product),
    liveness: livenessOf(events),
    faceMatch: faceMatchOf(events),
    answers: answersOf(events, signed),
    signing: {
      statement: String(signedPayload.text ?? ''),
      label: reading.label as IntentAnswerEvidence['label'],
      provider: reading.provider as IntentAnswerEvidence['provider'],
      confidence: reading.confidence,
      drawnSignatureArtifactId: signature.id,
      ...(input.faceContinuity ? { faceContinuity: input.faceContinuity } : {}),
      signedAt: signed.at,
    },
    artifacts: artifacts.map(({ id, kind, mime, size, sha256, createdAt }) => ({ id, kind, mime, size, sha256, createdAt })),
    eventChain: { count: chain.count, headHash: chain.headHash },
  };
  if (evidence.liveness === undefined) delete evidence.liveness;
  if (evidence.faceMatch === undefined) delete evidence.faceMatch;
  return { evidence, signature };
}

/** `<sessionId>.c<n>` */
export function contractRecordId(sessionId: string, n: number): string {
  return `${sessionId}.c${n}`;
}

export function parseContractRecordId(recordId: string): { sessionId: string; n: number } | null {
  const match = /^([A-Za-z0-9_-]{1,120})\.c([1-9][0-9]{0,3})$/.exec(recordId);
  return match ? { sessionId: match[1]!, n: Number(match[2]) } : null;
}

/** The n-th sealed contract of a session (1-based), or the latest: its PDF and record artifacts. */
export function storedContract(store: Pick<Store, 'artifacts'>, sessionId: string, n?: number): { n: number; pdf: ArtifactRecord; record: ArtifactRecord } | null {
  const artifacts = store.artifacts.list(sessionId);
  const pdfs = artifacts.filter((artifact) => artifact.kind === CONTRACT_PDF_KIND);
  const records = artifacts.filter((artifact) => artifact.kind === CONTRACT_RECORD_KIND);
  const count = Math.min(pdfs.length, records.length);
  const index = n ?? count;
  if (index < 1 || index > count) return null;
  return { n: index, pdf: pdfs[index - 1]!, record: records[index - 1]! };
}
