import { useSyncExternalStore } from 'react';
import { isLocale, pickLocale, translator, type Locale, type Translate } from '../i18n.ts';

const KEY = 'attest.staffLocale';
const listeners = new Set<() => void>();
let current: Locale | null = null;

function read(): Locale {
  if (current) return current;
  try {
    const saved = window.localStorage.getItem(KEY);
    if (isLocale(saved)) return (current = saved);
  } catch {
    // storage blocked: fall back to the browser's languages
  }
  return (current = pickLocale(navigator.languages ?? [navigator.language]));
}

export function setStaffLocale(locale: Locale): void {
  current = locale;
  try {
    window.localStorage.setItem(KEY, locale);
  } catch {
    // not remembered across visits
  }
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The staff UI language: the browser's, or the one chosen in the staff header (remembered). */
export function useStaffLocale(): { locale: Locale; t: Translate; setLocale: (locale: Locale) => void } {
  const locale = useSyncExternalStore(subscribe, read, () => 'en' as Locale);
  return { locale, t: translator(locale), setLocale: setStaffLocale };
}
