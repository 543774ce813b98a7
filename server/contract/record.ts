/**
 * The contract record: canonical JSON (RFC 8785, store/canonical-json.ts) of what was signed and
 * the evidence behind it, the PDF's sha256, the event chain head at sealing, and an Ed25519
 * signature (base64url) over the canonical JSON of the record without its `signature` field.
 *
 * Building is pure: the same evidence, ids, times, PDF digest and key give the same bytes
 * (Ed25519 signatures are deterministic).
 */
import { z } from 'zod';
import { canonicalJson } from '../store/canonical-json.ts';
import {
  ZConfirmedIdentity,
  ZFaceMatchEvidence,
  ZIntentAnswerEvidence,
  ZLivenessEvidence,
  ZLoanApplication,
  ZSigningEvidence,
} from './evidence.ts';
import type { SessionEvidence } from './evidence.ts';
import type { RecordSigner } from './keys.ts';
import type { ContractTemplate } from './template.ts';

export const RECORD_VERSION = 1;

const ZSha256 = z.string().regex(/^[0-9a-f]{64}$/);

export const ZRecordEvidence = z.strictObject({
  locale: z.enum(['en', 'zh-CN']),
  productId: z.string(),
  contractTemplate: z.strictObject({ id: z.string(), sha256: ZSha256 }),
  loan: ZLoanApplication,
  sessionStartedAt: z.iso.datetime(),
  liveness: ZLivenessEvidence.optional(),
  faceMatch: ZFaceMatchEvidence.optional(),
  answers: z.array(ZIntentAnswerEvidence),
  signing: ZSigningEvidence,
});

export const ZUnsignedRecord = z.strictObject({
  version: z.literal(RECORD_VERSION),
  recordId: z.string().min(1).max(128),
  sessionId: z.string().min(1),
  reference: z.string().min(1),
  createdAt: z.iso.datetime(),
  scriptId: z.string().min(1),
  scriptHash: ZSha256,
  identity: ZConfirmedIdentity,
  evidence: ZRecordEvidence,
  artifacts: z.array(z.strictObject({ id: z.string().min(1), kind: z.string().min(1), sha256: ZSha256, size: z.int().min(0) })),
  pdf: z.strictObject({ sha256: ZSha256, size: z.int().min(1), certificateSha256: ZSha256 }),
  eventChain: z.strictObject({ count: z.int().min(1), headHash: ZSha256 }),
  kid: z.string().regex(/^[0-9a-f]{16}$/),
});
export type UnsignedRecord = z.infer<typeof ZUnsignedRecord>;

export const ZContractRecord = ZUnsignedRecord.extend({ signature: z.string().regex(/^[A-Za-z0-9_-]+$/) });
export type ContractRecord = z.infer<typeof ZContractRecord>;

export interface BuildRecordInput {
  evidence: SessionEvidence;
  template: ContractTemplate;
  recordId: string;
  /** When the record was sealed (also the PDF's signing time). */
  createdAt: string;
  pdf: { sha256: string; size: number; certificateSha256: string };
  signer: RecordSigner;
}

/** The signed bytes: canonical JSON of everything but `signature`. */
export function recordSigningInput(record: UnsignedRecord | ContractRecord): Uint8Array {
  const { signature: _signature, ...unsigned } = record as ContractRecord;
  return new TextEncoder().encode(canonicalJson(unsigned));
}

export function buildRecord(input: BuildRecordInput): ContractRecord {
  const { evidence, template } = input;
  const unsigned: UnsignedRecord = {
    version: RECORD_VERSION,
    recordId: input.recordId,
    sessionId: evidence.sessionId,
    reference: evidence.reference,
    createdAt: input.createdAt,
    scriptId: evidence.scriptId,
    scriptHash: evidence.scriptHash,
    identity: evidence.identity,
    evidence: {
      locale: evidence.locale,
      productId: evidence.productId,
      contractTemplate: { id: template.id, sha256: template.hash },
      loan: evidence.loan,
      sessionStartedAt: evidence.sessionStartedAt,
      liveness: evidence.liveness,
      faceMatch: evidence.faceMatch,
      answers: evidence.answers,
      signing: evidence.signing,
    },
    artifacts: evidence.artifacts.map(({ id, kind, sha256, size }) => ({ id, kind, sha256, size })),
    pdf: { ...input.pdf },
    eventChain: { ...evidence.eventChain },
    kid: input.signer.kid,
  };
  const signature = Buffer.from(input.signer.sign(recordSigningInput(unsigned))).toString('base64url');
  return { ...unsigned, signature };
}

/** The record as stored and downloaded: canonical JSON text (UTF-8). */
export function serializeRecord(record: ContractRecord): string {
  return canonicalJson(record);
}
