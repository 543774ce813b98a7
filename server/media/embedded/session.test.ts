import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../log.ts';
import path from 'node:path';
import type { MediaConnectionState, RecordingEnded, RecordingResult, SignalingChannel } from '../types.ts';
import type { ParentToChild, Reply } from './protocol.ts';
import { EmbeddedSession } from './session.ts';

function setup() {
  const sent: ParentToChild[] = [];
  const requests: ParentToChild[] = [];
  const replies: Reply[] = [];
  let nextRequestId = 1;
  const closed: number[] = [];
  const toClient: unknown[] = [];
  let deliver: (message: unknown) => void = () => undefined;
  let subscribed = 0;
  const signaling: SignalingChannel = {
    send: (message) => toClient.push(message),
    onMessage: (listener) => {
      subscribed++;
      deliver = listener;
      return () => {
        subscribed--;
        deliver = () => undefined;
      };
    },
  };
  const errors: { code: string; message: string }[] = [];
  const ended: EmbeddedSession[] = [];
  const session = new EmbeddedSession(
    's1',
    7,
    {
      send: (message) => sent.push(message),
      request: async (message) => {
        requests.push(message);
        return replies.shift() ?? { closed: true };
      },
      newRequestId: () => nextRequestId++,
      close: async (handle) => {
        closed.push(handle);
      },
    },
    signaling,
    (error) => errors.push(error),
    silentLogger(),
    (s) => ended.push(s),
  );
  return {
    session,
    sent,
    requests,
    replies,
    closed,
    toClient,
    errors,
    ended,
    receive: (m: unknown) => deliver(m),
    subscribed: () => subscribed,
  };
}

describe('EmbeddedSession', () => {
  it('forwards valid signals to the media process and reports bad ones as bad_signal', () => {
    const { session, sent, errors, receive } = setup();
    receive({ type: 'offer', sdp: 'v=0' });
    receive({ type: 'candidate', candidate: { candidate: 'candidate:1', sdpMid: '0', sdpMLineIndex: 0 } });
    receive({ type: 'offer', sdp: 5 });
    expect(sent).toEqual([
      { type: 'offer', handle: 7, sdp: 'v=0' },
      { type: 'candidate', handle: 7, candidate: { candidate: 'candidate:1', sdpMid: '0', sdpMLineIndex: 0 } },
    ]);
    expect(errors).toEqual([{ code: 'bad_signal', message: expect.stringMatching(/offer sdp/) }]);
    session.receiveFromProcess({ type: 'signal-error', handle: 7, message: 'offer could not be applied (OperationError)' });
    expect(errors[1]).toEqual({ code: 'bad_signal', message: 'offer could not be applied (OperationError)' });
  });

  it('asks for frames only while someone listens, at the set rate (capped)', () => {
    const { session, sent } = setup();
    session.setVideoSampleRate(2);
    expect(sent).toEqual([]);
    const off1 = session.onVideoFrame(() => undefined);
    const off2 = session.onVideoFrame(() => undefined);
    session.setVideoSampleRate(500);
    off1();
    off2();
    expect(sent).toEqual([
      { type: 'video-rate', handle: 7, fps: 2 },
      { type: 'video-rate', handle: 7, fps: 30 },
      { type: 'video-rate', handle: 7, fps: 0 },
    ]);
    expect(() => session.setVideoSampleRate(-1)).toThrow(RangeError);
    expect(() => session.setVideoSampleRate(Number.NaN)).toThrow(RangeError);
  });

  it('subscribes to audio only while someone listens', () => {
    const { session, sent } = setup();
    const off = session.onAudio(() => undefined);
    const off2 = session.onAudio(() => undefined);
    off();
    off2();
    expect(sent).toEqual([
      { type: 'audio-subscribe', handle: 7, enabled: true },
      { type: 'audio-subscribe', handle: 7, enabled: false },
    ]);
  });

  it('delivers frames, audio, state and stats from the media process; a throwing listener hurts nobody', () => {
    const { session, toClient } = setup();
    const frames: number[] = [];
    const states: [MediaConnectionState, string | undefined][] = [];
    session.onVideoFrame(() => {
      throw new Error('listener bug');
    });
    session.onVideoFrame((frame) => frames.push(frame.width));
    session.onStateChange((state, reason) => states.push([state, reason]));
    session.receiveFromProcess({ type: 'frame', handle: 7, width: 2, height: 2, data: new Uint8Array(6), timestampMs: 1 });
    session.receiveFromProcess({ type: 'state', handle: 7, state: 'connected' });
    session.receiveFromProcess({ type: 'state', handle: 7, state: 'connected' });
    session.receiveFromProcess({ type: 'signal', handle: 7, message: { type: 'answer', sdp: 'v=0' } });
    const stats = {
      framesReceived: 3,
      lastFrameSize: { width: 2, height: 2 },
      firstFrameAtMs: 1,
      audioChunksReceived: 0,
      audioPeak: 0,
      audioRms: 0,
      firstAudioAtMs: null,
    };
    session.receiveFromProcess({ type: 'stats', handle: 7, stats });
    expect(frames).toEqual([2]);
    expect(states).toEqual([['connected', undefined]]);
    expect(session.state).toBe('connected');
    expect(toClient).toEqual([{ type: 'answer', sdp: 'v=0' }]);
    expect(session.stats()).toEqual(stats);
    expect(session.stats()).not.toBe(session.stats());
  });

  it('validates and copies outgoing audio', () => {
    const { session, sent } = setup();
    const big = new Int16Array(1000);
    session.sendAudio({ samples: big.subarray(10, 20), sampleRate: 22_050, channels: 1, timestampMs: 0 });
    const message = sent[0] as Extract<ParentToChild, { type: 'send-audio' }>;
    expect(message.samples.length).toBe(10);
    expect(message.samples.buffer.byteLength).toBe(20);
    expect(() => session.sendAudio({ samples: new Int16Array(3), sampleRate: 48_000, channels: 2, timestampMs: 0 })).toThrow(RangeError);
    expect(() => session.sendAudio({ samples: new Int16Array(2), sampleRate: 100, channels: 1, timestampMs: 0 })).toThrow(RangeError);
  });

  it('fails once, stops listening to signaling, and ignores the media process afterwards', async () => {
    const { session, subscribed, ended, receive, sent, closed } = setup();
    const states: [MediaConnectionState, string | undefined][] = [];
    session.onStateChange((state, reason) => states.push([state, reason]));
    expect(subscribed()).toBe(1);
    session.fail('media process exited');
    session.fail('again');
    expect(states).toEqual([['failed', 'media process exited']]);
    expect(subscribed()).toBe(0);
    expect(ended).toEqual([session]);
    receive({ type: 'offer', sdp: 'v=0' });
    session.receiveFromProcess({ type: 'state', handle: 7, state: 'connected' });
    session.sendAudio({ samples: new Int16Array(2), sampleRate: 48_000, channels: 1, timestampMs: 0 });
    expect(sent).toEqual([]);
    expect(session.state).toBe('failed');
    await session.close();
    expect(closed).toEqual([]); // nothing left to close in a dead process
  });

  it('close() tells the media process once and ends as closed', async () => {
    const { session, closed, subscribed } = setup();
    const states: MediaConnectionState[] = [];
    session.onStateChange((state) => states.push(state));
    await Promise.all([session.close(), session.close()]);
    expect(closed).toEqual([7]);
    expect(states).toEqual(['closed']);
    expect(subscribed()).toBe(0);
  });

  describe('recording', () => {
    const result = (file: string): RecordingResult => ({
      file,
      bytes: 1000,
      sha256: 'ab'.repeat(32),
      durationMs: 3000,
      startedAtMs: 1,
      endedAtMs: 3001,
      videoFrames: 45,
      audioSamples: 144_000,
      width: 640,
      height: 480,
      droppedVideoFrames: 0,
    });

    it('starts in the media process, stops by request, and reports the end to listeners and to stopRecording', async () => {
      const { session, requests, replies, sent } = setup();
      const ended: RecordingEnded[] = [];
      session.onRecordingEnded((event) => ended.push(event));
      replies.push({ recording: 'started', startedAtMs: 1 });
      await session.startRecording({ file: 'recordings/a.mp4' });
      const file = path.resolve('recordings/a.mp4');
      expect(requests).toEqual([{ type: 'record-start', handle: 7, requestId: 1, file }]);
      await expect(session.startRecording({ file: 'b.mp4' })).rejects.toThrow(/already recording/);

      const stopping = session.stopRecording();
      await Promise.resolve();
      expect(sent).toEqual([{ type: 'record-stop', handle: 7, recordingId: 1 }]);
      session.receiveFromProcess({ type: 'recording-ended', handle: 7, recordingId: 99, file, reason: 'stopped', result: result(file) });
      session.receiveFromProcess({ type: 'recording-ended', handle: 7, recordingId: 1, file, reason: 'stopped', result: result(file) });
      await expect(stopping).resolves.toEqual(result(file));
      expect(ended).toEqual([{ file, reason: 'stopped', result: result(file) }]);
      expect(await session.stopRecording()).toBeNull();
    });

    it('rejects a start the media process refuses, with its reason, and is not recording afterwards', async () => {
      const { session, replies } = setup();
      replies.push({ recordingError: "recording could not start: ffmpeg not found at 'nope'" });
      await expect(session.startRecording({ file: '/tmp/x.mp4' })).rejects.toThrow(/ffmpeg not found at 'nope'/);
      expect(session.recordingActive).toBe(false);
      expect(await session.stopRecording()).toBeNull();
      await expect(session.startRecording({ file: '' })).rejects.toThrow(TypeError);
    });

    it('close() waits for the recording report before the session lets go of its handle', async () => {
      const { session, replies, ended: sessionsEnded } = setup();
      const ended: RecordingEnded[] = [];
      session.onRecordingEnded((event) => ended.push(event));
      replies.push({ recording: 'started', startedAtMs: 1 });
      await session.startRecording({ file: '/tmp/c.mp4' });
      const closing = session.close();
      expect(session.state).toBe('closed');
      expect(sessionsEnded).toEqual([]);
      session.receiveFromProcess({ type: 'recording-ended', handle: 7, recordingId: 1, file: '/tmp/c.mp4', reason: 'session-closed', result: result('/tmp/c.mp4') });
      await closing;
      expect(ended).toEqual([{ file: '/tmp/c.mp4', reason: 'session-closed', result: result('/tmp/c.mp4') }]);
      expect(sessionsEnded).toEqual([session]);
      await expect(session.startRecording({ file: '/tmp/d.mp4' })).rejects.toThrow(/closed/);
    });

    it('ends a running recording without a result when the media process dies', async () => {
      const { session, replies } = setup();
      const ended: RecordingEnded[] = [];
      session.onRecordingEnded((event) => ended.push(event));
      replies.push({ recording: 'started', startedAtMs: 1 });
      await session.startRecording({ file: '/tmp/e.mp4' });
      session.fail('media process exited unexpectedly (code null, signal SIGKILL)');
      expect(ended).toEqual([{ file: '/tmp/e.mp4', reason: 'media-failed', result: null, error: expect.stringMatching(/SIGKILL/) }]);
      expect(await session.stopRecording()).toBeNull();
    });
  });
});
