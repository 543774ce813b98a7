/**
 * The per-session event hash chain, independent of the database. Each event's hash is
 * sha256 hex over canonicalJson({ sessionId, seq, type, at, payload, prevHash }); the first
 * event links to GENESIS_HASH; seq counts from 1 without gaps. The session row keeps the head
 * (last seq and hash) so that cutting events off the end is detected too.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.ts';
import type { ChainVerification } from './types.ts';

export const GENESIS_HASH = '0'.repeat(64);

export interface ChainHead {
  seq: number;
  hash: string;
}

export interface HashedFields {
  sessionId: string;
  seq: number;
  type: string;
  at: string;
  payload: unknown;
  prevHash: string;
}

export function hashEvent(fields: HashedFields): string {
  const text = canonicalJson({
    sessionId: fields.sessionId,
    seq: fields.seq,
    type: fields.type,
    at: fields.at,
    payload: fields.payload,
    prevHash: fields.prevHash,
  });
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** One stored event as read back, payload still as the stored JSON text. */
export interface StoredLink {
  seq: number;
  type: string;
  at: string;
  payloadJson: string;
  prevHash: string;
  hash: string;
}

/**
 * Checks links in stored order (ascending seq). Reports the first seq that fails: for a gap,
 * the first missing seq. `head` is the head recorded on the session row, when there is one.
 */
export function verifyLinks(sessionId: string, links: StoredLink[], head: ChainHead | null): ChainVerification {
  const last = links.at(-1);
  const result = { count: links.length, headHash: last?.hash ?? GENESIS_HASH };
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  for (const link of links) {
    if (link.seq !== expectedSeq) {
      return { ...result, ok: false, brokenAt: { seq: expectedSeq, reason: 'gap in sequence' } };
    }
    if (link.prevHash !== prevHash) {
      return { ...result, ok: false, brokenAt: { seq: link.seq, reason: 'broken link' } };
    }
    if (recomputeHash(sessionId, link) !== link.hash) {
      return { ...result, ok: false, brokenAt: { seq: link.seq, reason: 'hash mismatch' } };
    }
    prevHash = link.hash;
    expectedSeq++;
  }
  if (head) {
    const lastSeq = expectedSeq - 1;
    if (lastSeq < head.seq) {
      // Events were cut off the end.
      return { ...result, ok: false, brokenAt: { seq: lastSeq + 1, reason: 'gap in sequence' } };
    }
    if (lastSeq > head.seq) {
      return { ...result, ok: false, brokenAt: { seq: head.seq + 1, reason: 'head mismatch' } };
    }
    if (prevHash !== head.hash) {
      return { ...result, ok: false, brokenAt: { seq: lastSeq, reason: 'head mismatch' } };
    }
  }
  return { ...result, ok: true };
}

function recomputeHash(sessionId: string, link: StoredLink): string | null {
  try {
    const payload: unknown = JSON.parse(link.payloadJson);
    return hashEvent({ sessionId, seq: link.seq, type: link.type, at: link.at, payload, prevHash: link.prevHash });
  } catch {
    // Unreadable payload text cannot match its hash.
    return null;
  }
}
