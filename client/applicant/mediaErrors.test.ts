import { describe, expect, it } from 'vitest';
import {
  PREFERRED_CONSTRAINTS,
  canRequestMedia,
  classifyMediaError,
  isOverconstrained,
  missingDevices,
} from './mediaErrors.ts';

/** What browsers reject getUserMedia with: DOMException-like objects with a name. */
const named = (name: string) => Object.assign(new Error('x'), { name });

describe('classifyMediaError', () => {
  it.each([
    ['NotAllowedError', 'denied'],
    ['PermissionDeniedError', 'denied'],
    ['SecurityError', 'denied'],
    ['NotFoundError', 'not-found'],
    ['DevicesNotFoundError', 'not-found'],
    ['OverconstrainedError', 'not-found'],
    ['NotReadableError', 'busy'],
    ['TrackStartError', 'busy'],
    ['AbortError', 'other'],
    ['TypeError', 'other'],
  ])('%s -> %s', (name, reason) => {
    expect(classifyMediaError(named(name))).toBe(reason);
  });

  it('handles values that are not errors', () => {
    expect(classifyMediaError('boom')).toBe('other');
    expect(classifyMediaError(null)).toBe('other');
    expect(classifyMediaError({ name: 42 })).toBe('other');
  });
});

describe('isOverconstrained', () => {
  it('recognises current and legacy names only', () => {
    expect(isOverconstrained(named('OverconstrainedError'))).toBe(true);
    expect(isOverconstrained(named('ConstraintNotSatisfiedError'))).toBe(true);
    expect(isOverconstrained(named('NotFoundError'))).toBe(false);
  });
});

describe('canRequestMedia', () => {
  it('needs a secure context and mediaDevices', () => {
    expect(canRequestMedia({ isSecureContext: true, hasMediaDevices: true })).toBe(true);
    expect(canRequestMedia({ isSecureContext: false, hasMediaDevices: true })).toBe(false);
    expect(canRequestMedia({ isSecureContext: true, hasMediaDevices: false })).toBe(false);
  });
});

describe('missingDevices', () => {
  it('reports which kind of input is absent', () => {
    expect(missingDevices([{ kind: 'audioinput' }, { kind: 'audiooutput' }])).toEqual({ camera: true, microphone: false });
    expect(missingDevices([{ kind: 'videoinput' }])).toEqual({ camera: false, microphone: true });
    expect(missingDevices([])).toEqual({ camera: true, microphone: true });
  });
});

describe('PREFERRED_CONSTRAINTS', () => {
  it('turns auto gain control off and keeps echo cancellation (FINDINGS, Media)', () => {
    expect(PREFERRED_CONSTRAINTS.audio).toMatchObject({ autoGainControl: false, noiseSuppression: false, echoCancellation: true });
    expect(PREFERRED_CONSTRAINTS.video).toMatchObject({ width: { ideal: 640 }, height: { ideal: 480 }, frameRate: { ideal: 15 } });
  });
});
