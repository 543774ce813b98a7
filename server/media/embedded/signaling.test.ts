import { describe, expect, it } from 'vitest';
import { parseClientSignal } from './signaling.ts';

describe('parseClientSignal', () => {
  it('accepts offers and candidates (sdpMid/sdpMLineIndex optional or null)', () => {
    expect(parseClientSignal({ type: 'offer', sdp: 'v=0\r\n' })).toEqual({
      ok: true,
      signal: { type: 'offer', sdp: 'v=0\r\n' },
    });
    const full = { type: 'candidate', candidate: { candidate: 'candidate:1 1 udp 1 1.2.3.4 5 typ host', sdpMid: '0', sdpMLineIndex: 0 } };
    expect(parseClientSignal(full)).toEqual({ ok: true, signal: full });
    expect(parseClientSignal({ type: 'candidate', candidate: { candidate: '', sdpMid: null } }).ok).toBe(true);
  });

  it('names what is wrong without echoing values', () => {
    const cases: [unknown, RegExp][] = [
      ['hello', /JSON object/],
      [null, /JSON object/],
      [[1], /JSON object/],
      [{ type: 'bye' }, /type must be 'offer' or 'candidate'/],
      [{ sdp: 'x' }, /type must be/],
      [{ type: 'offer' }, /offer sdp:/],
      [{ type: 'offer', sdp: 42 }, /offer sdp:/],
      [{ type: 'offer', sdp: '' }, /offer sdp:/],
      [{ type: 'offer', sdp: 'a'.repeat(20_001) }, /offer sdp:.*20000/],
      [{ type: 'candidate' }, /candidate candidate:/],
      [{ type: 'candidate', candidate: { candidate: 5 } }, /candidate candidate\.candidate:/],
      [{ type: 'candidate', candidate: { candidate: 'c', sdpMLineIndex: -1 } }, /candidate\.sdpMLineIndex/],
    ];
    for (const [message, expected] of cases) {
      const result = parseClientSignal(message);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.message).toMatch(expected);
        expect(result.message).not.toContain('aaaa');
      }
    }
  });
});
