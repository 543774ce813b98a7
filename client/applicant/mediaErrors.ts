/**
 * Camera/microphone access: the constraints we ask for and what a getUserMedia failure means
 * for the applicant. Pure, so it is unit-tested without a browser.
 */

export type DeviceErrorReason = 'denied' | 'not-found' | 'busy' | 'insecure' | 'other';

/**
 * 640x480 at 15 fps is what the server's verifiers use. Auto gain control is off because it
 * clipped speech in trials (docs FINDINGS, Media); noise suppression is off for the same reason:
 * the audio feeds speech recognition. Echo cancellation stays on: the assistant's voice plays
 * through the applicant's speakers.
 */
export const PREFERRED_CONSTRAINTS: MediaStreamConstraints = {
  video: { width: { ideal: 640 }, height: { ideal: 480 }, frameRate: { ideal: 15 } },
  audio: { autoGainControl: false, noiseSuppression: false, echoCancellation: true },
};

/** Used once after an OverconstrainedError: any camera and any microphone. */
export const RELAXED_CONSTRAINTS: MediaStreamConstraints = { video: true, audio: true };

/** The error's DOMException name (or Error name), or '' for anything else. */
function errorName(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'name' in error) {
    const name = (error as { name: unknown }).name;
    return typeof name === 'string' ? name : '';
  }
  return '';
}

export function isOverconstrained(error: unknown): boolean {
  const name = errorName(error);
  return name === 'OverconstrainedError' || name === 'ConstraintNotSatisfiedError';
}

/** Maps a getUserMedia rejection (current and legacy names) to what we tell the applicant. */
export function classifyMediaError(error: unknown): DeviceErrorReason {
  switch (errorName(error)) {
    case 'NotAllowedError':
    case 'PermissionDeniedError':
    case 'SecurityError':
      return 'denied';
    case 'NotFoundError':
    case 'DevicesNotFoundError':
    case 'OverconstrainedError':
    case 'ConstraintNotSatisfiedError':
      return 'not-found';
    case 'NotReadableError':
    case 'TrackStartError':
      return 'busy';
    default:
      return 'other';
  }
}

/**
 * Whether this page can ask for a camera at all. `navigator.mediaDevices` is missing on
 * insecure origins (plain http other than localhost).
 */
export function canRequestMedia(env: { isSecureContext: boolean; hasMediaDevices: boolean }): boolean {
  return env.isSecureContext && env.hasMediaDevices;
}

/** Which kinds of input device are absent, from `enumerateDevices()` (labels not needed). */
export function missingDevices(devices: readonly { kind: string }[]): { camera: boolean; microphone: boolean } {
  return {
    camera: !devices.some((d) => d.kind === 'videoinput'),
    microphone: !devices.some((d) => d.kind === 'audioinput'),
  };
}
