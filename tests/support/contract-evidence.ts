/**
 * A seeded session for contract tests and the bench: a real SQLite store with a hash-chained
 * event log and stored artifacts, and the SessionEvidence assembled from it the way the session
 * layer will. All names and numbers are invented.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { openSqliteStore } from '../../server/store/index.ts';
import type { Store } from '../../server/store/index.ts';
import { loadContractFonts, loadContractTemplates, storedArtifacts } from '../../server/contract/index.ts';
import type { ContractFonts, ContractLocale, ContractProduct, ContractTemplate, SessionEvidenceInput } from '../../server/contract/index.ts';
import { loadProductsFromDir } from '../../server/intent/products.ts';

export interface SeededSession {
  store: Store;
  dir: string;
  sessionId: string;
  evidence: SessionEvidenceInput;
}

const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

/** Deterministic pseudo-random bytes (artifact stand-ins). */
export function seededBytes(size: number, seed: number): Uint8Array {
  const out = new Uint8Array(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

const NAMES: Record<ContractLocale, { fullName: string; documentType: string; documentNumber: string; nationality?: string }> = {
  en: { fullName: 'Anna Maria Eriksson', documentType: 'passport', documentNumber: 'L898902C3', nationality: 'SWE' },
  'zh-CN': { fullName: '王小明', documentType: 'cn-id', documentNumber: '11010519491231002X' },
};

const QUESTIONS: Record<ContractLocale, [string, string, string][]> = {
  en: [
    ['disclosure', 'Do you understand the risks and costs I just read out?', 'Yes, I understand them.'],
    ['understand', 'Do you understand that you must repay the loan with interest?', 'yes'],
    ['voluntary', 'Are you applying for yourself and of your own free will?', 'Yes, for myself, nobody asked me to.'],
  ],
  'zh-CN': [
    ['disclosure', '您是否理解我刚才宣读的风险和费用？', '理解。'],
    ['understand', '您是否清楚需要按期归还本金和利息？', '清楚'],
    ['voluntary', '您是否为本人申请、出于自愿？', '是本人，自愿的。'],
  ],
};

export async function seedSession(locale: ContractLocale = 'en', options: { sessionId?: string; dir?: string } = {}): Promise<SeededSession> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'attest-contract-'));
  const store = openSqliteStore({ dataDir: dir });
  const sessionId = options.sessionId ?? `s-${locale}-${sha256(dir).slice(0, 8)}`;
  const t = (minute: number, second = 0) => new Date(Date.UTC(2026, 10, 20, 9, minute, second)).toISOString();
  const scriptHash = sha256('onboarding script v1');
  const session = store.sessions.create(
    {
      id: sessionId,
      reference: 'ATT-7K2M-9QXD',
      tokenHash: sha256('token'),
      status: 'active',
      locale,
      scriptId: 'onboarding',
      scriptHash,
      externalRef: null,
      state: {},
      createdAt: t(0),
      expiresAt: t(0).replace('2026-11-20', '2026-11-23'),
    },
    { type: 'SessionCreated', at: t(0), payload: { scriptId: 'onboarding', scriptHash, locale } },
  );
  let version = session.version;
  const person = NAMES[locale];
  const answers: SessionEvidenceInput['answers'] = [];
  for (const [index, [stepId, question, answer]] of QUESTIONS[locale].entries()) {
    const at = t(4 + index);
    const classification = { label: 'affirm' as const, provider: 'offline' as const, confidence: 0.93 - index * 0.01 };
    version = store.sessions.update(sessionId, version, {}, [
      { type: 'AssistantSaid', at, payload: { stepId, lineId: 'ask', text: question } },
      { type: 'AnswerReceived', at, payload: { stepId, text: answer, classification } },
    ]).version;
    answers.push({ stepId, question, answer, ...classification, coercionSignals: [], at });
  }
  const artifacts: SessionEvidenceInput['artifacts'] = [];
  const kinds: [string, string, number][] = [
    ['document-image', 'image/jpeg', 48_000],
    ['key-frame', 'image/jpeg', 32_000],
    ['recording', 'video/webm', 600_000],
    ['transcript', 'application/json', 4_000],
    ['signature', 'image/png', 0],
  ];
  const drawn = await signaturePng();
  for (const [index, [kind, mime, size]] of kinds.entries()) {
    const bytes = kind === 'signature' ? drawn : seededBytes(size, index + 7);
    const record = await store.artifacts.put(sessionId, kind, mime, bytes, { at: t(8, index) });
    artifacts.push({ id: record.id, kind: record.kind, mime: record.mime, size: record.size, sha256: record.sha256, createdAt: record.createdAt });
  }
  const chain = store.events.verifyChain(sessionId);
  if (!chain.ok) throw new Error('seeded chain does not verify');
  const evidence: SessionEvidenceInput = {
    sessionId,
    reference: 'ATT-7K2M-9QXD',
    locale,
    scriptId: 'onboarding',
    scriptHash,
    productId: 'consumer-loan',
    sessionStartedAt: t(0),
    identity: {
      fullName: person.fullName,
      dateOfBirth: '1990-04-12',
      documentType: person.documentType,
      documentNumber: person.documentNumber,
      ...(person.nationality ? { nationality: person.nationality } : {}),
      confirmedAt: t(2),
    },
    loan: { amount: 50_000, termMonths: 24 },
    liveness: { passed: true, provider: 'human-3.3 liveness-rules-1', score: 0.97, challenges: ['turn-left', 'blink'], at: t(3) },
    faceMatch: { passed: true, provider: 'human-3.3 faceres', similarity: 0.81, threshold: 0.6, at: t(3, 30) },
    answers,
    signing: {
      statement: locale === 'zh-CN' ? `本人${person.fullName}，同意本合同的全部条款。` : `I, ${person.fullName}, agree to this loan agreement.`,
      label: 'affirm',
      provider: 'offline',
      confidence: 0.95,
      drawnSignatureArtifactId: artifacts.find((artifact) => artifact.kind === 'signature')?.id,
      faceContinuity: { passed: true, similarity: 0.84 },
      signedAt: t(9),
    },
    artifacts,
    eventChain: { count: chain.count, headHash: chain.headHash },
  };
  return { store, dir, sessionId, evidence };
}

/** A drawn-looking signature (PNG) standing in for the client's canvas. */
export async function signaturePng(): Promise<Uint8Array> {
  const svg =
    '<svg xmlns="http://www.w3.org/2000/svg" width="360" height="120">' +
    '<path d="M10 80 C 40 10, 70 10, 90 70 S 140 110, 170 50 S 230 20, 260 80 L 340 60" stroke="#1a237e" stroke-width="4" fill="none"/></svg>';
  return new Uint8Array(await sharp(Buffer.from(svg)).png().toBuffer());
}

export interface ContractKit {
  templates: Map<string, ContractTemplate>;
  product: ContractProduct;
  fonts: ContractFonts;
}

/** The real product file and templates from prompts/, and the fonts. */
export function loadContractKit(root = process.cwd()): ContractKit {
  const products = loadProductsFromDir(join(root, 'prompts/products'));
  const product = products.find((entry) => entry.id === 'consumer-loan');
  if (!product) throw new Error('prompts/products has no consumer-loan');
  const templates = loadContractTemplates(join(root, 'prompts/contracts'), (id) => products.find((entry) => entry.id === id));
  return { templates, product, fonts: loadContractFonts() };
}

/** Artifact bytes by id, read raw from the blob store (the store's own read would refuse a mismatch). */
export function artifactReader(store: Store, sessionId: string): (id: string) => Promise<Uint8Array | null> {
  return storedArtifacts(store, sessionId);
}
