/**
 * Speech-to-text contracts. Audio arrives as one utterance (16 kHz mono PCM, cut by the turn
 * detector); a recognizer returns the words it heard. Offline recognizers need a grammar of the
 * answers they may hear (yes/no...); cloud ones take free speech with the expected answers as hints.
 */
import type { Locale } from '../../http/protocol.ts';

export const STT_SAMPLE_RATE = 16_000;

/** The answers a question expects, as phrases per meaning (e.g. yes -> "yes", "i agree"). */
export interface Grammar {
  name: string;
  /** Meaning -> phrases (lowercase words). */
  phrases: Record<string, string[]>;
}

export interface Transcript {
  /** Empty when nothing in the grammar (or nothing at all) was heard. */
  text: string;
  words: { text: string; startMs: number; endMs: number }[];
}

export interface SpeechToTextCapabilities {
  locales: Locale[];
  /** Understands any words (cloud) rather than only a grammar's phrases (pocketsphinx). */
  freeSpeech: boolean;
  offline: boolean;
}

export interface SpeechToText {
  readonly name: string;
  readonly capabilities: SpeechToTextCapabilities;
  transcribe(pcm: Int16Array, options: { locale: Locale; grammar: Grammar | null; signal?: AbortSignal }): Promise<Transcript>;
}

/** Whether a recognizer can take an answer to a question expecting `grammar` (null = free text). */
export function canRecognize(stt: SpeechToText, locale: Locale, grammar: Grammar | null): boolean {
  if (!stt.capabilities.locales.includes(locale)) return false;
  return stt.capabilities.freeSpeech || grammar !== null;
}
