import { describe, expect, it } from 'vitest';
import type { MediaSession, VideoFrame } from '../media/index.ts';
import { LiveMedia } from './live-media.ts';

/** A MediaSession that only delivers frames the test pushes (the transport is tested elsewhere). */
function fakeMedia() {
  const listeners = new Set<(frame: VideoFrame) => void>();
  let rate = 0;
  const media = {
    sessionId: 's1',
    state: 'connected',
    setVideoSampleRate: (fps: number) => {
      rate = fps;
    },
    onVideoFrame: (l: (frame: VideoFrame) => void) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  } as unknown as MediaSession;
  return {
    media,
    rate: () => rate,
    listenerCount: () => listeners.size,
    push: (timestampMs: number) => {
      for (const l of listeners) l({ width: 2, height: 2, data: new Uint8Array(6), timestampMs });
    },
  };
}

describe('LiveMedia', () => {
  it('asks for the highest rate any consumer wants and gives each about its own rate', () => {
    const live = new LiveMedia();
    const cam = fakeMedia();
    live.set('s1', cam.media);
    const slow: number[] = [];
    const fast: number[] = [];
    const offSlow = live.frames('s1', 1, (f) => slow.push(f.timestampMs));
    const offFast = live.frames('s1', 10, (f) => fast.push(f.timestampMs));
    expect(cam.rate()).toBe(10);
    for (let t = 0; t <= 2000; t += 100) cam.push(t);
    expect(fast).toHaveLength(21);
    expect(slow).toEqual([0, 900, 1800]); // about 1 fps (10% slack for jitter)
    offFast();
    expect(cam.rate()).toBe(1);
    offSlow();
    expect(cam.rate()).toBe(0);
    expect(cam.listenerCount()).toBe(0);
  });

  it('follows the session to its new media after a reconnect', () => {
    const live = new LiveMedia();
    const first = fakeMedia();
    const second = fakeMedia();
    const got: number[] = [];
    live.frames('s1', 5, (f) => got.push(f.timestampMs));
    live.set('s1', first.media);
    first.push(0);
    live.set('s1', null);
    expect(first.listenerCount()).toBe(0);
    live.set('s1', second.media);
    expect(second.rate()).toBe(5);
    second.push(1000);
    expect(got).toEqual([0, 1000]);
  });
});
