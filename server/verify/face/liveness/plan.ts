/**
 * The random challenge plan: a subset of the enabled challenges in a random order, drawn from an
 * injected seed so a session's plan is reproducible (store the seed with the session) and tests
 * need no global randomness. The seed must come from a secure source (e.g. crypto.randomInt) so an
 * attacker cannot predict the plan and pre-record it.
 */
import type { LivenessConfig } from './config.ts';
import type { ChallengeKind } from './types.ts';

/** mulberry32: a small, well-distributed 32-bit PRNG; returns floats in [0, 1). */
export function createRng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a, to turn a string seed (e.g. a session id plus a nonce) into 32 bits. */
export function seedFromString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** `count` distinct challenges from `kinds`, in random order (Fisher-Yates on a copy). */
export function planChallenges(seed: number | string, plan: LivenessConfig['plan']): ChallengeKind[] {
  const kinds = [...new Set(plan.kinds)];
  const random = createRng(typeof seed === 'string' ? seedFromString(seed) : seed);
  for (let i = kinds.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [kinds[i], kinds[j]] = [kinds[j] as ChallengeKind, kinds[i] as ChallengeKind];
  }
  return kinds.slice(0, Math.min(plan.count, kinds.length));
}
