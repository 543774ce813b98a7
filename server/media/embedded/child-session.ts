/**
 * One applicant's media inside the media process: the current RTCPeerConnection (replaced by
 * every new offer), the sinks that count and sample what arrives, and the paced outgoing audio.
 * Runs only in the media process (see child.ts); talks to the server through `send`.
 */
import type * as Wrtc from '@roamhq/wrtc';
import type { MediaConnectionState } from '../types.ts';
import { AudioBatcher, AudioFrameQueue, RmsWindow, StreamingResampler, downmixToMono, measureLevels } from './audio.ts';
import { ChildRecording } from './child-recording.ts';
import type { ChildToParent, IceServer, LogLevel, RecordStartReply, RecorderConfig } from './protocol.ts';
import { FrameSampler } from './sampler.ts';
import type { IceCandidate } from './signaling.ts';
import { emptyStats } from './stats.ts';

export type WrtcModule = typeof Wrtc;

const OUT_RATE = 48_000;
const OUT_FRAME_SAMPLES = 480; // 10 ms
const OUT_MAX_SECONDS = 60;
const OUT_TICK_MS = 10;
/** If the pacer falls this far behind (event-loop stall), it restarts instead of bursting. */
const OUT_MAX_CATCH_UP_FRAMES = 10;
const SILENT_FRAME = new Int16Array(OUT_RATE / 100);
const MAX_EARLY_CANDIDATES = 64;

export interface ChildSessionDeps {
  wrtc: WrtcModule;
  send: (message: ChildToParent) => void;
  log: (level: LogLevel, msg: string, fields?: Record<string, string | number | boolean | null>) => void;
}

interface VideoFrameEvent {
  frame: { width: number; height: number; data: Uint8Array };
}

interface AudioDataEvent {
  samples: Int16Array;
  sampleRate: number;
  channelCount?: number;
}

interface Peer {
  pc: RTCPeerConnection;
  audioSource: InstanceType<WrtcModule['nonstandard']['RTCAudioSource']>;
  audioTrack: MediaStreamTrack;
  sinks: { stop(): void }[];
  remoteDescriptionSet: boolean;
  pendingCandidates: IceCandidate[];
}

function connectionStateOf(pc: RTCPeerConnection): MediaConnectionState {
  const state = pc.connectionState as string | undefined;
  switch (state) {
    case 'new':
    case 'connecting':
    case 'connected':
    case 'disconnected':
    case 'failed':
    case 'closed':
      return state;
  }
  switch (pc.iceConnectionState) {
    case 'checking':
      return 'connecting';
    case 'connected':
    case 'completed':
      return 'connected';
    case 'disconnected':
      return 'disconnected';
    case 'failed':
      return 'failed';
    case 'closed':
      return 'closed';
    default:
      return 'new';
  }
}

const STATE_REASONS: Partial<Record<MediaConnectionState, string>> = {
  disconnected: 'connection to the client interrupted',
  failed: 'connection to the client failed (ICE/DTLS)',
};

export class ChildSession {
  /** The peer connection in use. */
  private peer: Peer | null = null;
  /** A peer connection whose offer is being applied; it becomes `peer` once accepted. */
  private pendingPeer: Peer | null = null;
  private state: MediaConnectionState = 'new';
  private readonly stats = emptyStats();
  private statsDirty = false;
  private readonly rms = new RmsWindow(1000);
  private readonly sampler = new FrameSampler();
  private audioSubscribed = false;
  private readonly batcher = new AudioBatcher(100);
  private readonly earlyCandidates: IceCandidate[] = [];
  private readonly outQueue = new AudioFrameQueue(OUT_FRAME_SAMPLES, OUT_RATE * OUT_MAX_SECONDS);
  private resampler: StreamingResampler | null = null;
  private pacer: NodeJS.Timeout | null = null;
  private pacerStartMs = 0;
  private pacerFramesSent = 0;
  private droppedOutSamples = 0;
  private closed = false;
  private closing: Promise<void> | null = null;
  private readonly recording: ChildRecording;

  constructor(
    readonly handle: number,
    private readonly iceServers: IceServer[],
    recorder: RecorderConfig,
    private readonly deps: ChildSessionDeps,
  ) {
    this.recording = new ChildRecording(handle, recorder, deps);
  }

  /** ffmpeg's process id while this session records. */
  get recorderPid(): number | null {
    return this.recording.recorderPid;
  }

  /** Starts recording this peer connection into `file` (see MediaSession.startRecording). */
  startRecording(requestId: number, file: string): Promise<RecordStartReply> {
    return this.recording.start(requestId, file);
  }

  /** Stops the recording started by request `recordingId`; its end is reported by message. */
  stopRecording(recordingId: number): void {
    this.recording.stop(recordingId);
  }

  /**
   * Applies a client offer on a fresh peer connection and answers. The previous peer connection
   * (if any) is closed only once the new offer has been accepted, so a bad offer leaves a working
   * call alone. When offers race, the newest wins.
   */
  async applyOffer(sdp: string): Promise<void> {
    if (this.closed) return;
    const { wrtc } = this.deps;
    const pc = new wrtc.RTCPeerConnection({ iceServers: this.iceServers }) as RTCPeerConnection;
    const audioSource = new wrtc.nonstandard.RTCAudioSource();
    const audioTrack = audioSource.createTrack();
    const peer: Peer = {
      pc,
      audioSource,
      audioTrack,
      sinks: [],
      remoteDescriptionSet: false,
      pendingCandidates: this.earlyCandidates.splice(0),
    };
    if (this.pendingPeer) this.disposePeer(this.pendingPeer);
    this.pendingPeer = peer;
    const current = (): boolean => this.peer === peer && !this.closed;

    pc.onicecandidate = (event) => {
      if (!current() || !event.candidate || !event.candidate.candidate) return;
      const { candidate, sdpMid, sdpMLineIndex } = event.candidate;
      this.deps.send({
        type: 'signal',
        handle: this.handle,
        message: { type: 'candidate', candidate: { candidate, sdpMid: sdpMid ?? null, sdpMLineIndex: sdpMLineIndex ?? null } },
      });
    };
    const onState = (): void => {
      if (current()) this.setState(connectionStateOf(pc));
    };
    pc.onconnectionstatechange = onState;
    pc.oniceconnectionstatechange = onState;
    // Tracks appear while the offer is applied, before this peer becomes current; the sinks
    // count only once it is.
    pc.ontrack = (event) => this.attachSink(peer, event.track);

    try {
      await pc.setRemoteDescription({ type: 'offer', sdp });
    } catch (error) {
      if (this.pendingPeer === peer) this.pendingPeer = null;
      this.disposePeer(peer);
      if (this.closed) return;
      const name = error instanceof Error ? error.name : 'Error';
      this.deps.send({ type: 'signal-error', handle: this.handle, message: `offer could not be applied (${name})` });
      this.deps.log('warn', 'media offer rejected', { handle: this.handle, error: name });
      return;
    }
    if (this.pendingPeer !== peer || this.closed) {
      this.disposePeer(peer); // superseded by a newer offer, or the session closed
      return;
    }
    this.pendingPeer = null;
    if (this.peer) {
      this.disposePeer(this.peer);
      this.recording.peerReplaced();
    }
    this.peer = peer;
    onState();

    try {
      // Adding the track after the remote offer reuses the offer's audio m-line and makes it
      // sendrecv; this must happen before createAnswer.
      pc.addTrack(audioTrack, new wrtc.MediaStream([audioTrack]) as MediaStream);
      const answer = await pc.createAnswer();
      if (!current()) return;
      await pc.setLocalDescription(answer);
      if (!current()) return;
      const sdpAnswer = pc.localDescription?.sdp ?? answer.sdp ?? '';
      this.deps.send({ type: 'signal', handle: this.handle, message: { type: 'answer', sdp: sdpAnswer } });
      peer.remoteDescriptionSet = true;
      for (const candidate of peer.pendingCandidates.splice(0)) await this.applyCandidate(peer, candidate);
    } catch (error) {
      if (!current()) return;
      const name = error instanceof Error ? error.name : 'Error';
      this.deps.send({ type: 'signal-error', handle: this.handle, message: `could not answer the offer (${name})` });
      this.deps.log('warn', 'media answer failed', { handle: this.handle, error: name });
      this.peer = null;
      this.disposePeer(peer);
    }
  }

  async addCandidate(candidate: IceCandidate): Promise<void> {
    if (this.closed) return;
    // Candidates follow their offer in order, so they belong to the newest peer connection.
    const peer = this.pendingPeer ?? this.peer;
    if (!peer) {
      if (this.earlyCandidates.length < MAX_EARLY_CANDIDATES) this.earlyCandidates.push(candidate);
      return;
    }
    if (!peer.remoteDescriptionSet) {
      if (peer.pendingCandidates.length < MAX_EARLY_CANDIDATES) peer.pendingCandidates.push(candidate);
      return;
    }
    await this.applyCandidate(peer, candidate);
  }

  setVideoRate(fps: number): void {
    this.sampler.setRate(fps);
  }

  setAudioSubscribed(enabled: boolean): void {
    this.audioSubscribed = enabled;
    if (!enabled) this.batcher.reset();
  }

  /** Queues audio for the applicant: downmix, resample to 48 kHz, then paced 10 ms frames. */
  enqueueAudio(samples: Int16Array, sampleRate: number, channels: number): void {
    if (this.closed) return;
    const mono = downmixToMono(samples, channels);
    if (!this.resampler || this.resampler.fromRate !== sampleRate) {
      this.resampler = new StreamingResampler(sampleRate, OUT_RATE);
    }
    const dropped = this.outQueue.push(this.resampler.push(mono));
    if (dropped > 0) {
      if (this.droppedOutSamples === 0) {
        this.deps.log('warn', 'outgoing audio queue full, dropping audio', { handle: this.handle, maxSeconds: OUT_MAX_SECONDS });
      }
      this.droppedOutSamples += dropped;
    }
    this.startPacer();
  }

  /** Drops queued outgoing audio at once (barge-in); what already went out cannot be recalled. */
  clearAudio(): void {
    this.outQueue.clear();
  }

  /** Sends the stats snapshot if anything changed since the last one. */
  flushStats(): void {
    if (!this.statsDirty || this.closed) return;
    this.pushStats();
  }

  /**
   * Closes the peer connections at once; resolves when a running recording has been finalised
   * and reported (or immediately when there is none).
   */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    this.closed = true;
    this.stopPacer();
    this.outQueue.clear();
    if (this.pendingPeer) this.disposePeer(this.pendingPeer);
    if (this.peer) this.disposePeer(this.peer);
    this.pendingPeer = null;
    this.peer = null;
    this.closing = this.recording.close();
    return this.closing;
  }

  private setState(state: MediaConnectionState): void {
    if (state === this.state) return;
    this.state = state;
    const reason = STATE_REASONS[state];
    this.deps.send({ type: 'state', handle: this.handle, state, ...(reason ? { reason } : {}) });
    this.deps.log('info', 'media connection state changed', { handle: this.handle, connection: state });
  }

  private async applyCandidate(peer: Peer, candidate: IceCandidate): Promise<void> {
    if (candidate.candidate === '') return; // end-of-candidates marker
    try {
      await peer.pc.addIceCandidate({
        candidate: candidate.candidate,
        sdpMid: candidate.sdpMid ?? null,
        sdpMLineIndex: candidate.sdpMLineIndex ?? null,
      });
    } catch (error) {
      if ((this.peer !== peer && this.pendingPeer !== peer) || this.closed) return;
      const name = error instanceof Error ? error.name : 'Error';
      this.deps.send({ type: 'signal-error', handle: this.handle, message: `candidate could not be applied (${name})` });
    }
  }

  private attachSink(peer: Peer, track: MediaStreamTrack): void {
    const { nonstandard } = this.deps.wrtc;
    if (track.kind === 'video') {
      const sink = new nonstandard.RTCVideoSink(track);
      sink.onframe = (event: VideoFrameEvent) => {
        if (this.peer === peer) this.onVideoFrame(event.frame);
      };
      peer.sinks.push(sink);
    } else if (track.kind === 'audio') {
      const sink = new nonstandard.RTCAudioSink(track);
      sink.ondata = (event: AudioDataEvent) => {
        if (this.peer === peer) this.onAudioData(event);
      };
      peer.sinks.push(sink);
    }
  }

  /** Runs for every decoded frame: keep it to counting unless someone samples. */
  private onVideoFrame(frame: { width: number; height: number; data: Uint8Array }): void {
    const stats = this.stats;
    stats.framesReceived++;
    const size = stats.lastFrameSize;
    if (size === null || size.width !== frame.width || size.height !== frame.height) {
      stats.lastFrameSize = { width: frame.width, height: frame.height };
    }
    if (stats.firstFrameAtMs === null) {
      stats.firstFrameAtMs = Date.now();
      this.pushStats();
    } else {
      this.statsDirty = true;
    }
    this.recording.pushVideo(frame);
    if (this.sampler.rate === 0) return;
    const now = Date.now();
    if (!this.sampler.take(now)) return;
    this.deps.send({
      type: 'frame',
      handle: this.handle,
      width: frame.width,
      height: frame.height,
      data: frame.data.slice(),
      timestampMs: now,
    });
  }

  private onAudioData(event: AudioDataEvent): void {
    const now = Date.now();
    const { samples, sampleRate } = event;
    const channels = event.channelCount ?? 1;
    const stats = this.stats;
    stats.audioChunksReceived++;
    const { peak, sumSquares } = measureLevels(samples);
    if (peak > stats.audioPeak) stats.audioPeak = peak;
    const durationMs = (samples.length / channels / sampleRate) * 1000;
    this.rms.push(sumSquares, samples.length, durationMs);
    if (stats.firstAudioAtMs === null) {
      stats.firstAudioAtMs = now;
      this.pushStats();
    } else {
      this.statsDirty = true;
    }
    this.recording.pushAudio('microphone', samples, sampleRate, channels, now - durationMs);
    if (!this.audioSubscribed) return;
    for (const chunk of this.batcher.push(samples, sampleRate, channels, now - durationMs)) {
      this.deps.send({ type: 'audio', handle: this.handle, ...chunk });
    }
  }

  private pushStats(): void {
    this.statsDirty = false;
    this.stats.audioRms = this.rms.value();
    const size = this.stats.lastFrameSize;
    this.deps.send({
      type: 'stats',
      handle: this.handle,
      stats: { ...this.stats, lastFrameSize: size ? { ...size } : null },
    });
  }

  private startPacer(): void {
    if (this.pacer || this.outQueue.length === 0) return;
    this.pacerStartMs = Date.now();
    this.pacerFramesSent = 0;
    this.pacer = setInterval(() => this.paceAudio(), OUT_TICK_MS);
    this.paceAudio();
  }

  private stopPacer(): void {
    if (this.pacer) clearInterval(this.pacer);
    this.pacer = null;
  }

  /** Feeds the frames that are due by the wall clock, so drift in the timer does not add up. */
  private paceAudio(): void {
    const now = Date.now();
    let due = Math.floor((now - this.pacerStartMs) / OUT_TICK_MS) + 1 - this.pacerFramesSent;
    if (due > OUT_MAX_CATCH_UP_FRAMES) {
      this.pacerStartMs = now;
      this.pacerFramesSent = 0;
      due = 1;
    }
    for (; due > 0; due--) {
      // Once the assistant has spoken, silence keeps flowing between its lines: a stream that
      // stops and restarts makes the browser's jitter buffer hold the next line back by up to
      // a second (measured by bench:voice), like a late burst of packets.
      const queued = this.outQueue.take();
      const frame = queued ?? SILENT_FRAME;
      // Frame n of this run is due at start + n * 10 ms: that is when the applicant hears it.
      if (queued) this.recording.pushAudio('assistant', frame, OUT_RATE, 1, this.pacerStartMs + this.pacerFramesSent * OUT_TICK_MS);
      this.pacerFramesSent++;
      this.peer?.audioSource.onData({
        samples: frame,
        sampleRate: OUT_RATE,
        bitsPerSample: 16,
        channelCount: 1,
        numberOfFrames: OUT_FRAME_SAMPLES,
      });
    }
  }

  /** Stops a peer connection's sinks and outgoing track and closes it (idempotent). */
  private disposePeer(peer: Peer): void {
    const { pc } = peer;
    pc.onicecandidate = null;
    pc.onconnectionstatechange = null;
    pc.oniceconnectionstatechange = null;
    pc.ontrack = null;
    for (const sink of peer.sinks.splice(0)) sink.stop();
    if (peer.audioTrack.readyState !== 'ended') peer.audioTrack.stop();
    if (pc.signalingState !== 'closed') pc.close();
  }
}
