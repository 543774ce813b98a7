/**
 * In-process check of a PDF's CMS signature (what `pdfsig` checks, without spawning it):
 *
 * 1. exactly one `/ByteRange [0 b c d]`, covering the whole file except the `<hex>` of
 *    /Contents (so nothing was appended or cut after signing);
 * 2. the CMS SignedData in that hex: its messageDigest attribute equals the digest of the two
 *    signed ranges;
 * 3. the signer's RSA signature over the DER of the signed attributes verifies with the
 *    certificate carried in the CMS (matched by issuer serial number).
 *
 * Whether that certificate is trusted (the record names its fingerprint, the keyring lists it) is
 * the caller's decision; this returns the fingerprint.
 */
import { createHash, verify as verifySignature, X509Certificate } from 'node:crypto';
import forge from 'node-forge';

export interface PdfSignatureCheck {
  ok: boolean;
  /** Why not, or what was found. Never contains document content. */
  detail: string;
  /** sha256 hex of the signer certificate (DER), when the CMS could be read. */
  certificateSha256?: string;
  signingTime?: string;
  byteRange?: [number, number, number, number];
}

const OID = {
  signedData: '1.2.840.113549.1.7.2',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha256WithRSA: '1.2.840.113549.1.1.11',
  sha384WithRSA: '1.2.840.113549.1.1.12',
  sha512WithRSA: '1.2.840.113549.1.1.13',
} as const;
const DIGESTS: Record<string, string> = {
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

const BYTE_RANGE = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g;

function fail(detail: string, extra: Partial<PdfSignatureCheck> = {}): PdfSignatureCheck {
  return { ok: false, detail, ...extra };
}

/** Length of the DER element at the start of `bytes` (to drop the zero padding after it). */
function derLength(bytes: Uint8Array): number | null {
  if (bytes.length < 2 || bytes[0] !== 0x30) return null;
  const first = bytes[1] ?? 0;
  if (first < 0x80) return 2 + first;
  const count = first & 0x7f;
  if (count === 0 || count > 4 || bytes.length < 2 + count) return null;
  let length = 0;
  for (let i = 0; i < count; i++) length = length * 256 + (bytes[2 + i] ?? 0);
  return 2 + count + length;
}

type Asn1 = forge.asn1.Asn1;
const children = (node: Asn1 | undefined): Asn1[] => (node && Array.isArray(node.value) ? (node.value as Asn1[]) : []);
const oidOf = (node: Asn1 | undefined): string | null =>
  node && node.type === forge.asn1.Type.OID && typeof node.value === 'string' ? forge.asn1.derToOid(node.value) : null;
const bytesOf = (node: Asn1 | undefined): string | null => (node && typeof node.value === 'string' ? node.value : null);

export function checkPdfSignature(pdf: Uint8Array): PdfSignatureCheck {
  const buffer = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength);
  const text = buffer.toString('latin1');
  const ranges = [...text.matchAll(BYTE_RANGE)];
  if (ranges.length === 0) return fail('no signature: the PDF has no /ByteRange');
  if (ranges.length > 1) return fail(`${ranges.length} signatures; a sealed contract has exactly one`);
  const [a, b, c, d] = (ranges[0]?.slice(1, 5) ?? []).map(Number) as [number, number, number, number];
  const byteRange: [number, number, number, number] = [a, b, c, d];
  if (a !== 0 || b <= 0 || c <= b || c + d !== buffer.length) {
    return fail(`the signed ranges [${a} ${b} ${c} ${d}] do not cover the whole file of ${buffer.length} bytes (changed after signing)`, { byteRange });
  }
  const hex = text.slice(b, c);
  if (!/^<[0-9a-fA-F]+>$/.test(hex)) return fail('the unsigned gap is not the hex /Contents of the signature', { byteRange });
  const raw = Buffer.from(hex.slice(1, -1), 'hex');
  const length = derLength(raw);
  if (length === null || length > raw.length) return fail('the signature is not DER-encoded CMS', { byteRange });

  let signedAttrsDer: Buffer;
  let messageDigest: string | null = null;
  let signingTime: string | undefined;
  let digestName: string | undefined;
  let signature: Buffer;
  let signerCertificate: X509Certificate | undefined;
  try {
    const contentInfo = forge.asn1.fromDer(forge.util.createBuffer(raw.subarray(0, length).toString('binary')));
    const [typeNode, explicit] = children(contentInfo);
    if (oidOf(typeNode) !== OID.signedData) return fail('the CMS is not SignedData', { byteRange });
    const signedData = children(children(explicit)[0]);
    const signerInfos = signedData.at(-1);
    const certificates = signedData.find((node) => node.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC && node.type === 0);
    const signers = children(signerInfos);
    if (signers.length !== 1) return fail(`${signers.length} signers in the CMS; expected one`, { byteRange });
    const signer = children(signers[0]);
    // SignerInfo: version, sid, digestAlgorithm, [0] signedAttrs, signatureAlgorithm, signature
    const [, sid, digestAlgorithm, signedAttrs, signatureAlgorithm, signatureNode] = signer;
    digestName = DIGESTS[oidOf(children(digestAlgorithm)[0]) ?? ''];
    if (!digestName) return fail('unsupported digest algorithm', { byteRange });
    if (!signedAttrs || signedAttrs.tagClass !== forge.asn1.Class.CONTEXT_SPECIFIC || signedAttrs.type !== 0) {
      return fail('the CMS has no signed attributes', { byteRange });
    }
    const signatureOid = oidOf(children(signatureAlgorithm)[0]);
    if (![OID.rsaEncryption, OID.sha256WithRSA, OID.sha384WithRSA, OID.sha512WithRSA].includes(signatureOid as never)) {
      return fail('unsupported signature algorithm (RSA expected)', { byteRange });
    }
    for (const attribute of children(signedAttrs)) {
      const [attrType, values] = children(attribute);
      const oid = oidOf(attrType);
      const value = children(values)[0];
      if (oid === OID.messageDigest) messageDigest = bytesOf(value);
      if (oid === OID.signingTime && typeof value?.value === 'string') {
        const date = value.type === forge.asn1.Type.UTCTIME ? forge.asn1.utcTimeToDate(value.value) : forge.asn1.generalizedTimeToDate(value.value);
        signingTime = date.toISOString();
      }
    }
    // The signature covers the DER of the attributes as a SET (tag 0x31), not as [0].
    const asSet = forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.SET, true, children(signedAttrs));
    signedAttrsDer = Buffer.from(forge.asn1.toDer(asSet).getBytes(), 'binary');
    signature = Buffer.from(bytesOf(signatureNode) ?? '', 'binary');
    const serial = bytesOf(children(sid)[1]);
    for (const node of children(certificates)) {
      const cert = new X509Certificate(Buffer.from(forge.asn1.toDer(node).getBytes(), 'binary'));
      const certSerial = Buffer.from(serial ?? '', 'binary').toString('hex').replace(/^(00)+/, '').toUpperCase();
      if (cert.serialNumber.replace(/^(00)+/, '').toUpperCase() === certSerial) signerCertificate = cert;
    }
  } catch {
    return fail('the CMS signature cannot be parsed', { byteRange });
  }
  if (!signerCertificate) return fail('the CMS does not carry the signer certificate', { byteRange });
  const certificateSha256 = createHash('sha256').update(signerCertificate.raw).digest('hex');
  const extra = { byteRange, certificateSha256, signingTime };
  if (messageDigest === null) return fail('the CMS has no messageDigest attribute', extra);
  const digest = createHash(digestName).update(buffer.subarray(0, b)).update(buffer.subarray(c, c + d)).digest();
  if (!digest.equals(Buffer.from(messageDigest, 'binary'))) return fail('digest mismatch: the signed bytes of the PDF were changed', extra);
  let valid = false;
  try {
    valid = verifySignature(digestName, signedAttrsDer, signerCertificate.publicKey, signature);
  } catch {
    valid = false;
  }
  if (!valid) return fail('the CMS signature does not verify with its certificate', extra);
  return { ok: true, detail: `valid CMS signature over the whole file (${digestName}), certificate ${certificateSha256.slice(0, 16)}…`, ...extra };
}
