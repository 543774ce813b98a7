/**
 * A random id for this browser tab, kept in sessionStorage: a reconnect from the same tab is
 * recognised by the server and replaces the old socket silently; another tab gets another id.
 */
const STORAGE_KEY = 'attest.clientId';

let fallbackId: string | null = null;

export function randomId(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function getClientId(): string {
  try {
    const stored = window.sessionStorage.getItem(STORAGE_KEY);
    if (stored && stored.length >= 8) return stored;
    const id = randomId();
    window.sessionStorage.setItem(STORAGE_KEY, id);
    return id;
  } catch {
    // Storage blocked (some private modes): keep the id for this page's life.
    fallbackId ??= randomId();
    return fallbackId;
  }
}
