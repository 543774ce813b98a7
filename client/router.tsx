/**
 * A tiny history-API router: the path is the state, `navigate` pushes a new one, and
 * `matchRoute` turns a path into a route (pure, unit-tested).
 */
import { useSyncExternalStore } from 'react';

export type Route =
  | { name: 'landing' }
  | { name: 'session'; token: string }
  | { name: 'staff' }
  | { name: 'staff-admin' }
  | { name: 'studio' }
  | { name: 'review' }
  | { name: 'review-session'; sessionId: string }
  | { name: 'not-found' };

const SESSION_PATH = /^\/s\/([^/]+)\/?$/;

export function matchRoute(pathname: string): Route {
  if (pathname === '/' || pathname === '') return { name: 'landing' };
  if (/^\/staff(\/login)?\/?$/.test(pathname)) return { name: 'staff' };
  if (/^\/staff\/admin\/?$/.test(pathname)) return { name: 'staff-admin' };
  if (/^\/studio(\/.*)?$/.test(pathname)) return { name: 'studio' };
  const review = matchReview(pathname);
  if (review) return review;
  const session = SESSION_PATH.exec(pathname);
  if (session?.[1]) {
    try {
      return { name: 'session', token: decodeURIComponent(session[1]) };
    } catch {
      return { name: 'not-found' };
    }
  }
  return { name: 'not-found' };
}

/** /review (queue), /review/:sessionId (a session under review). */
function matchReview(pathname: string): Route | null {
  if (/^\/review\/?$/.test(pathname)) return { name: 'review' };
  const match = /^\/review\/([A-Za-z0-9_-][A-Za-z0-9._-]{0,127})\/?$/.exec(pathname);
  return match?.[1] ? { name: 'review-session', sessionId: match[1] } : null;
}

/** The path part of a link the server returned (which may name another host or port). */
export function pathOfLink(link: string, base: string): string {
  const url = new URL(link, base);
  return url.pathname + url.search;
}

const NAVIGATE_EVENT = 'attest:navigate';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(NAVIGATE_EVENT, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(NAVIGATE_EVENT, onChange);
  };
}

function currentPath(): string {
  return window.location.pathname;
}

export function usePathname(): string {
  return useSyncExternalStore(subscribe, currentPath, () => '/');
}

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (options.replace) window.history.replaceState(null, '', path);
  else window.history.pushState(null, '', path);
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
  window.scrollTo(0, 0);
}
