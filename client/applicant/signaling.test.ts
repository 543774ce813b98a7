import { describe, expect, it } from 'vitest';
import { candidateMessage, mediaStateOf, parseMediaConfig, parseServerSignal } from './signaling.ts';

describe('parseMediaConfig', () => {
  it('reads the embedded transport and its ICE servers', () => {
    expect(
      parseMediaConfig({
        transport: 'embedded',
        iceServers: [{ urls: 'stun:stun.example:3478' }, { urls: ['turn:t.example'], username: 'u', credential: 'c' }],
      }),
    ).toEqual({
      transport: 'embedded',
      iceServers: [{ urls: 'stun:stun.example:3478' }, { urls: ['turn:t.example'], username: 'u', credential: 'c' }],
    });
  });

  it('drops malformed ICE servers and defaults to none', () => {
    expect(parseMediaConfig({ transport: 'embedded', iceServers: [{ urls: 3 }, null, { urls: [] }] })).toEqual({
      transport: 'embedded',
      iceServers: [],
    });
    expect(parseMediaConfig({ transport: 'embedded' })).toEqual({ transport: 'embedded', iceServers: [] });
  });

  it('rejects anything without a known transport', () => {
    expect(parseMediaConfig({ transport: 'carrier-pigeon' })).toBeNull();
    expect(parseMediaConfig(null)).toBeNull();
    expect(parseMediaConfig('embedded')).toBeNull();
  });
});

describe('parseServerSignal', () => {
  it('reads an answer', () => {
    expect(parseServerSignal({ type: 'answer', sdp: 'v=0' })).toEqual({ type: 'answer', sdp: 'v=0' });
  });

  it('reads a candidate, with either sdpMid or sdpMLineIndex', () => {
    const candidate = { candidate: 'candidate:1 1 udp 1 127.0.0.1 5000 typ host', sdpMid: '0', sdpMLineIndex: 0 };
    expect(parseServerSignal({ type: 'candidate', candidate })).toEqual({ type: 'candidate', candidate });
    expect(parseServerSignal({ type: 'candidate', candidate: { candidate: 'c', sdpMLineIndex: 1 } })).toEqual({
      type: 'candidate',
      candidate: { candidate: 'c', sdpMid: null, sdpMLineIndex: 1 },
    });
  });

  it('drops malformed messages', () => {
    expect(parseServerSignal({ type: 'answer' })).toBeNull();
    expect(parseServerSignal({ type: 'answer', sdp: '' })).toBeNull();
    expect(parseServerSignal({ type: 'offer', sdp: 'v=0' })).toBeNull();
    expect(parseServerSignal({ type: 'candidate', candidate: { candidate: 'c' } })).toBeNull();
    expect(parseServerSignal({ type: 'candidate' })).toBeNull();
    expect(parseServerSignal([])).toBeNull();
  });
});

describe('candidateMessage', () => {
  it('copies the three wire fields only', () => {
    const candidate = { candidate: 'c', sdpMid: '1', sdpMLineIndex: 1, usernameFragment: 'u', toJSON: () => ({}) };
    expect(candidateMessage(candidate)).toEqual({ type: 'candidate', candidate: { candidate: 'c', sdpMid: '1', sdpMLineIndex: 1 } });
  });
});

describe('mediaStateOf', () => {
  it.each([
    ['new', 'connecting'],
    ['connecting', 'connecting'],
    ['connected', 'connected'],
    ['disconnected', 'connecting'],
    ['failed', 'failed'],
    ['closed', 'connecting'],
  ])('%s -> %s', (state, expected) => {
    expect(mediaStateOf(state)).toBe(expected);
  });
});
