import { describe, expect, it } from 'vitest';
import { AudioMixer } from './mixer.ts';

const RATE = 1000; // 1 sample per ms keeps the arithmetic readable

function filled(value: number, length: number): Int16Array {
  return new Int16Array(length).fill(value);
}

describe('AudioMixer', () => {
  it('places chunks by the wall clock, silence in the gaps, and mixes sources by addition', () => {
    const mixer = new AudioMixer({ sampleRate: RATE, startMs: 10_000 });
    mixer.add('microphone', filled(100, 10), 10_005);
    mixer.add('assistant', filled(7, 4), 10_008);
    const out = mixer.take(20);
    expect([...out]).toEqual([0, 0, 0, 0, 0, 100, 100, 100, 107, 107, 107, 107, 100, 100, 100, 0, 0, 0, 0, 0]);
    expect(mixer.position).toBe(20);
    expect([...mixer.take(25)]).toEqual([0, 0, 0, 0, 0]);
  });

  it('keeps a source contiguous despite delivery jitter, and re-aligns it after a real gap', () => {
    const mixer = new AudioMixer({ sampleRate: RATE, startMs: 0, resyncMs: 50 });
    mixer.add('microphone', filled(1, 10), 0);
    mixer.add('microphone', filled(2, 10), 30); // 20 ms late: jitter, stays at 10
    mixer.add('microphone', filled(3, 10), 200); // 180 ms after: a gap, jumps there
    const out = mixer.take(210);
    expect(out.slice(0, 20)).toEqual(new Int16Array([...filled(1, 10), ...filled(2, 10)]));
    expect(out.slice(20, 200).every((s) => s === 0)).toBe(true);
    expect(out.slice(200, 210)).toEqual(filled(3, 10));
    expect(mixer.droppedSamples).toBe(0);
  });

  it('clips the mix to 16 bits, drops what comes too late, and ignores audio from before the start', () => {
    const mixer = new AudioMixer({ sampleRate: RATE, startMs: 0 });
    mixer.add('microphone', filled(30_000, 4), 0);
    mixer.add('assistant', filled(30_000, 2), 0);
    mixer.add('other', filled(-32_000, 2), 2);
    mixer.add('another', filled(-32_000, 2), 2);
    expect([...mixer.take(4)]).toEqual([32_767, 32_767, -32_768, -32_768]);
    mixer.add('late', filled(5, 3), 2); // positions 2..4: 2 and 3 were already taken
    expect(mixer.droppedSamples).toBe(2);
    expect([...mixer.take(5)]).toEqual([5]);

    const early = new AudioMixer({ sampleRate: RATE, startMs: 100 });
    early.add('microphone', filled(9, 10), 95); // half of it before the recording began
    expect(early.droppedSamples).toBe(0);
    expect([...early.take(6)]).toEqual([9, 9, 9, 9, 9, 0]);
  });

  it('hands out long stretches correctly after a stall longer than its buffer', () => {
    const mixer = new AudioMixer({ sampleRate: RATE, startMs: 0, capacityMs: 100 });
    mixer.add('microphone', filled(4, 50), 60);
    const out = mixer.take(500);
    expect(out.length).toBe(500);
    expect(out.slice(60, 100)).toEqual(filled(4, 40));
    expect(out.slice(100).every((s) => s === 0)).toBe(true);
    expect(mixer.droppedSamples).toBe(10); // beyond the 100 ms buffer when it arrived
  });
});
