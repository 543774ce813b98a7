import { describe, expect, it } from 'vitest';
import { matchRoute, pathOfLink } from './router.tsx';

describe('matchRoute', () => {
  it('matches the landing page', () => {
    expect(matchRoute('/')).toEqual({ name: 'landing' });
  });

  it('matches a session link, with or without a trailing slash', () => {
    expect(matchRoute('/s/abcDEF123_-xyz')).toEqual({ name: 'session', token: 'abcDEF123_-xyz' });
    expect(matchRoute('/s/abc/')).toEqual({ name: 'session', token: 'abc' });
  });

  it('decodes the token, and rejects a malformed encoding', () => {
    expect(matchRoute('/s/a%2Bb')).toEqual({ name: 'session', token: 'a+b' });
    expect(matchRoute('/s/%E0%A4%A')).toEqual({ name: 'not-found' });
  });

  it('matches the staff home and its login alias', () => {
    expect(matchRoute('/staff')).toEqual({ name: 'staff' });
    expect(matchRoute('/staff/login')).toEqual({ name: 'staff' });
    expect(matchRoute('/staff/admin')).toEqual({ name: 'staff-admin' });
    expect(matchRoute('/staff/other')).toEqual({ name: 'not-found' });
  });

  it('matches the script studio and its sub-paths', () => {
    expect(matchRoute('/studio')).toEqual({ name: 'studio' });
    expect(matchRoute('/studio/onboarding')).toEqual({ name: 'studio' });
    expect(matchRoute('/studios')).toEqual({ name: 'not-found' });
  });

  it('matches the review queue and a session under review', () => {
    expect(matchRoute('/review')).toEqual({ name: 'review' });
    expect(matchRoute('/review/')).toEqual({ name: 'review' });
    expect(matchRoute('/review/ses_abc-123')).toEqual({ name: 'review-session', sessionId: 'ses_abc-123' });
  });

  it('sends everything else to not-found', () => {
    for (const path of ['/s', '/s/', '/s/abc/extra', '/review/a/b', '/review/.x', '/index.html', '//s/abc']) {
      expect(matchRoute(path), path).toEqual({ name: 'not-found' });
    }
  });
});

describe('pathOfLink', () => {
  it('keeps only the path of an absolute link', () => {
    expect(pathOfLink('http://attest.example:3000/s/tok123', 'http://localhost:5173/')).toBe('/s/tok123');
  });

  it('resolves a relative link', () => {
    expect(pathOfLink('/s/tok123?x=1', 'http://localhost:5173/')).toBe('/s/tok123?x=1');
  });
});
