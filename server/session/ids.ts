import { createHash, randomBytes } from 'node:crypto';

/** Crockford base32 without I, L, O, U: unambiguous when read aloud or typed. */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function newSessionId(): string {
  return `ses_${randomBytes(12).toString('base64url')}`;
}

/** 256 random bits: the applicant's bearer credential for one session. */
export function newApplicantToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Only this hash is stored; a database leak does not hand out working links. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A short reference the applicant can quote, e.g. ATT-7K2M-9QXD (40 random bits). */
export function newReference(): string {
  const bytes = randomBytes(8);
  let out = '';
  for (let i = 0; i < 8; i++) out += CROCKFORD[(bytes[i] ?? 0) & 31];
  return `ATT-${out.slice(0, 4)}-${out.slice(4)}`;
}
