/** Errors of the face engine. `retryable` says whether the same request may succeed later. */
export type FaceEngineErrorCode =
  | 'startup_failed'
  | 'startup_timeout'
  | 'timeout'
  | 'worker_crashed'
  | 'busy'
  | 'closed'
  | 'aborted'
  | 'bad_input'
  | 'analysis_failed';

const RETRYABLE: Record<FaceEngineErrorCode, boolean> = {
  startup_failed: false,
  startup_timeout: true,
  timeout: true,
  worker_crashed: true,
  busy: true,
  closed: false,
  aborted: false,
  bad_input: false,
  analysis_failed: true,
};

export class FaceEngineError extends Error {
  override name = 'FaceEngineError';
  readonly retryable: boolean;

  constructor(
    readonly code: FaceEngineErrorCode,
    message: string,
  ) {
    super(message);
    this.retryable = RETRYABLE[code];
  }
}
