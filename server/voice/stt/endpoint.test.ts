import { describe, expect, it } from 'vitest';
import { toSixteenKhz, TurnDetector, wavBytes, type EndpointEvent } from './endpoint.ts';
import { EnergyVad, frameDb } from './vad.ts';

const RATE = 16_000;

function tone(ms: number, amplitude = 8000): Int16Array {
  const n = (RATE * ms) / 1000;
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.round(amplitude * Math.sin((2 * Math.PI * 220 * i) / RATE) * (0.6 + 0.4 * Math.sin(i / 700)));
  return out;
}

function noise(ms: number, amplitude: number, seed = 1): Int16Array {
  const n = (RATE * ms) / 1000;
  const out = new Int16Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    out[i] = Math.round(((x / 2147483648) * 2 - 1) * amplitude);
  }
  return out;
}

function concat(...parts: Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Feeds audio in 100 ms batches starting at t0 (as the media session delivers it). */
function run(detector: TurnDetector, audio: Int16Array, t0 = 1_000_000): EndpointEvent[] {
  const events: EndpointEvent[] = [];
  const batch = RATE / 10;
  for (let i = 0; i < audio.length; i += batch) events.push(...detector.push(audio.subarray(i, i + batch), t0 + (i * 1000) / RATE));
  return events;
}

describe('energy VAD', () => {
  it('learns steady background noise and still hears speech above it', () => {
    const vad = new EnergyVad({ sampleRate: RATE });
    const quietNoise = noise(20, 300);
    let heard = 0;
    for (let i = 0; i < 100; i++) heard += vad.isSpeech(frameDb(quietNoise)) ? 1 : 0;
    expect(heard).toBe(0);
    expect(vad.isSpeech(frameDb(tone(20, 8000)))).toBe(true);
  });

  it('never calls digital silence speech', () => {
    const vad = new EnergyVad({ sampleRate: RATE });
    expect(vad.isSpeech(frameDb(new Int16Array(320)))).toBe(false);
  });
});

describe('end-of-turn detection', () => {
  it('reports start, an early pause and the end of one turn, with the speech times', () => {
    const detector = new TurnDetector({ sampleRate: RATE });
    const events = run(detector, concat(new Int16Array(RATE / 2), tone(600), new Int16Array(RATE)));
    expect(events.map((e) => e.type)).toEqual(['start', 'pause', 'end']);
    const end = events.find((e) => e.type === 'end') as Extract<EndpointEvent, { type: 'end' }>;
    expect(end.utterance.speechStartMs).toBeGreaterThanOrEqual(1_000_480);
    expect(end.utterance.speechStartMs).toBeLessThanOrEqual(1_000_540);
    expect(end.utterance.speechEndMs).toBeGreaterThanOrEqual(1_001_080);
    expect(end.utterance.speechEndMs).toBeLessThanOrEqual(1_001_140);
    // Audio kept: preroll + speech + tail.
    expect(end.utterance.samples.length / RATE).toBeGreaterThan(0.7);
    expect(end.utterance.samples.length / RATE).toBeLessThan(1.1);
  });

  it('keeps a turn going through a short pause (resume) and ends after the last word', () => {
    const detector = new TurnDetector({ sampleRate: RATE });
    const events = run(detector, concat(tone(400), new Int16Array(RATE * 0.3), tone(400), new Int16Array(RATE)));
    expect(events.map((e) => e.type)).toEqual(['start', 'pause', 'resume', 'pause', 'end']);
  });

  it('drops a click too short to be speech', () => {
    const detector = new TurnDetector({ sampleRate: RATE });
    const events = run(detector, concat(new Int16Array(RATE / 2), tone(120), new Int16Array(RATE)));
    expect(events.map((e) => e.type)).toEqual(['start', 'noise']);
  });

  it('ends a turn that runs past the maximum length', () => {
    const detector = new TurnDetector({ sampleRate: RATE, maxMs: 1000 });
    const events = run(detector, tone(2500));
    expect(events.filter((e) => e.type === 'end').length).toBeGreaterThanOrEqual(1);
  });

  it('reset forgets a turn in progress', () => {
    const detector = new TurnDetector({ sampleRate: RATE });
    run(detector, tone(400));
    expect(detector.inTurn).toBe(true);
    detector.reset();
    expect(detector.inTurn).toBe(false);
  });
});

describe('audio helpers', () => {
  it('downsamples 48 kHz to 16 kHz by averaging', () => {
    expect(Array.from(toSixteenKhz(Int16Array.from([3, 6, 9, 30, 60, 90]), 48_000))).toEqual([6, 60]);
  });

  it('writes a valid 16-bit mono WAV header', () => {
    const bytes = wavBytes(Int16Array.from([1, -1]), 16_000);
    expect(bytes.toString('ascii', 0, 4)).toBe('RIFF');
    expect(bytes.readUInt32LE(24)).toBe(16_000);
    expect(bytes.readUInt32LE(40)).toBe(4);
    expect(bytes.length).toBe(48);
  });
});
