import { describe, expect, it } from 'vitest';
import { meterLevel, rms } from './audioLevel.ts';

describe('rms', () => {
  it('is 0 for silence and for no samples', () => {
    expect(rms(new Float32Array(128))).toBe(0);
    expect(rms([])).toBe(0);
  });

  it('is the amplitude of a square wave', () => {
    expect(rms([0.5, -0.5, 0.5, -0.5])).toBeCloseTo(0.5);
  });
});

describe('meterLevel', () => {
  it('maps -60..-10 dBFS onto 0..1 and clamps', () => {
    expect(meterLevel(0)).toBe(0);
    expect(meterLevel(0.001)).toBeCloseTo(0); // -60 dB
    expect(meterLevel(10 ** (-35 / 20))).toBeCloseTo(0.5);
    expect(meterLevel(0.5)).toBe(1);
    expect(meterLevel(Number.NaN)).toBe(0);
  });
});
