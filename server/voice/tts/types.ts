/**
 * Text-to-speech contracts. A provider turns one line of text into 16-bit mono PCM plus, when it
 * can, word timings and mouth shapes (visemes) placed on the audio's own timeline, so captions and
 * the avatar's lips follow what the applicant hears. Providers are chosen once in the composition
 * root; nothing outside `server/voice` knows which one runs.
 */
import type { Locale } from '../../http/protocol.ts';

/** Mouth shapes the client's presenter can draw (a small set is enough to read as speech). */
export const VISEMES = ['rest', 'closed', 'open', 'wide', 'round', 'pucker', 'teeth', 'tongue'] as const;
export type Viseme = (typeof VISEMES)[number];

export interface WordTiming {
  /** The word as written in the line (a Chinese character counts as one word). */
  text: string;
  /** UTF-16 offsets of the word in the line, so captions can mark what has been said. */
  from: number;
  to: number;
  /** Milliseconds from the start of the clip. */
  startMs: number;
  endMs: number;
}

export interface VisemeCue {
  viseme: Viseme;
  /** Milliseconds from the start of the clip; the shape holds until the next cue. */
  atMs: number;
}

export interface SpeechClip {
  samples: Int16Array;
  sampleRate: number;
  durationMs: number;
  words: WordTiming[];
  visemes: VisemeCue[];
  /** Where the timings came from: the synthesizer's own events, or the audio envelope. */
  timing: 'phonemes' | 'envelope';
}

export interface TextToSpeechCapabilities {
  /** Gives word and phoneme timings (espeak-ng) rather than audio only (cloud speech). */
  timings: boolean;
  locales: Locale[];
  /** Runs with no network at all. */
  offline: boolean;
}

export interface TextToSpeech {
  readonly name: string;
  readonly capabilities: TextToSpeechCapabilities;
  /** Synthesizes one sentence or line. Rejects (never hangs) when the provider fails. */
  speak(text: string, options: { locale: Locale; signal?: AbortSignal }): Promise<SpeechClip>;
  close(): Promise<void>;
}
