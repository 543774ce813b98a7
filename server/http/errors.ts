/**
 * One table from error code to HTTP status and a message a person can act on. Routes throw
 * AppError; the error handler renders `{ error: { code, message, retryable } }`.
 */
import type { ClientErrorCode } from './protocol.ts';

export type ErrorCode =
  | ClientErrorCode
  | 'bad_request'
  | 'unauthorized'
  | 'not_found'
  | 'script_not_found'
  | 'locale_not_supported'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'not_expecting_upload'
  | 'no_contract'
  | 'contract_not_sealed'
  | 'login_required'
  | 'forbidden'
  | 'csrf_failed'
  | 'invalid_credentials'
  | 'too_many_attempts'
  | 'staff_exists'
  | 'weak_password'
  | 'review_not_finished'
  | 'range_not_satisfiable';

const TABLE: Record<ErrorCode, { status: number; message: string; retryable: boolean }> = {
  session_not_found: { status: 404, message: 'This session link is not valid. Ask for a new link.', retryable: false },
  session_expired: { status: 404, message: 'This session link has expired. Ask for a new link.', retryable: false },
  session_in_use: { status: 409, message: 'This session is open in another window or device.', retryable: true },
  session_ended: { status: 409, message: 'This session has already ended.', retryable: false },
  bad_message: { status: 400, message: 'The message was not understood.', retryable: false },
  message_too_large: { status: 413, message: 'The message is too large.', retryable: false },
  wrong_step: { status: 409, message: 'That answer is for a different step.', retryable: false },
  media_failed: { status: 503, message: 'The video connection failed; reconnecting.', retryable: true },
  internal: { status: 500, message: 'Something went wrong on our side. Please try again.', retryable: true },
  bad_request: { status: 400, message: 'The request is not valid.', retryable: false },
  unauthorized: { status: 401, message: 'A valid API key is required.', retryable: false },
  not_found: { status: 404, message: 'Not found.', retryable: false },
  script_not_found: { status: 400, message: 'No script with that id is loaded.', retryable: false },
  locale_not_supported: { status: 400, message: 'The script does not support that language.', retryable: false },
  payload_too_large: { status: 413, message: 'The request body is too large.', retryable: false },
  unsupported_media_type: { status: 415, message: 'Send JSON (Content-Type: application/json).', retryable: false },
  not_expecting_upload: { status: 409, message: 'No photo is expected at this step.', retryable: false },
  no_contract: { status: 409, message: 'This session has no contract to read at this point.', retryable: false },
  contract_not_sealed: { status: 404, message: 'The contract is not signed yet.', retryable: false },
  login_required: { status: 401, message: 'Sign in to continue.', retryable: false },
  forbidden: { status: 403, message: 'Your role does not allow this.', retryable: false },
  csrf_failed: { status: 403, message: 'The request is missing its security token; reload the page and try again.', retryable: false },
  invalid_credentials: { status: 401, message: 'The email address or password is not correct.', retryable: false },
  too_many_attempts: { status: 429, message: 'Too many failed sign-ins. Wait a little and try again.', retryable: true },
  staff_exists: { status: 409, message: 'A staff account with this email address already exists.', retryable: false },
  weak_password: { status: 400, message: 'The password does not meet the rules.', retryable: false },
  review_not_finished: { status: 409, message: 'The session has not finished; decide once it has ended.', retryable: false },
  range_not_satisfiable: { status: 416, message: 'The requested byte range is outside the file.', retryable: false },
};

export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    /** Specific detail (never personal data); defaults to the table's message. */
    detail?: string,
    /** Sent as the Retry-After header (e.g. with too_many_attempts). */
    readonly retryAfterSeconds?: number,
  ) {
    super(detail ?? TABLE[code].message);
  }
  get status(): number {
    return TABLE[this.code].status;
  }
  get retryable(): boolean {
    return TABLE[this.code].retryable;
  }
  toJSON(): { code: ErrorCode; message: string; retryable: boolean } {
    return { code: this.code, message: this.message, retryable: this.retryable };
  }
}

export function errorBody(code: ErrorCode, detail?: string) {
  return new AppError(code, detail).toJSON();
}
