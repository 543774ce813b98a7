/**
 * Keeps one peer connection per socket connection: a new `mediaConfig` (sent by the server
 * after every connect) closes the old RTCPeerConnection and opens a fresh one on the same
 * camera stream. The assistant's voice plays through `audioRef` (never muted).
 */
import { useEffect, useState, type RefObject } from 'react';
import { openPeerLink } from './peerLink.ts';
import type { MediaConfig, MediaState } from './signaling.ts';
import type { SessionSocket } from './useSessionSocket.ts';

export interface PeerConnectionState {
  state: MediaState;
  /** The assistant's voice, once it arrives (for the avatar's mouth). */
  remoteAudio: MediaStream | null;
  /** True when the browser refused to start playback without a click. */
  soundBlocked: boolean;
  enableSound(): void;
}

export function usePeerConnection(
  socket: SessionSocket | null,
  stream: MediaStream | null,
  config: MediaConfig | null,
  audioRef: RefObject<HTMLAudioElement | null>,
): PeerConnectionState {
  const [state, setState] = useState<MediaState>('connecting');
  const [remoteAudio, setRemoteAudio] = useState<MediaStream | null>(null);
  const [soundBlocked, setSoundBlocked] = useState(false);

  useEffect(() => {
    if (!socket || !stream || !config) {
      setState('connecting');
      return;
    }
    if (config.transport !== 'embedded') {
      console.warn('attest: unsupported media transport', config.transport);
      setState('failed');
      return;
    }
    const link = openPeerLink({
      socket,
      stream,
      config,
      onState: setState,
      onRemoteAudio: (remote) => {
        setRemoteAudio(remote);
        const audio = audioRef.current;
        if (!audio) return;
        audio.srcObject = remote;
        audio.play().then(
          () => setSoundBlocked(false),
          (error: unknown) => {
            if (error instanceof DOMException && error.name === 'NotAllowedError') setSoundBlocked(true);
          },
        );
      },
    });
    return () => link.close();
  }, [socket, stream, config, audioRef]);

  const enableSound = () => {
    const audio = audioRef.current;
    // Nothing to play yet: the click still counts, so the voice may start by itself later.
    if (!audio || !audio.srcObject) return;
    audio.muted = false;
    audio.play().then(
      () => setSoundBlocked(false),
      () => setSoundBlocked(true),
    );
  };

  return { state, remoteAudio, soundBlocked, enableSound };
}
