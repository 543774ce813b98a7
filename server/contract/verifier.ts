/**
 * The `contract-seal` verifier: run by a `contract` step once the applicant has drawn their
 * signature and stated their agreement. It assembles the session's evidence from the store
 * (refusing when the event chain does not verify), seals the contract (signed PDF + signed
 * record), stores both as the session's artifacts `contract-pdf` and `contract-record`, and
 * passes with `{recordId, pdfSha256}`. Anything missing or inconsistent fails with a reason code
 * (never personal data), and the step routes to review: nothing is reported signed unsealed.
 */
import type { Logger } from '../log.ts';
import type { ScriptCatalog, Verifier } from '../session/index.ts';
import type { Store } from '../store/index.ts';
import { ContractInputError } from './errors.ts';
import { sealContract } from './seal.ts';
import {
  assembleEvidence,
  CONTRACT_PDF_KIND,
  CONTRACT_RECORD_KIND,
  contractRecordId,
  storedContract,
} from './session.ts';
import type { ContractRuntime, SigningParams } from './session.ts';

export const CONTRACT_SEAL_VERIFIER_NAME = 'contract-seal';

export interface ContractSealVerifierOptions {
  store: Store;
  catalog: Pick<ScriptCatalog, 'pinned'>;
  runtime: ContractRuntime;
  logger: Logger;
  now?: () => Date;
  /**
   * Face continuity since liveness (when the session passed one): checked again at this moment;
   * a broken continuity refuses the seal (the signer must be the person who passed liveness).
   */
  continuity?: { checkNow(sessionId: string): Promise<{ broken: boolean; lastSimilarity: number | null } | null> };
}

function signingParams(params: Record<string, unknown>): SigningParams | null {
  const reading = params.reading as Partial<SigningParams['reading']> | undefined;
  if (typeof params.signatureArtifactId !== 'string' || !reading) return null;
  if (typeof reading.label !== 'string' || typeof reading.provider !== 'string' || typeof reading.confidence !== 'number') return null;
  return { signatureArtifactId: params.signatureArtifactId, reading: { label: reading.label, provider: reading.provider, confidence: reading.confidence } };
}

export function createContractSealVerifier(options: ContractSealVerifierOptions): Verifier {
  const now = options.now ?? (() => new Date());
  return {
    name: CONTRACT_SEAL_VERIFIER_NAME,
    async run(params, ctx) {
      const fail = (reason: string) => ({ outcome: 'fail' as const, data: { reason } });
      const signing = signingParams(params);
      const product = typeof params.product === 'string' ? options.runtime.getProduct(params.product) : undefined;
      if (!signing || !product) return fail('bad_params');
      const record = options.store.sessions.findById(ctx.sessionId);
      if (!record) return fail('no_session');
      const script = options.catalog.pinned(record.scriptHash).script;
      const continuity = options.continuity ? await options.continuity.checkNow(ctx.sessionId) : null;
      if (continuity?.broken) return fail('face_continuity_broken');
      const faceContinuity = continuity && continuity.lastSimilarity !== null ? { passed: true, similarity: Math.round(continuity.lastSimilarity * 1000) / 1000 } : null;
      let assembled: ReturnType<typeof assembleEvidence>;
      try {
        assembled = assembleEvidence({ store: options.store, record, script, stepId: ctx.stepId, product, signing, faceContinuity });
      } catch (error) {
        if (!(error instanceof ContractInputError)) throw error;
        options.logger.warn({ sessionId: ctx.sessionId, problem: error.message }, 'contract not sealed: evidence');
        return fail(/event chain/.test(error.message) ? 'event_chain_broken' : 'evidence_incomplete');
      }
      const signatureImage = await options.store.artifacts.read(assembled.signature.id);
      if (!signatureImage) return fail('signature_missing');
      const n = (storedContract(options.store, ctx.sessionId)?.n ?? 0) + 1;
      const recordId = contractRecordId(ctx.sessionId, n);
      let sealed: Awaited<ReturnType<typeof sealContract>>;
      try {
        sealed = await sealContract({
          evidence: assembled.evidence,
          templates: options.runtime.templates,
          product,
          keys: options.runtime.keys,
          recordId,
          sealedAt: now().toISOString(),
          signatureImage: signatureImage.bytes,
          fonts: options.runtime.fonts,
        });
      } catch (error) {
        if (!(error instanceof ContractInputError)) throw error;
        options.logger.warn({ sessionId: ctx.sessionId, problem: error.message }, 'contract not sealed: input');
        return fail('evidence_invalid');
      }
      if (ctx.signal.aborted) return fail('cancelled');
      const pdf = await ctx.storeArtifact(CONTRACT_PDF_KIND, 'application/pdf', new Uint8Array(sealed.pdf));
      const stored = await ctx.storeArtifact(CONTRACT_RECORD_KIND, 'application/json', new TextEncoder().encode(sealed.recordJson));
      options.logger.info({ sessionId: ctx.sessionId, recordId, kid: sealed.record.kid }, 'contract sealed');
      return {
        outcome: 'pass',
        data: { recordId, pdfSha256: sealed.record.pdf.sha256, pdfArtifactId: pdf.id, recordArtifactId: stored.id },
      };
    },
  };
}
