/**
 * The signed e-contract: templates filled with confirmed identity and product terms, a PDF with
 * the evidence appendix and a CMS (PAdES-style) signature, and an Ed25519-signed canonical JSON
 * record that seals the PDF, every artifact and the event chain head. `verifyRecord` checks it all.
 */
export { openContractKeys, contractKeysDir, keyringPath, keyIdOf, ZKeyring, ZPublicKeyEntry } from './keys.ts';
export type { ContractKeys, ContractKeysOptions, Keyring, PublicKeyEntry, RecordSigner } from './keys.ts';
export { openPdfCertificate, certificateSha256, createSelfSignedP12 } from './certificate.ts';
export type { PdfCertificate, PdfCertificateOptions } from './certificate.ts';
export { ContractKeyError, ContractInputError } from './errors.ts';
export { CONTRACT_LOCALES, ZSessionEvidence, parseSessionEvidence } from './evidence.ts';
export type {
  ArtifactEvidence,
  ConfirmedIdentity,
  ContractLocale,
  FaceMatchEvidence,
  IntentAnswerEvidence,
  LivenessEvidence,
  LoanApplication,
  SessionEvidence,
  SessionEvidenceInput,
  SigningEvidence,
} from './evidence.ts';
export { loadContractTemplates, parseContractTemplate, fillContractTemplate, contractValues, monthlyPayment, toBlocks } from './template.ts';
export type { ContractBlock, ContractFill, ContractProduct, ContractTemplate } from './template.ts';
export { buildAppendix } from './appendix.ts';
export type { AppendixRow, AppendixSection } from './appendix.ts';
export { loadContractFonts, renderContractPdf, signContractPdf, PDF_SUBFILTER, DEFAULT_FONT_DIR } from './pdf.ts';
export type { ContractFonts, RenderInput } from './pdf.ts';
export { buildRecord, recordSigningInput, serializeRecord, RECORD_VERSION, ZContractRecord } from './record.ts';
export type { BuildRecordInput, ContractRecord, UnsignedRecord } from './record.ts';
export { sealContract, fillContract } from './seal.ts';
export type { SealContractInput, SealedContract } from './seal.ts';
export { verifyRecord, checkEventChain } from './verify.ts';
export type { ArtifactSource, CheckName, RecordVerification, VerificationCheck, VerifyRecordInput } from './verify.ts';
export { checkPdfSignature } from './pdf-signature.ts';
export type { PdfSignatureCheck } from './pdf-signature.ts';
export { runPdfsig, parsePdfsigOutput } from './pdfsig.ts';
export type { PdfsigResult } from './pdfsig.ts';
export { verifyStoredRecord, storedArtifacts } from './store-verify.ts';
export type { VerifyStoredRecordInput } from './store-verify.ts';
