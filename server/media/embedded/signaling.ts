/**
 * The embedded transport's signaling messages (carried opaquely over socket.io):
 *
 *   client -> server  { type: 'offer', sdp }                                   (sdp <= 20000 chars)
 *                     { type: 'candidate', candidate: { candidate, sdpMid?, sdpMLineIndex? } }
 *   server -> client  { type: 'answer', sdp }
 *                     { type: 'candidate', candidate: { candidate, sdpMid, sdpMLineIndex } }
 *
 * Error messages name the offending field but never echo its value (it may be SDP).
 */
import { z } from 'zod';

export const MAX_OFFER_SDP_LENGTH = 20_000;
export const MAX_CANDIDATE_LENGTH = 2_000;

export const ZIceCandidate = z.object({
  candidate: z.string().max(MAX_CANDIDATE_LENGTH),
  sdpMid: z.string().max(64).nullable().optional(),
  sdpMLineIndex: z.number().int().min(0).max(64).nullable().optional(),
});
export type IceCandidate = z.infer<typeof ZIceCandidate>;

export const ZClientSignal = z.discriminatedUnion('type', [
  z.object({ type: z.literal('offer'), sdp: z.string().min(1).max(MAX_OFFER_SDP_LENGTH) }),
  z.object({ type: z.literal('candidate'), candidate: ZIceCandidate }),
]);
export type ClientSignal = z.infer<typeof ZClientSignal>;

export type ServerSignal =
  | { type: 'answer'; sdp: string }
  | { type: 'candidate'; candidate: { candidate: string; sdpMid: string | null; sdpMLineIndex: number | null } };

export type ParsedSignal = { ok: true; signal: ClientSignal } | { ok: false; message: string };

/** Validates one client message; on failure, a short description of what is wrong. */
export function parseClientSignal(message: unknown): ParsedSignal {
  if (typeof message !== 'object' || message === null || Array.isArray(message)) {
    return { ok: false, message: 'signal must be a JSON object' };
  }
  const type = (message as { type?: unknown }).type;
  if (type !== 'offer' && type !== 'candidate') {
    return { ok: false, message: "signal type must be 'offer' or 'candidate'" };
  }
  const result = ZClientSignal.safeParse(message);
  if (result.success) return { ok: true, signal: result.data };
  const problems = result.error.issues.slice(0, 3).map((issue) => {
    const path = issue.path.map(String).join('.');
    return `${type} ${path || 'message'}: ${issue.message}`;
  });
  return { ok: false, message: problems.join('; ') };
}
