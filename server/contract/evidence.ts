/**
 * `SessionEvidence`: everything the contract and its record say about a session, as plain data.
 * The session layer assembles it from the store (see each field) and hands it to
 * `sealContract`; nothing here reads the store, the clock or files.
 *
 * All timestamps are UTC ISO 8601 with a `Z`. The schema is strict, so a field the lead adds by
 * mistake is rejected rather than silently left out of the signed record.
 */
import { z } from 'zod';

export const CONTRACT_LOCALES = ['en', 'zh-CN'] as const;
export type ContractLocale = (typeof CONTRACT_LOCALES)[number];

const ZUtc = z.iso.datetime({ error: 'expected a UTC timestamp like 2026-01-31T09:30:00.000Z' });
const ZSha256 = z.string().regex(/^[0-9a-f]{64}$/, { error: 'expected sha256 hex' });
const ZText = z.string().trim().min(1).max(2000);
const ZScore = z.number().min(0).max(1);

/** Identity fields the applicant confirmed (the identity step's confirmation event). */
export const ZConfirmedIdentity = z.strictObject({
  fullName: z.string().trim().min(1).max(200),
  /** YYYY-MM-DD. */
  dateOfBirth: z.iso.date().optional(),
  /** e.g. `passport`, `id-card`, `cn-id`. */
  documentType: z.string().trim().min(1).max(40).optional(),
  documentNumber: z.string().trim().min(1).max(60).optional(),
  /** ISO 3166-1 alpha-3 as read from an MRZ, when present. */
  nationality: z.string().trim().min(1).max(3).optional(),
  confirmedAt: ZUtc,
});
export type ConfirmedIdentity = z.infer<typeof ZConfirmedIdentity>;

/** What the applicant applied for (the session's application, set when it was created). */
export const ZLoanApplication = z.strictObject({
  /** In whole units of the product's currency. */
  amount: z.int().positive(),
  termMonths: z.int().positive().max(600),
});
export type LoanApplication = z.infer<typeof ZLoanApplication>;

/** The liveness verifier's result (its VerifierFinished event). */
export const ZLivenessEvidence = z.strictObject({
  passed: z.boolean(),
  /** Engine and version, e.g. `human-3.3 + liveness-rules-1`. */
  provider: z.string().min(1).max(120),
  score: ZScore.optional(),
  /** Challenge kinds in the order asked, e.g. ['turn-left', 'blink']. */
  challenges: z.array(z.string().min(1).max(40)).max(20).default([]),
  at: ZUtc,
});
export type LivenessEvidence = z.infer<typeof ZLivenessEvidence>;

/** Face match between the live face and the document photo (its VerifierFinished event). */
export const ZFaceMatchEvidence = z.strictObject({
  passed: z.boolean(),
  provider: z.string().min(1).max(120),
  similarity: ZScore,
  threshold: ZScore,
  at: ZUtc,
});
export type FaceMatchEvidence = z.infer<typeof ZFaceMatchEvidence>;

/** One intent or disclosure question as delivered, with the answer and its classification. */
export const ZIntentAnswerEvidence = z.strictObject({
  stepId: z.string().min(1).max(80),
  question: ZText,
  answer: z.string().max(2000),
  label: z.enum(['affirm', 'deny', 'unsure', 'question', 'other']),
  provider: z.enum(['offline', 'llm']),
  confidence: ZScore,
  coercionSignals: z.array(z.string().min(1).max(60)).max(10).default([]),
  at: ZUtc,
});
export type IntentAnswerEvidence = z.infer<typeof ZIntentAnswerEvidence>;

/** The signing moment: the confirmation phrase, its classification, face continuity if checked. */
export const ZSigningEvidence = z.strictObject({
  /** "I, <name>, agree ..." as spoken (transcribed) or typed. */
  statement: ZText,
  label: z.enum(['affirm', 'deny', 'unsure', 'question', 'other']),
  provider: z.enum(['offline', 'llm']),
  confidence: ZScore,
  /** Artifact id of the drawn signature image, when one was drawn. */
  drawnSignatureArtifactId: z.string().min(1).max(128).optional(),
  faceContinuity: z.strictObject({ passed: z.boolean(), similarity: ZScore }).optional(),
  signedAt: ZUtc,
});
export type SigningEvidence = z.infer<typeof ZSigningEvidence>;

/** One stored artifact (`store.artifacts.list(sessionId)`). */
export const ZArtifactEvidence = z.strictObject({
  id: z.string().min(1).max(128),
  kind: z.string().min(1).max(60),
  mime: z.string().min(1).max(120),
  size: z.int().min(0),
  sha256: ZSha256,
  createdAt: ZUtc,
});
export type ArtifactEvidence = z.infer<typeof ZArtifactEvidence>;

export const ZSessionEvidence = z.strictObject({
  /** SessionRecord.id */
  sessionId: z.string().min(1).max(128),
  /** SessionRecord.reference */
  reference: z.string().min(1).max(40),
  /** SessionRecord.locale: the contract's language. */
  locale: z.enum(CONTRACT_LOCALES),
  /** SessionRecord.scriptId / scriptHash */
  scriptId: z.string().min(1).max(80),
  scriptHash: ZSha256,
  /** The product whose terms and template are used (the contract step's `product`). */
  productId: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  /** SessionRecord.createdAt */
  sessionStartedAt: ZUtc,
  identity: ZConfirmedIdentity,
  loan: ZLoanApplication,
  liveness: ZLivenessEvidence.optional(),
  faceMatch: ZFaceMatchEvidence.optional(),
  answers: z.array(ZIntentAnswerEvidence).max(200),
  signing: ZSigningEvidence,
  artifacts: z.array(ZArtifactEvidence).max(1000),
  /** `store.events.verifyChain(sessionId)` just before sealing: it must be ok. */
  eventChain: z.strictObject({ count: z.int().min(1), headHash: ZSha256 }),
});
export type SessionEvidence = z.infer<typeof ZSessionEvidence>;
/** The evidence as the lead assembles it (defaults may be left out). */
export type SessionEvidenceInput = z.input<typeof ZSessionEvidence>;

/** Validates evidence; the error names the first bad field (path only, never its value). */
export function parseSessionEvidence(input: unknown): { ok: true; evidence: SessionEvidence } | { ok: false; problem: string } {
  const parsed = ZSessionEvidence.safeParse(input);
  if (parsed.success) return { ok: true, evidence: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, problem: `${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}` };
}
