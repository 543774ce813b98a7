/**
 * Synthesizes a script's fixed lines ahead of time (in the background, one sentence at a time),
 * so that the cache answers when the assistant first needs them: a reply then starts playing
 * without waiting for synthesis. Lines with placeholders ("{name}") are left for their turn.
 */
import type { Locale } from '../http/protocol.ts';
import { LOCALES } from '../http/protocol.ts';
import { splitSentences } from './tts/visemes.ts';

/** Every localized text in a script (objects whose keys are locales and values strings). */
export function scriptLines(value: unknown, out: { text: string; locale: Locale }[] = []): { text: string; locale: Locale }[] {
  if (Array.isArray(value)) {
    for (const item of value) scriptLines(item, out);
    return out;
  }
  if (!value || typeof value !== 'object') return out;
  const entries = Object.entries(value as Record<string, unknown>);
  const localized = entries.length > 0 && entries.every(([k, v]) => (LOCALES as readonly string[]).includes(k) && typeof v === 'string');
  if (localized) {
    for (const [locale, text] of entries) if (!(text as string).includes('{')) out.push({ text: text as string, locale: locale as Locale });
    return out;
  }
  for (const [, v] of entries) scriptLines(v, out);
  return out;
}

/** The distinct sentences the speaker will ask the synthesizer for. */
export function sentencesToWarm(lines: { text: string; locale: Locale }[]): { text: string; locale: Locale }[] {
  const seen = new Set<string>();
  const out: { text: string; locale: Locale }[] = [];
  for (const line of lines) {
    for (const sentence of splitSentences(line.text)) {
      const key = `${line.locale}\u0000${sentence}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ text: sentence, locale: line.locale });
    }
  }
  return out;
}
