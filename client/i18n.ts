/**
 * UI strings in every supported locale, and lookup with `{name}` placeholders. Pure: no DOM,
 * no React. Components get a `Translate` function for the locale of the session (or, on the
 * landing page, the applicant's choice).
 */
import type { Locale } from '../server/http/protocol.ts';
import { en, type MessageKey } from './locales/en.ts';
import { zhCN } from './locales/zh-CN.ts';

export type { Locale, MessageKey };

export const SUPPORTED_LOCALES: readonly Locale[] = ['en', 'zh-CN'];

export const MESSAGES: Record<Locale, Record<MessageKey, string>> = { en, 'zh-CN': zhCN };

/** The native name of each locale, shown in language pickers whatever the current locale. */
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', 'zh-CN': '简体中文' };

export type MessageParams = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: MessageParams) => string;

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (SUPPORTED_LOCALES as readonly string[]).includes(value);
}

/** Replaces `{name}` with `params.name`; unknown placeholders are left as they are. */
export function interpolate(template: string, params?: MessageParams): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}

export function translate(locale: Locale, key: MessageKey, params?: MessageParams): string {
  const template = MESSAGES[locale]?.[key] || MESSAGES.en[key] || key;
  return interpolate(template, params);
}

export function translator(locale: Locale): Translate {
  return (key, params) => translate(locale, key, params);
}

/**
 * The best supported locale for a browser's preferred languages (`navigator.languages`):
 * any Chinese tag picks Simplified Chinese (the only Chinese we have), otherwise English.
 */
export function pickLocale(languages: readonly string[]): Locale {
  for (const tag of languages) {
    const lower = tag.toLowerCase();
    if (lower === 'en' || lower.startsWith('en-')) return 'en';
    if (lower === 'zh' || lower.startsWith('zh-')) return 'zh-CN';
  }
  return 'en';
}

export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(MESSAGES.en, key);
}

/** The placeholder names a template uses, sorted (for checking translations). */
export function placeholdersOf(template: string): string[] {
  return [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();
}
