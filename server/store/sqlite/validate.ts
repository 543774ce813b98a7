/** Checks on what callers hand the store; failures are InvalidInputErrors naming the field. */
import { InvalidInputError } from '../errors.ts';

export function requireText(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0) throw new InvalidInputError(`${field} must be a non-empty string`);
  return value;
}

export function requireTextOrNull(value: unknown, field: string): string | null {
  return value === null ? null : requireText(value, field);
}

/** An ISO 8601 timestamp as new Date().toISOString() writes it (other offsets are accepted). */
export function requireTimestamp(value: unknown, field: string): string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(Date.parse(value))) {
    throw new InvalidInputError(`${field} must be an ISO 8601 timestamp`);
  }
  return value;
}

export function requireTimestampOrNull(value: unknown, field: string): string | null {
  return value === null ? null : requireTimestamp(value, field);
}

export function requireSha256Hex(value: unknown, field: string): string {
  if (typeof value !== 'string' || !/^[0-9a-f]{64}$/.test(value)) {
    throw new InvalidInputError(`${field} must be a lowercase sha256 hex digest`);
  }
  return value;
}
