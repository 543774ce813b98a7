/**
 * One WebRTC connection to the server for one socket connection: sends the camera and the
 * microphone, receives the assistant's voice on the same (sendrecv) audio line. Offer/answer
 * and trickled candidates travel as 'media:signal' messages. Every signaling step runs on one
 * promise chain, so a candidate never arrives before the answer it belongs to.
 */
import type { SessionSocket } from './useSessionSocket.ts';
import {
  candidateMessage,
  mediaStateOf,
  parseServerSignal,
  type ClientSignal,
  type MediaConfig,
  type MediaState,
} from './signaling.ts';

export interface PeerLinkOptions {
  socket: SessionSocket;
  stream: MediaStream;
  config: MediaConfig;
  onState(state: MediaState): void;
  onRemoteAudio(stream: MediaStream): void;
}

export interface PeerLink {
  close(): void;
}

export function openPeerLink({ socket, stream, config, onState, onRemoteAudio }: PeerLinkOptions): PeerLink {
  let closed = false;
  const pc = new RTCPeerConnection({ iceServers: config.iceServers });
  let chain: Promise<void> = Promise.resolve();
  const enqueue = (work: () => Promise<void>, what: string) => {
    chain = chain.then(async () => {
      if (!closed) await work();
    }).catch((error: unknown) => {
      if (!closed) console.warn(`attest: media signaling step failed (${what})`, error);
    });
  };
  const send = (message: ClientSignal) => socket.emit('media:signal', message);

  // Camera and microphone; the audio transceiver is sendrecv so the server's voice comes back on it.
  const audioTrack = stream.getAudioTracks()[0];
  const videoTrack = stream.getVideoTracks()[0];
  if (videoTrack) pc.addTransceiver(videoTrack, { direction: 'sendrecv', streams: [stream] });
  if (audioTrack) pc.addTransceiver(audioTrack, { direction: 'sendrecv', streams: [stream] });
  else pc.addTransceiver('audio', { direction: 'recvonly' });

  let offerSent = false;
  const pendingCandidates: ClientSignal[] = [];
  pc.onicecandidate = (event) => {
    if (!event.candidate || !event.candidate.candidate) return;
    const message = candidateMessage(event.candidate);
    if (offerSent) send(message);
    else pendingCandidates.push(message);
  };
  pc.ontrack = (event) => {
    if (event.track.kind !== 'audio') return;
    onRemoteAudio(event.streams[0] ?? new MediaStream([event.track]));
  };
  pc.onconnectionstatechange = () => {
    if (!closed) onState(mediaStateOf(pc.connectionState));
  };

  const onSignal = (raw: unknown) => {
    const signal = parseServerSignal(raw);
    if (!signal) return;
    if (signal.type === 'answer') {
      enqueue(() => pc.setRemoteDescription({ type: 'answer', sdp: signal.sdp }), 'answer');
    } else {
      // A candidate left over from an earlier connection fails here harmlessly.
      enqueue(() => pc.addIceCandidate(signal.candidate), 'candidate');
    }
  };
  socket.on('media:signal', onSignal);

  onState('connecting');
  enqueue(async () => {
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    const sdp = pc.localDescription?.sdp ?? offer.sdp;
    if (!sdp) throw new Error('empty offer');
    send({ type: 'offer', sdp });
    offerSent = true;
    for (const message of pendingCandidates.splice(0)) send(message);
  }, 'offer');
  chain = chain.then(() => {
    // If creating the offer failed there is nothing to wait for.
    if (!closed && !offerSent) onState('failed');
  });

  return {
    close() {
      if (closed) return;
      closed = true;
      socket.off('media:signal', onSignal);
      pc.onicecandidate = null;
      pc.ontrack = null;
      pc.onconnectionstatechange = null;
      // Closing does not stop the tracks: the same camera stream is reused by the next link.
      pc.close();
    },
  };
}
