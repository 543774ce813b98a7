/**
 * Asks for the camera and microphone once on mount (and again on `retry`). The stream is kept
 * for the whole session, across reconnects, and its tracks are stopped on unmount or `release`.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import {
  PREFERRED_CONSTRAINTS,
  RELAXED_CONSTRAINTS,
  canRequestMedia,
  classifyMediaError,
  isOverconstrained,
  missingDevices,
  type DeviceErrorReason,
} from './mediaErrors.ts';

export type UserMedia =
  | { state: 'pending' }
  | { state: 'ready'; stream: MediaStream }
  | { state: 'error'; reason: DeviceErrorReason; missing: { camera: boolean; microphone: boolean } | null; detail: string };

async function acquire(): Promise<MediaStream> {
  try {
    return await navigator.mediaDevices.getUserMedia(PREFERRED_CONSTRAINTS);
  } catch (error) {
    if (!isOverconstrained(error)) throw error;
    return navigator.mediaDevices.getUserMedia(RELAXED_CONSTRAINTS);
  }
}

async function describeMissing(): Promise<{ camera: boolean; microphone: boolean } | null> {
  try {
    return missingDevices(await navigator.mediaDevices.enumerateDevices());
  } catch {
    return null;
  }
}

function stopTracks(stream: MediaStream): void {
  for (const track of stream.getTracks()) track.stop();
}

export function useUserMedia(): UserMedia & { retry(): void; release(): void } {
  const [media, setMedia] = useState<UserMedia>({ state: 'pending' });
  const [attempt, setAttempt] = useState(0);
  const streamRef = useRef<MediaStream | null>(null);

  useEffect(() => {
    let cancelled = false;
    const secure = canRequestMedia({
      isSecureContext: window.isSecureContext,
      hasMediaDevices: typeof navigator.mediaDevices?.getUserMedia === 'function',
    });
    if (!secure) {
      setMedia({ state: 'error', reason: 'insecure', missing: null, detail: 'insecure context' });
      return;
    }
    setMedia({ state: 'pending' });
    acquire().then(
      (stream) => {
        if (cancelled) {
          stopTracks(stream);
          return;
        }
        streamRef.current = stream;
        setMedia({ state: 'ready', stream });
      },
      async (error: unknown) => {
        const reason = classifyMediaError(error);
        const missing = reason === 'not-found' ? await describeMissing() : null;
        if (cancelled) return;
        const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        setMedia({ state: 'error', reason, missing, detail });
      },
    );
    return () => {
      cancelled = true;
      if (streamRef.current) {
        stopTracks(streamRef.current);
        streamRef.current = null;
      }
    };
  }, [attempt]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  const release = useCallback(() => {
    if (streamRef.current) stopTracks(streamRef.current);
  }, []);

  return { ...media, retry, release };
}
