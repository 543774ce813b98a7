/**
 * `sealContract`: evidence in, signed PDF and signed record out. The caller supplies the ids and
 * the time (no clock or randomness here), the loaded template and product, and the keys.
 */
import { createHash } from 'node:crypto';
import { appendixTitle, buildAppendix } from './appendix.ts';
import { ContractInputError } from './errors.ts';
import { parseSessionEvidence } from './evidence.ts';
import type { ContractLocale, SessionEvidence } from './evidence.ts';
import type { ContractKeys } from './keys.ts';
import { loadContractFonts, renderContractPdf, signContractPdf } from './pdf.ts';
import type { ContractFonts } from './pdf.ts';
import { buildRecord, serializeRecord } from './record.ts';
import type { ContractRecord } from './record.ts';
import { contractValues, fillContractTemplate, toBlocks } from './template.ts';
import type { ContractBlock, ContractFill, ContractProduct, ContractTemplate } from './template.ts';

export interface SealContractInput {
  /** Validated here; see evidence.ts for where each field comes from. */
  evidence: unknown;
  /** Templates by `<productId>.<locale>` (loadContractTemplates). */
  templates: ReadonlyMap<string, ContractTemplate>;
  product: ContractProduct;
  keys: Pick<ContractKeys, 'recordSigner' | 'pdfCertificate'>;
  recordId: string;
  /** UTC ISO timestamp of sealing. */
  sealedAt: string;
  /** The drawn signature (PNG or JPEG bytes of the artifact named by signing.drawnSignatureArtifactId). */
  signatureImage?: Uint8Array;
  fonts?: ContractFonts;
}

export interface SealedContract {
  record: ContractRecord;
  /** serializeRecord(record): the bytes to store and hand out. */
  recordJson: string;
  pdf: Buffer;
  /** The filled contract text (for the client's scroll-through view). */
  contractText: string;
}

const CAPTION: Record<ContractLocale, string> = { en: 'Signature of the Borrower', 'zh-CN': '借款人签署' };

function signatureLines(evidence: SessionEvidence): string[] {
  const { signing, identity } = evidence;
  if (evidence.locale === 'zh-CN') {
    return [`借款人：${identity.fullName}`, `确认声明：“${signing.statement}”`, `电子签署时间（UTC）：${signing.signedAt}`];
  }
  return [`Borrower: ${identity.fullName}`, `Confirmation: "${signing.statement}"`, `Signed electronically at ${signing.signedAt} (UTC)`];
}

/**
 * Fills the template: the contract text (and blocks) the applicant scrolls through before signing.
 * `sealContract` fills it the same way with the date of `signing.signedAt`.
 */
export function fillContract(
  fill: ContractFill,
  templates: ReadonlyMap<string, ContractTemplate>,
  product: ContractProduct,
): { template: ContractTemplate; text: string; blocks: ContractBlock[] } {
  if (product.id !== fill.productId) throw new ContractInputError(`product ${product.id} is not the contract's product ${fill.productId}`);
  const template = templates.get(`${fill.productId}.${fill.locale}`);
  if (!template) throw new ContractInputError(`no contract template ${fill.productId}.${fill.locale}`);
  const text = fillContractTemplate(template, contractValues(fill, product));
  return { template, text, blocks: toBlocks(text, fill.locale) };
}

export async function sealContract(input: SealContractInput): Promise<SealedContract> {
  const parsed = parseSessionEvidence(input.evidence);
  if (!parsed.ok) throw new ContractInputError(`evidence: ${parsed.problem}`);
  const evidence = parsed.evidence;
  if (Number.isNaN(Date.parse(input.sealedAt))) throw new ContractInputError('sealedAt: not a timestamp');
  const { template, text, blocks } = fillContract({ ...evidence, date: evidence.signing.signedAt.slice(0, 10) }, input.templates, input.product);
  const sealedAt = new Date(input.sealedAt);
  const certificate = input.keys.pdfCertificate;

  const unsigned = await renderContractPdf({
    locale: evidence.locale,
    blocks,
    signatureBlock: { caption: CAPTION[evidence.locale], lines: signatureLines(evidence), image: input.signatureImage },
    appendixTitle: appendixTitle(evidence.locale),
    appendix: buildAppendix(evidence, template, input.sealedAt),
    footer: evidence.reference,
    title: blocks.find((block) => block.kind === 'title')?.text ?? template.id,
    sealedAt,
    fonts: input.fonts ?? loadContractFonts(),
  });
  const pdf = await signContractPdf(unsigned, certificate, sealedAt);
  const record = buildRecord({
    evidence,
    template,
    recordId: input.recordId,
    createdAt: input.sealedAt,
    pdf: { sha256: createHash('sha256').update(pdf).digest('hex'), size: pdf.length, certificateSha256: certificate.certificateSha256 },
    signer: input.keys.recordSigner,
  });
  return { record, recordJson: serializeRecord(record), pdf, contractText: text };
}
