import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, hashEvent, verifyLinks, type StoredLink } from './chain.ts';

function buildChain(sessionId: string, count: number): StoredLink[] {
  const links: StoredLink[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= count; seq++) {
    const payload = { n: seq };
    const at = `2025-01-01T00:00:0${seq % 10}.000Z`;
    const hash = hashEvent({ sessionId, seq, type: 'Tick', at, payload, prevHash });
    links.push({ seq, type: 'Tick', at, payloadJson: JSON.stringify(payload), prevHash, hash });
    prevHash = hash;
  }
  return links;
}

describe('hashEvent', () => {
  it('is sha256 hex over the canonical JSON of the event fields (golden value)', () => {
    // printf '{"at":"2025-01-01T00:00:00.000Z","payload":{"a":"x","b":1},"prevHash":"000…000",
    //   "seq":1,"sessionId":"ses_1","type":"SessionCreated"}' | sha256sum
    const hash = hashEvent({
      sessionId: 'ses_1',
      seq: 1,
      type: 'SessionCreated',
      at: '2025-01-01T00:00:00.000Z',
      payload: { b: 1, a: 'x' },
      prevHash: GENESIS_HASH,
    });
    expect(hash).toBe('cab8642e591e7a6db3c171bb94b0738cef37eaefb5a8e0a777f1b03f86dfdf45');
  });
});

describe('verifyLinks', () => {
  it('accepts an intact chain that ends at the recorded head', () => {
    const links = buildChain('ses_1', 5);
    const last = links[4]!;
    expect(verifyLinks('ses_1', links, { seq: 5, hash: last.hash })).toEqual({
      ok: true,
      count: 5,
      headHash: last.hash,
    });
  });

  it('binds the chain to its session id', () => {
    expect(verifyLinks('ses_2', buildChain('ses_1', 2), null).brokenAt).toEqual({ seq: 1, reason: 'hash mismatch' });
  });

  it('reports a changed event as a hash mismatch', () => {
    const links = buildChain('ses_1', 4);
    links[2] = { ...links[2]!, payloadJson: '{"n":99}' };
    expect(verifyLinks('ses_1', links, null).brokenAt).toEqual({ seq: 3, reason: 'hash mismatch' });
  });

  it('reports an unreadable payload as a hash mismatch', () => {
    const links = buildChain('ses_1', 2);
    links[1] = { ...links[1]!, payloadJson: '{"n":' };
    expect(verifyLinks('ses_1', links, null).brokenAt).toEqual({ seq: 2, reason: 'hash mismatch' });
  });

  it('reports a rehashed event as a broken link at the next one', () => {
    const links = buildChain('ses_1', 4);
    const forged = { ...links[1]!, payloadJson: '{"n":99}' };
    forged.hash = hashEvent({ sessionId: 'ses_1', seq: 2, type: forged.type, at: forged.at, payload: { n: 99 }, prevHash: forged.prevHash });
    links[1] = forged;
    expect(verifyLinks('ses_1', links, null).brokenAt).toEqual({ seq: 3, reason: 'broken link' });
  });

  it('reports a missing event as a gap at the first missing seq', () => {
    const links = buildChain('ses_1', 5);
    links.splice(2, 1);
    expect(verifyLinks('ses_1', links, null).brokenAt).toEqual({ seq: 3, reason: 'gap in sequence' });
  });

  it('uses the recorded head to detect events cut off the end', () => {
    const links = buildChain('ses_1', 5);
    const head = { seq: 5, hash: links[4]!.hash };
    expect(verifyLinks('ses_1', links.slice(0, 3), head).brokenAt).toEqual({ seq: 4, reason: 'gap in sequence' });
  });

  it('reports a chain rewritten from the start as a head mismatch', () => {
    const original = buildChain('ses_1', 3);
    // Same shape, different content, valid hashes and links throughout.
    const rewritten = buildChain('ses_1', 3);
    let prevHash = GENESIS_HASH;
    for (const link of rewritten) {
      link.payloadJson = '{"n":0}';
      link.prevHash = prevHash;
      link.hash = hashEvent({ sessionId: 'ses_1', seq: link.seq, type: link.type, at: link.at, payload: { n: 0 }, prevHash });
      prevHash = link.hash;
    }
    const head = { seq: 3, hash: original[2]!.hash };
    expect(verifyLinks('ses_1', rewritten, head).brokenAt).toEqual({ seq: 3, reason: 'head mismatch' });
  });

  it('reports events appended past the recorded head as a head mismatch', () => {
    const links = buildChain('ses_1', 4);
    const head = { seq: 3, hash: links[2]!.hash };
    expect(verifyLinks('ses_1', links, head).brokenAt).toEqual({ seq: 4, reason: 'head mismatch' });
  });

  it('treats an empty chain with no head as intact', () => {
    expect(verifyLinks('ses_1', [], null)).toEqual({ ok: true, count: 0, headHash: GENESIS_HASH });
  });
});
