import { describe, expect, it } from 'vitest';
import { statusAfterConnectError, statusAfterDisconnect } from './socketStatus.ts';

describe('statusAfterConnectError', () => {
  const refused = { willRetry: false, wasConnected: false };
  it.each([
    ['session_in_use', 'in-use'],
    ['session_not_found', 'not-found'],
    ['session_expired', 'expired'],
    ['session_ended', 'ended'],
  ])('server refusal %s -> %s', (message, status) => {
    expect(statusAfterConnectError(message, refused)).toBe(status);
  });

  it('keeps retrying network failures, as connecting or reconnecting', () => {
    expect(statusAfterConnectError('xhr poll error', { willRetry: true, wasConnected: false })).toBe('connecting');
    expect(statusAfterConnectError('websocket error', { willRetry: true, wasConnected: true })).toBe('reconnecting');
  });

  it('is closed when nothing will retry', () => {
    expect(statusAfterConnectError('internal', refused)).toBe('closed');
  });
});

describe('statusAfterDisconnect', () => {
  it('reconnects after a dropped line but not after a takeover or a server close', () => {
    expect(statusAfterDisconnect({ willRetry: true, takenOver: false })).toBe('reconnecting');
    expect(statusAfterDisconnect({ willRetry: false, takenOver: true })).toBe('taken-over');
    expect(statusAfterDisconnect({ willRetry: false, takenOver: false })).toBe('closed');
  });
});
