/**
 * Timings for lip-sync and captions, as pure functions: espeak-ng's phoneme (IPA) and word events
 * to visemes and word cues, and a fallback that derives both from the audio envelope alone (for
 * providers that return audio without timings).
 */
import type { SpeechClip, Viseme, VisemeCue, WordTiming } from './types.ts';

/** Strips stress and length marks from an IPA phoneme: "ˈoʊ" -> "oʊ", "iː" -> "i". */
function bare(phoneme: string): string {
  return phoneme.replace(/[ˈˌːˑ'",.\d]/g, '');
}

const FIRST: [RegExp, Viseme][] = [
  [/^(p|b|m)/, 'closed'],
  [/^(f|v)/, 'teeth'],
  [/^(tʃ|dʒ|ʃ|ʒ|ʂ|ʐ|tʂ|w|ɹ|r|ʊ|u|y|ɥ)/, 'pucker'],
  [/^(o|ɔ|ɒ|ɵ)/, 'round'],
  [/^(a|ɑ|ɐ|ʌ|æ|ɜ|ɤ|ɚ|ɝ)/, 'open'],
  [/^(i|ɪ|e|ɛ|j|ɕ|tɕ|ᵻ)/, 'wide'],
  [/^ə/, 'open'],
  [/^(t|d|n|l|s|z|θ|ð|ɾ|k|ɡ|g|ŋ|h|x|χ|ʔ|c|ɲ)/, 'tongue'],
];

/** The mouth shape for one IPA phoneme as espeak-ng reports it ("" is a pause). */
export function visemeForPhoneme(phoneme: string): Viseme {
  const p = bare(phoneme);
  if (p === '' || p === '_') return 'rest';
  for (const [pattern, viseme] of FIRST) if (pattern.test(p)) return viseme;
  return 'tongue';
}

/** One synthesizer event as espeak-ng gives it (positions are 1-based code points). */
export interface SynthEvent {
  type: string;
  audioMs: number;
  textPosition: number;
  length: number;
  id?: string | number | undefined;
}

/** Converts a 1-based code-point position into a UTF-16 index into `text`. */
function utf16Index(codePoints: string[], position: number): number {
  let index = 0;
  for (let i = 0; i < Math.min(codePoints.length, Math.max(0, position - 1)); i++) index += (codePoints[i] as string).length;
  return index;
}

/**
 * Word cues and visemes from espeak-ng's events. A word runs until the next word starts (or the
 * clip ends); consecutive identical visemes are merged; the clip ends at rest.
 */
export function timingsFromEvents(text: string, events: SynthEvent[], durationMs: number): { words: WordTiming[]; visemes: VisemeCue[] } {
  const codePoints = Array.from(text);
  const wordEvents = events.filter((e) => e.type === 'word' && e.length > 0).sort((a, b) => a.audioMs - b.audioMs);
  const words: WordTiming[] = [];
  wordEvents.forEach((e, i) => {
    const from = utf16Index(codePoints, e.textPosition);
    const to = utf16Index(codePoints, e.textPosition + e.length);
    const next = wordEvents[i + 1];
    const startMs = Math.max(0, Math.round(e.audioMs));
    const endMs = Math.max(startMs, Math.round(Math.min(durationMs, next ? next.audioMs : durationMs)));
    const word = text.slice(from, to);
    if (word.trim() !== '') words.push({ text: word, startMs, endMs, from, to });
  });
  const visemes: VisemeCue[] = [];
  for (const e of events.filter((ev) => ev.type === 'phoneme').sort((a, b) => a.audioMs - b.audioMs)) {
    const viseme = visemeForPhoneme(String(e.id ?? ''));
    const atMs = Math.max(0, Math.round(e.audioMs));
    const last = visemes.at(-1);
    if (last && last.viseme === viseme) continue;
    if (last && last.atMs === atMs) visemes.pop();
    visemes.push({ viseme, atMs });
  }
  if (visemes.at(-1)?.viseme !== 'rest') visemes.push({ viseme: 'rest', atMs: Math.round(durationMs) });
  return { words, visemes };
}

const WINDOW_MS = 40;

/**
 * For audio without timings: a viseme every 40 ms from the window's loudness (quiet = rest,
 * medium = tongue, loud = open or wide alternating), and words spread over the voiced span in
 * proportion to their length.
 */
export function timingsFromEnvelope(text: string, samples: Int16Array, sampleRate: number): { words: WordTiming[]; visemes: VisemeCue[] } {
  const windowSamples = Math.max(1, Math.round((sampleRate * WINDOW_MS) / 1000));
  const visemes: VisemeCue[] = [];
  let firstVoiced = -1;
  let lastVoiced = -1;
  let loud = 0;
  for (let start = 0, w = 0; start < samples.length; start += windowSamples, w++) {
    let sum = 0;
    const end = Math.min(samples.length, start + windowSamples);
    for (let i = start; i < end; i++) sum += (samples[i] as number) ** 2;
    const db = 20 * Math.log10(Math.sqrt(sum / Math.max(1, end - start)) / 32768 + 1e-9);
    let viseme: Viseme = 'rest';
    if (db > -24) viseme = loud++ % 2 === 0 ? 'open' : 'wide';
    else if (db > -40) viseme = 'tongue';
    if (viseme !== 'rest') {
      if (firstVoiced < 0) firstVoiced = w * WINDOW_MS;
      lastVoiced = (w + 1) * WINDOW_MS;
    }
    if (visemes.at(-1)?.viseme !== viseme) visemes.push({ viseme, atMs: w * WINDOW_MS });
  }
  const durationMs = Math.round((samples.length * 1000) / sampleRate);
  if (visemes.at(-1)?.viseme !== 'rest') visemes.push({ viseme: 'rest', atMs: durationMs });
  return { words: spreadWords(text, Math.max(0, firstVoiced), lastVoiced < 0 ? durationMs : lastVoiced), visemes };
}

/** Words (or CJK characters) spread over [startMs, endMs] in proportion to their length. */
export function spreadWords(text: string, startMs: number, endMs: number): WordTiming[] {
  const tokens: { text: string; from: number; to: number }[] = [];
  for (const m of text.matchAll(/[\p{Script=Han}]|[^\s\p{Script=Han}]+/gu)) {
    tokens.push({ text: m[0], from: m.index, to: m.index + m[0].length });
  }
  const total = tokens.reduce((n, t) => n + t.text.length, 0);
  const span = Math.max(0, endMs - startMs);
  let at = startMs;
  return tokens.map((t) => {
    const length = total === 0 ? 0 : (span * t.text.length) / total;
    const word = { ...t, startMs: Math.round(at), endMs: Math.round(at + length) };
    at += length;
    return word;
  });
}

/** A clip from raw PCM and a timing source, with its duration computed once. */
export function makeClip(samples: Int16Array, sampleRate: number, timings: { words: WordTiming[]; visemes: VisemeCue[] }, timing: SpeechClip['timing']): SpeechClip {
  return { samples, sampleRate, durationMs: Math.round((samples.length * 1000) / sampleRate), ...timings, timing };
}

/**
 * Splits a line into sentences (so the first can play while the rest are synthesized); very long
 * sentences are cut at commas. Keeps CJK punctuation with its sentence.
 */
export function splitSentences(text: string, maxChars = 220): string[] {
  // Western stops end a sentence only before a space or the end ("7.2%" stays whole).
  const parts = text.split(/(?<=[.!?;]["'”’)]*)\s+|(?<=[。！？；]["'”’）)]*)/u);
  const out: string[] = [];
  for (const raw of parts) {
    const sentence = raw.trim();
    if (sentence === '') continue;
    if (sentence.length <= maxChars) {
      out.push(sentence);
      continue;
    }
    let current = '';
    for (const piece of sentence.split(/(?<=[,，、])/u)) {
      if (current.length + piece.length > maxChars && current !== '') {
        out.push(current.trim());
        current = '';
      }
      current += piece;
    }
    if (current.trim() !== '') out.push(current.trim());
  }
  return out;
}
