/**
 * The contract's signing keys, kept in one folder under the data dir (0700, files 0600):
 *
 * - `ed25519-<kid>.pem`: the current Ed25519 private key that signs records (PKCS#8 PEM),
 *   generated on first run unless a key file is configured;
 * - `keyring.json`: every public key that has signed records, oldest first, the current one
 *   without `retiredAt`, and the PDF signing certificates. It has exactly the shape served at the
 *   well-known URL, so a verifier can use a copy of either;
 * - `pdf-signing.p12` + `pdf-signing.pass`: the self-signed PKCS#12 for the PDF signature,
 *   generated on first run unless a .p12 is configured (see certificate.ts).
 *
 * Rotation: `rotateRecordKey()` (or configuring a different key file) makes a new key current and
 * marks the old one retired; its public key stays in the keyring so old records still verify, and
 * its private key file is deleted. The key id is the first 16 hex of sha256 over the SPKI DER.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { certificateSha256, openPdfCertificate } from './certificate.ts';
import type { PdfCertificate } from './certificate.ts';
import { ContractKeyError } from './errors.ts';


export const ZPublicKeyEntry = z.strictObject({
  kid: z.string().regex(/^[0-9a-f]{16}$/),
  alg: z.literal('Ed25519'),
  publicKeyPem: z.string().includes('BEGIN PUBLIC KEY'),
  createdAt: z.iso.datetime(),
  retiredAt: z.iso.datetime().optional(),
});
export type PublicKeyEntry = z.infer<typeof ZPublicKeyEntry>;

export const ZCertificateEntry = z.strictObject({
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  certificatePem: z.string().includes('BEGIN CERTIFICATE'),
  addedAt: z.iso.datetime(),
});

/** The public keyring: what the well-known URL serves and what a verifier is given. */
export const ZKeyring = z.strictObject({
  keys: z.array(ZPublicKeyEntry),
  /** The certificate that signs new PDFs. */
  certificatePem: z.string().includes('BEGIN CERTIFICATE'),
  /** Every certificate that has signed PDFs (the current one included), oldest first. */
  certificates: z.array(ZCertificateEntry).default([]),
});
export type Keyring = z.infer<typeof ZKeyring>;

export interface ContractKeysOptions {
  /** The keys folder, e.g. `<dataDir>/keys`; created 0700 when missing. */
  dir: string;
  /** A configured Ed25519 private key (PKCS#8 PEM) instead of one generated into `dir`. */
  ed25519KeyPath?: string;
  /** A configured PKCS#12 (certificate + RSA key) for the PDF signature instead of a self-signed one. */
  p12Path?: string;
  p12Passphrase?: string;
  /** Clock for keyring timestamps (tests). */
  now?: () => Date;
}

export interface RecordSigner {
  kid: string;
  /** Ed25519 signature over the bytes. */
  sign(data: Uint8Array): Uint8Array;
}

export interface ContractKeys {
  /** The current record signing key. */
  readonly recordSigner: RecordSigner;
  readonly pdfCertificate: PdfCertificate;
  /** JSON for GET /.well-known/attest-keys.json. */
  publicKeys(): Keyring;
  /** Makes a new generated key current and retires the old one (its public key stays). */
  rotateRecordKey(): RecordSigner;
}

const KEYRING_FILE = 'keyring.json';

/** Where the server keeps its contract keys under the data dir. */
export function contractKeysDir(dataDir: string): string {
  return join(dataDir, 'keys');
}

/** The keyring file in a keys folder (the same JSON as the well-known URL). */
export function keyringPath(keysDir: string): string {
  return join(keysDir, KEYRING_FILE);
}

export function keyIdOf(publicKey: KeyObject): string {
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('hex').slice(0, 16);
}

function writePrivateFile(path: string, data: string | Uint8Array): void {
  const temp = `${path}.tmp`;
  writeFileSync(temp, data, { mode: 0o600 });
  chmodSync(temp, 0o600);
  renameSync(temp, path);
}

function readConfigured(path: string, what: string): Buffer {
  try {
    if (!statSync(path).isFile()) throw new ContractKeyError(`${what} ${path} is not a file`);
    return readFileSync(path);
  } catch (error) {
    if (error instanceof ContractKeyError) throw error;
    throw new ContractKeyError(`${what} ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

function parseEd25519(pem: Buffer, where: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new ContractKeyError(`${where} is not a PEM private key`);
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new ContractKeyError(`${where} is a ${key.asymmetricKeyType ?? 'unknown'} key; an Ed25519 key is needed`);
  }
  return key;
}

function makeSigner(privateKey: KeyObject): RecordSigner {
  const kid = keyIdOf(createPublicKey(privateKey));
  return { kid, sign: (data) => new Uint8Array(sign(null, data, privateKey)) };
}

function readKeyring(path: string): { keys: PublicKeyEntry[]; certificates: Keyring['certificates'] } {
  if (!existsSync(path)) return { keys: [], certificates: [] };
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new ContractKeyError(`${path} is not valid JSON`);
  }
  const parsed = ZKeyring.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ContractKeyError(`${path}: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  return { keys: parsed.data.keys, certificates: parsed.data.certificates };
}

/**
 * Opens (creating on first run) the record and PDF signing keys. Throws a ContractKeyError with a
 * message naming the file when a configured or stored file is unusable, so startup fails rather
 * than the first signing.
 */
export function openContractKeys(options: ContractKeysOptions): ContractKeys {
  const now = options.now ?? (() => new Date());
  const { dir } = options;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
  } catch (error) {
    throw new ContractKeyError(`keys folder ${dir} cannot be created (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const ringPath = keyringPath(dir);
  const ring = readKeyring(ringPath);

  // The record key: configured, else the stored current one, else a new one.
  let privateKey: KeyObject;
  if (options.ed25519KeyPath !== undefined) {
    privateKey = parseEd25519(readConfigured(options.ed25519KeyPath, 'Ed25519 key file'), `Ed25519 key file ${options.ed25519KeyPath}`);
  } else {
    const current = ring.keys.find((key) => key.retiredAt === undefined);
    const path = current ? join(dir, `ed25519-${current.kid}.pem`) : null;
    if (current && path && existsSync(path)) {
      privateKey = parseEd25519(readFileSync(path), `stored key ${path}`);
      if (keyIdOf(createPublicKey(privateKey)) !== current.kid) {
        throw new ContractKeyError(`stored key ${path} does not match key id ${current.kid} in ${ringPath}`);
      }
    } else {
      if (current) throw new ContractKeyError(`the current key ${current.kid} in ${ringPath} has no private key file in ${dir}`);
      privateKey = generateKeyPairSync('ed25519').privateKey;
    }
  }

  const certificate = openPdfCertificate({ dir, p12Path: options.p12Path, p12Passphrase: options.p12Passphrase });

  let signer = adoptKey(privateKey, options.ed25519KeyPath === undefined);
  addCertificate(certificate.certificatePem);
  saveKeyring();

  function adoptKey(key: KeyObject, stored: boolean): RecordSigner {
    const next = makeSigner(key);
    const at = now().toISOString();
    for (const entry of ring.keys) {
      if (entry.kid !== next.kid && entry.retiredAt === undefined) entry.retiredAt = at;
    }
    const existing = ring.keys.find((entry) => entry.kid === next.kid);
    if (existing) delete existing.retiredAt;
    else {
      const publicKeyPem = createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString();
      ring.keys.push({ kid: next.kid, alg: 'Ed25519', publicKeyPem, createdAt: at });
    }
    if (stored) {
      const path = join(dir, `ed25519-${next.kid}.pem`);
      if (!existsSync(path)) writePrivateFile(path, key.export({ type: 'pkcs8', format: 'pem' }).toString());
    }
    return next;
  }

  function addCertificate(pem: string): void {
    const sha256 = certificateSha256(pem);
    if (!ring.certificates.some((entry) => entry.sha256 === sha256)) {
      ring.certificates.push({ sha256, certificatePem: pem, addedAt: now().toISOString() });
    }
  }

  function saveKeyring(): void {
    writePrivateFile(ringPath, `${JSON.stringify(publicKeys(), null, 2)}\n`);
  }

  function publicKeys(): Keyring {
    return {
      keys: ring.keys.map((entry) => ({ ...entry })),
      certificatePem: certificate.certificatePem,
      certificates: ring.certificates.map((entry) => ({ ...entry })),
    };
  }

  return {
    get recordSigner() {
      return signer;
    },
    pdfCertificate: certificate,
    publicKeys,
    rotateRecordKey() {
      if (options.ed25519KeyPath !== undefined) {
        throw new ContractKeyError('the record key is configured by path; rotate it by configuring a new key file');
      }
      const old = signer.kid;
      signer = adoptKey(generateKeyPairSync('ed25519').privateKey, true);
      saveKeyring();
      rmSync(join(dir, `ed25519-${old}.pem`), { force: true });
      return signer;
    },
  };
}
