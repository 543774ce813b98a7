import { describe, expect, it } from 'vitest';
import {
  AudioBatcher,
  AudioFrameQueue,
  RmsWindow,
  StreamingResampler,
  downmixToMono,
  measureLevels,
} from './audio.ts';
import { FrameSampler } from './sampler.ts';

function tone(frequency: number, sampleRate: number, samples: number, amplitude: number, phase = 0): Int16Array {
  const out = new Int16Array(samples);
  for (let i = 0; i < samples; i++) {
    out[i] = Math.round(amplitude * Math.sin((2 * Math.PI * frequency * (i + phase)) / sampleRate));
  }
  return out;
}

describe('measureLevels / RmsWindow', () => {
  it('reports peak and the RMS of the last second only', () => {
    expect(measureLevels(new Int16Array([3, -7, 2]))).toEqual({ peak: 7, sumSquares: 62 });
    expect(measureLevels(new Int16Array([-32768])).peak).toBe(32767);

    const rms = new RmsWindow(1000);
    const loud = tone(440, 48000, 480, 10000);
    for (let i = 0; i < 100; i++) {
      const { sumSquares } = measureLevels(loud);
      rms.push(sumSquares, loud.length, 10);
    }
    expect(Math.abs(rms.value() - 7071)).toBeLessThan(100);
    const silence = new Int16Array(480);
    for (let i = 0; i < 100; i++) rms.push(0, silence.length, 10);
    expect(rms.value()).toBeLessThan(800);
    for (let i = 0; i < 5; i++) rms.push(0, silence.length, 10);
    expect(rms.value()).toBe(0);
  });
});

describe('AudioBatcher', () => {
  it('turns 10 ms chunks into 100 ms chunks with first-sample timestamps', () => {
    const batcher = new AudioBatcher(100);
    const out = [];
    for (let i = 0; i < 25; i++) {
      out.push(...batcher.push(new Int16Array(480).fill(i), 48000, 1, 1000 + i * 10));
    }
    expect(out).toHaveLength(2);
    expect(out[0]?.samples.length).toBe(4800);
    expect(out[0]?.timestampMs).toBe(1000);
    expect(out[1]?.timestampMs).toBe(1100);
    expect(out[1]?.samples[0]).toBe(10);
    expect(out[1]?.samples[4799]).toBe(19);
    const rest = batcher.flush();
    expect(rest?.samples.length).toBe(5 * 480);
    expect(rest?.timestampMs).toBe(1200);
  });

  it('flushes the partial batch when the format changes', () => {
    const batcher = new AudioBatcher(100);
    expect(batcher.push(new Int16Array(160), 16000, 1, 0)).toEqual([]);
    const out = batcher.push(new Int16Array(480), 48000, 1, 10);
    expect(out).toHaveLength(1);
    expect(out[0]?.sampleRate).toBe(16000);
    expect(out[0]?.samples.length).toBe(160);
  });
});

describe('outgoing audio', () => {
  it('downmixes interleaved stereo', () => {
    expect(Array.from(downmixToMono(new Int16Array([10, 20, -4, 4, 7, 8]), 2))).toEqual([15, 0, 8]);
  });

  it('resamples a chunked 22.05 kHz tone to 48 kHz without losing length or frequency', () => {
    const input = tone(440, 22050, 22050, 10000);
    const resampler = new StreamingResampler(22050, 48000);
    const parts: Int16Array[] = [];
    for (let i = 0; i < input.length; i += 1000) parts.push(resampler.push(input.subarray(i, i + 1000)));
    const total = parts.reduce((n, p) => n + p.length, 0);
    expect(Math.abs(total - 48000)).toBeLessThanOrEqual(3);
    const out = new Int16Array(total);
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.length;
    }
    // Compare with an ideal 48 kHz tone: linear interpolation errs by well under 1% of amplitude.
    const ideal = tone(440, 48000, total, 10000);
    let maxError = 0;
    for (let i = 0; i < total; i++) maxError = Math.max(maxError, Math.abs((out[i] as number) - (ideal[i] as number)));
    expect(maxError).toBeLessThan(100);
  });

  it('passes through when rates match', () => {
    const input = new Int16Array([1, 2, 3]);
    expect(new StreamingResampler(48000, 48000).push(input)).toBe(input);
  });

  it('hands out fixed frames, zero-pads the last one, and bounds the queue', () => {
    const queue = new AudioFrameQueue(4, 10);
    expect(queue.push(new Int16Array([1, 2, 3]))).toBe(0);
    expect(queue.push(new Int16Array([4, 5, 6]))).toBe(0);
    expect(Array.from(queue.take() ?? [])).toEqual([1, 2, 3, 4]);
    expect(queue.push(new Int16Array([7, 8, 9, 10, 11, 12, 13, 14, 15]))).toBe(1);
    expect(queue.length).toBe(10);
    expect(Array.from(queue.take() ?? [])).toEqual([5, 6, 7, 8]);
    expect(Array.from(queue.take() ?? [])).toEqual([9, 10, 11, 12]);
    expect(Array.from(queue.take() ?? [])).toEqual([13, 14, 0, 0]);
    expect(queue.take()).toBeNull();
  });
});

describe('FrameSampler', () => {
  it('forwards none at rate 0', () => {
    const sampler = new FrameSampler();
    expect(sampler.take(0)).toBe(false);
    expect(sampler.take(1000)).toBe(false);
  });

  it('keeps the average rate of a 15 fps source sampled at 2 fps', () => {
    const sampler = new FrameSampler();
    sampler.setRate(2);
    let forwarded = 0;
    for (let i = 0; i < 15 * 60; i++) if (sampler.take(10_000 + (i * 1000) / 15 + (i % 3))) forwarded++;
    expect(forwarded).toBeGreaterThanOrEqual(119);
    expect(forwarded).toBeLessThanOrEqual(121);
  });

  it('forwards every frame of a source slower than the rate, and restarts on a rate change', () => {
    const sampler = new FrameSampler();
    sampler.setRate(30);
    let forwarded = 0;
    for (let i = 0; i < 100; i++) if (sampler.take(i * 100)) forwarded++;
    expect(forwarded).toBe(100);
    sampler.setRate(1);
    expect(sampler.take(10_000)).toBe(true);
    expect(sampler.take(10_500)).toBe(false);
    expect(sampler.take(11_000)).toBe(true);
    sampler.setRate(0);
    expect(sampler.take(20_000)).toBe(false);
  });
});
