/**
 * Structured logging (pino). Messages are fixed strings; values go in fields. Personal data
 * (names, ID numbers, answers, transcripts, images, tokens) must never be logged; the redact
 * list below is a safety net for the keys most likely to carry it, not a licence to log it.
 */
import { pino, type Logger } from 'pino';

export type { Logger };

export const REDACTED_KEYS = [
  'token',
  'text',
  'answer',
  'answers',
  'transcript',
  'name',
  'fullName',
  'documentNumber',
  'image',
  'sdp',
  'candidate',
  'payload',
  'state',
];

export function createLogger(options: { level: string; pretty?: boolean }): Logger {
  return pino({
    level: options.level,
    redact: {
      paths: [...REDACTED_KEYS, ...REDACTED_KEYS.map((k) => `*.${k}`)],
      censor: '[redacted]',
    },
    base: undefined,
  });
}

/** A logger that drops everything (tests, child tools). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
