/**
 * The X.509 certificate and RSA key that sign the PDF (a CMS signature, see pdf.ts). Either a
 * configured PKCS#12 (path + passphrase) or a self-signed one generated on first run into the keys
 * folder as `pdf-signing.p12` with a random passphrase in `pdf-signing.pass` (both 0600; the
 * passphrase protects nothing beyond the folder's permissions, it only keeps the .p12 usable by
 * standard tools).
 *
 * The PKCS#12 is decrypted once at open, so a wrong passphrase fails startup, and signing does
 * not repeat the key derivation (the stock P12Signer does, and can sign only once).
 */
import { createHash, generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import { existsSync, readFileSync, renameSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import forge from 'node-forge';
import { Signer } from '@signpdf/signpdf';
import { ContractKeyError } from './errors.ts';

export interface PdfCertificate {
  certificatePem: string;
  /** sha256 hex of the certificate DER (its fingerprint). */
  certificateSha256: string;
  /** Subject common name, shown in the PDF's signature dictionary. */
  commonName: string;
  /** A fresh @signpdf signer for one signature. */
  createSigner(): Signer;
}

export interface PdfCertificateOptions {
  dir: string;
  p12Path?: string;
  p12Passphrase?: string;
}

const P12_FILE = 'pdf-signing.p12';
const PASS_FILE = 'pdf-signing.pass';
export const SELF_SIGNED_COMMON_NAME = 'Attest e-contract seal (self-signed)';

export function certificateSha256(pem: string): string {
  return createHash('sha256').update(new X509Certificate(pem).raw).digest('hex');
}

function writePrivateFile(path: string, data: string | Uint8Array): void {
  const temp = `${path}.tmp`;
  writeFileSync(temp, data, { mode: 0o600 });
  chmodSync(temp, 0o600);
  renameSync(temp, path);
}

/** A self-signed certificate for document signing, valid for ten years. */
export function createSelfSignedP12(passphrase: string, now = new Date()): Uint8Array {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString());
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
  cert.validity.notBefore = new Date(now.getTime() - 60_000);
  cert.validity.notAfter = new Date(now.getTime() + 10 * 365 * 24 * 3600_000);
  const subject = [
    { name: 'commonName', value: SELF_SIGNED_COMMON_NAME },
    { name: 'organizationName', value: 'Attest' },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', critical: true, digitalSignature: true, nonRepudiation: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(key, forge.md.sha256.create());
  const asn1 = forge.pkcs12.toPkcs12Asn1(key, [cert], passphrase, { algorithm: 'aes256', friendlyName: 'attest-pdf-signing' });
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}

interface Unlocked {
  key: forge.pki.rsa.PrivateKey;
  cert: forge.pki.Certificate;
  chain: forge.pki.Certificate[];
}

function unlockP12(bytes: Uint8Array, passphrase: string, where: string): Unlocked {
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(Buffer.from(bytes).toString('binary')), false, passphrase);
  } catch {
    throw new ContractKeyError(`${where} cannot be opened: not a PKCS#12 file, or the passphrase is wrong`);
  }
  const keyBags = [
    ...(p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[forge.pki.oids.pkcs8ShroudedKeyBag ?? ''] ?? []),
    ...(p12.getBags({ bagType: forge.pki.oids.keyBag })[forge.pki.oids.keyBag ?? ''] ?? []),
  ];
  const key = keyBags.find((bag) => bag.key)?.key as forge.pki.rsa.PrivateKey | undefined;
  if (!key || !('n' in key)) throw new ContractKeyError(`${where} holds no RSA private key`);
  const chain = (p12.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag ?? ''] ?? [])
    .map((bag) => bag.cert)
    .filter((cert): cert is forge.pki.Certificate => cert !== undefined);
  const cert = chain.find((candidate) => {
    const pub = candidate.publicKey as forge.pki.rsa.PublicKey;
    return pub.n !== undefined && pub.n.compareTo(key.n) === 0 && pub.e.compareTo(key.e) === 0;
  });
  if (!cert) throw new ContractKeyError(`${where} holds no certificate for its private key`);
  if (cert.validity.notAfter.getTime() < Date.now()) throw new ContractKeyError(`${where}: the certificate expired on ${cert.validity.notAfter.toISOString()}`);
  return { key, cert, chain };
}

/** Signs like @signpdf's P12Signer (CMS SignedData, detached, sha256) from an unlocked key. */
class UnlockedSigner extends Signer {
  constructor(private readonly unlocked: Unlocked) {
    super();
  }

  override async sign(pdfBuffer: Buffer, signingTime?: Date): Promise<Buffer> {
    const p7 = forge.pkcs7.createSignedData();
    p7.content = forge.util.createBuffer(pdfBuffer.toString('binary'));
    for (const cert of this.unlocked.chain) p7.addCertificate(cert);
    p7.addSigner({
      key: this.unlocked.key,
      certificate: this.unlocked.cert,
      digestAlgorithm: forge.pki.oids.sha256 ?? '2.16.840.1.101.3.4.2.1',
      authenticatedAttributes: [
        { type: forge.pki.oids.contentType ?? '1.2.840.113549.1.9.3', value: forge.pki.oids.data },
        { type: forge.pki.oids.signingTime ?? '1.2.840.113549.1.9.5', value: (signingTime ?? new Date()) as unknown as string },
        { type: forge.pki.oids.messageDigest ?? '1.2.840.113549.1.9.4' },
      ],
    });
    p7.sign({ detached: true });
    return Buffer.from(forge.asn1.toDer(p7.toAsn1()).getBytes(), 'binary');
  }
}

export function openPdfCertificate(options: PdfCertificateOptions): PdfCertificate {
  let bytes: Uint8Array;
  let passphrase: string;
  let where: string;
  if (options.p12Path !== undefined) {
    where = `PDF signing certificate ${options.p12Path}`;
    try {
      if (!statSync(options.p12Path).isFile()) throw new Error('not a file');
      bytes = readFileSync(options.p12Path);
    } catch {
      throw new ContractKeyError(`${where} cannot be read`);
    }
    passphrase = options.p12Passphrase ?? '';
  } else {
    const p12Path = join(options.dir, P12_FILE);
    const passPath = join(options.dir, PASS_FILE);
    where = `stored certificate ${p12Path}`;
    if (existsSync(p12Path)) {
      if (!existsSync(passPath)) throw new ContractKeyError(`${where} has no passphrase file ${passPath}`);
      bytes = readFileSync(p12Path);
      passphrase = readFileSync(passPath, 'utf8').trim();
    } else {
      passphrase = randomBytes(24).toString('base64url');
      bytes = createSelfSignedP12(passphrase);
      writePrivateFile(passPath, `${passphrase}\n`);
      writePrivateFile(p12Path, bytes);
    }
  }
  const unlocked = unlockP12(bytes, passphrase, where);
  const certificatePem = forge.pki.certificateToPem(unlocked.cert);
  const commonName = String(unlocked.cert.subject.getField('CN')?.value ?? 'Attest');
  return {
    certificatePem,
    certificateSha256: certificateSha256(certificatePem),
    commonName,
    createSigner: () => new UnlockedSigner(unlocked),
  };
}
