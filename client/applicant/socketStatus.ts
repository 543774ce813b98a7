/** How the session socket's events map to what the applicant sees (pure; unit-tested). */

export type SocketStatus =
  | 'connecting' // first connection attempt
  | 'connected'
  | 'reconnecting' // lost after being connected; socket.io is retrying
  | 'closed' // the server closed the connection; a button reconnects
  | 'in-use' // another tab or device has the session; offer takeover
  | 'taken-over' // another tab or device took it over: no reconnect
  | 'not-found'
  | 'expired'
  | 'ended';

/** After a `connect_error`: the server's refusal codes first, then network retries. */
export function statusAfterConnectError(
  message: string,
  state: { willRetry: boolean; wasConnected: boolean },
): SocketStatus {
  switch (message) {
    case 'session_in_use':
      return 'in-use';
    case 'session_not_found':
      return 'not-found';
    case 'session_expired':
      return 'expired';
    case 'session_ended':
      return 'ended';
  }
  if (!state.willRetry) return 'closed';
  return state.wasConnected ? 'reconnecting' : 'connecting';
}

/** After a `disconnect`. socket.io retries by itself unless the server or we closed it. */
export function statusAfterDisconnect(state: { willRetry: boolean; takenOver: boolean }): SocketStatus {
  if (state.takenOver) return 'taken-over';
  return state.willRetry ? 'reconnecting' : 'closed';
}

/** Statuses in which the session cannot be used from this tab right now. */
export function isBlocking(status: SocketStatus): boolean {
  return status === 'in-use' || status === 'taken-over' || status === 'not-found' || status === 'expired' || status === 'ended';
}
