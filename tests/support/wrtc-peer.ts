/**
 * A stand-in for the applicant's browser, run as its own process by wrtc-peer-process.ts (wrtc
 * must not be loaded into the test runner). It offers one video track (a moving grey gradient on a
 * constant colour, I420) and one audio track (a sine tone), speaks the embedded transport's
 * signaling, and reports what it receives back.
 */
import { createRequire } from 'node:module';
import type * as Wrtc from '@roamhq/wrtc';
import { PEER_FRAME_U, PEER_FRAME_V, type PeerCommand, type PeerEvent, type PeerReport, type PeerStartOptions } from './wrtc-peer-process.ts';

const wrtc = createRequire(import.meta.url)('@roamhq/wrtc') as typeof Wrtc;
const { RTCPeerConnection, MediaStream, nonstandard } = wrtc;

function emit(event: PeerEvent): void {
  if (process.connected) process.send?.(event);
}

let options: PeerStartOptions | null = null;
let videoPaused = false;
let videoSize: { width: number; height: number } | null = null;
let pc: RTCPeerConnection | null = null;
let remoteSet = false;
let pendingCandidates: RTCIceCandidateInit[] = [];
const timers: NodeJS.Timeout[] = [];
const videoSource = new nonstandard.RTCVideoSource();
const videoTrack = videoSource.createTrack();
const audioSource = new nonstandard.RTCAudioSource();
const audioTrack = audioSource.createTrack();
const sinks: { stop(): void }[] = [];
const report: PeerReport = {
  connectionState: 'new',
  framesSent: 0,
  audioChunksSent: 0,
  audioChunksReceived: 0,
  receivedAudioPeak: 0,
  offersSent: 0,
};

function makeFrame(width: number, height: number, index: number): Uint8Array {
  const data = new Uint8Array((width * height * 3) / 2);
  const shift = index * 4;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data[y * width + x] = 16 + ((x + y + shift) % 220);
  }
  const chroma = (width / 2) * (height / 2);
  data.fill(PEER_FRAME_U, width * height, width * height + chroma);
  data.fill(PEER_FRAME_V, width * height + chroma);
  return data;
}

function startGenerators(opts: PeerStartOptions): void {
  let frameIndex = 0;
  timers.push(
    setInterval(() => {
      if (videoPaused) return;
      const { width, height } = videoSize ?? opts;
      videoSource.onFrame({ width, height, data: makeFrame(width, height, frameIndex++) });
      report.framesSent++;
    }, 1000 / opts.fps),
  );
  // 10 ms tone chunks, paced by the wall clock.
  const startedAt = Date.now();
  let sent = 0;
  timers.push(
    setInterval(() => {
      const due = Math.floor((Date.now() - startedAt) / 10) + 1 - sent;
      for (let n = 0; n < Math.min(due, 10); n++) {
        const samples = new Int16Array(480);
        for (let i = 0; i < 480; i++) {
          samples[i] = Math.round(opts.toneAmplitude * Math.sin((2 * Math.PI * opts.toneHz * (sent * 480 + i)) / 48000));
        }
        audioSource.onData({ samples, sampleRate: 48000, bitsPerSample: 16, channelCount: 1, numberOfFrames: 480 });
        sent++;
        report.audioChunksSent++;
      }
      if (due > 10) sent += due - 10;
    }, 10),
  );
}

async function negotiate(): Promise<void> {
  if (pc) {
    pc.onicecandidate = null;
    pc.onconnectionstatechange = null;
    pc.close();
  }
  remoteSet = false;
  pendingCandidates = [];
  report.connectionState = 'new';
  const connection = new RTCPeerConnection({ iceServers: [] }) as RTCPeerConnection;
  pc = connection;
  connection.addTrack(videoTrack, new MediaStream([videoTrack]) as MediaStream);
  connection.addTrack(audioTrack, new MediaStream([audioTrack]) as MediaStream);
  connection.onicecandidate = (event) => {
    if (pc !== connection || !event.candidate?.candidate) return;
    const { candidate, sdpMid, sdpMLineIndex } = event.candidate;
    emit({ type: 'signal', message: { type: 'candidate', candidate: { candidate, sdpMid, sdpMLineIndex } } });
  };
  connection.onconnectionstatechange = () => {
    if (pc !== connection) return;
    report.connectionState = connection.connectionState;
    emit({ type: 'state', state: connection.connectionState });
  };
  connection.ontrack = (event) => {
    if (event.track.kind !== 'audio') return;
    const sink = new nonstandard.RTCAudioSink(event.track);
    sink.ondata = (data: { samples: Int16Array }) => {
      report.audioChunksReceived++;
      for (const s of data.samples) {
        const a = Math.abs(s);
        if (a > report.receivedAudioPeak) report.receivedAudioPeak = a;
      }
    };
    sinks.push(sink);
  };
  const offer = await connection.createOffer();
  await connection.setLocalDescription(offer);
  report.offersSent++;
  emit({ type: 'signal', message: { type: 'offer', sdp: connection.localDescription?.sdp ?? offer.sdp } });
}

async function receiveSignal(message: unknown): Promise<void> {
  const connection = pc;
  if (!connection || typeof message !== 'object' || message === null) return;
  const signal = message as { type: string; sdp?: string; candidate?: RTCIceCandidateInit };
  if (signal.type === 'answer' && signal.sdp) {
    await connection.setRemoteDescription({ type: 'answer', sdp: signal.sdp });
    if (pc !== connection) return;
    remoteSet = true;
    for (const candidate of pendingCandidates.splice(0)) await connection.addIceCandidate(candidate);
  } else if (signal.type === 'candidate' && signal.candidate) {
    if (remoteSet) await connection.addIceCandidate(signal.candidate);
    else pendingCandidates.push(signal.candidate);
  }
}

function stop(): void {
  for (const timer of timers) clearInterval(timer);
  for (const sink of sinks) sink.stop();
  videoTrack.stop();
  audioTrack.stop();
  pc?.close();
  // wrtc: only an explicit exit is clean once tracks were stopped.
  process.exit(0);
}

function fail(error: unknown): void {
  emit({ type: 'error', message: error instanceof Error ? error.message : String(error) });
}

process.on('message', (command: PeerCommand) => {
  switch (command.type) {
    case 'start':
      options = command.options;
      startGenerators(options);
      negotiate().catch(fail);
      return;
    case 'restart':
      if (options) negotiate().catch(fail);
      return;
    case 'pause-video':
      videoPaused = command.paused;
      return;
    case 'resize-video':
      videoSize = { width: command.width, height: command.height };
      return;
    case 'signal':
      receiveSignal(command.message).catch(fail);
      return;
    case 'report':
      emit({ type: 'report', requestId: command.requestId, report: { ...report } });
      return;
    case 'stop':
      stop();
      return;
  }
});
process.on('disconnect', stop);

emit({ type: 'ready' });
