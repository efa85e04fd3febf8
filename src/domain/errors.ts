// Typed errors shared by every room. The API maps ApiError to OpenAI's error envelope once
// (api/errors.ts); jobs map EngineError to a failed video with a code a person can act on.

export type ApiErrorType =
  | 'invalid_request_error'
  | 'not_found_error'
  | 'rate_limit_error'
  | 'server_error';

export interface ApiErrorOptions {
  type?: ApiErrorType;
  code?: string | null;
  param?: string | null;
  headers?: Record<string, string>;
}

export class ApiError extends Error {
  readonly status: number;
  readonly type: ApiErrorType;
  readonly code: string | null;
  readonly param: string | null;
  readonly headers: Record<string, string>;

  constructor(status: number, message: string, opts: ApiErrorOptions = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.type = opts.type ?? (status === 404 ? 'not_found_error' : status >= 500 ? 'server_error' : 'invalid_request_error');
    this.code = opts.code ?? null;
    this.param = opts.param ?? null;
    this.headers = opts.headers ?? {};
  }

  static badRequest(message: string, param: string | null = null, code: string | null = 'invalid_value'): ApiError {
    return new ApiError(400, message, { param, code });
  }

  static notFound(message: string, param: string | null = null): ApiError {
    return new ApiError(404, message, { param, code: 'not_found', type: 'invalid_request_error' });
  }
}

/** Node's and SQLite's ways of saying the disk cannot take more. */
const STORAGE_FULL_CODES = new Set(['ENOSPC', 'EDQUOT', 'SQLITE_FULL']);

export function isStorageFull(err: unknown): boolean {
  return STORAGE_FULL_CODES.has((err as { code?: unknown } | null)?.code as string);
}

/** The answer when the server has no room for another video: 507, and nothing was created. */
export function storageFull(): ApiError {
  return new ApiError(507, 'The server\'s storage is full: nothing was created. Try again later; the operator has to free space.', { code: 'storage_full', type: 'server_error', headers: { 'retry-after': '600' } });
}

/**
 * A failure inside an engine. `retryable` tells the job runner whether another attempt can help
 * (a flaky network) or not (a prompt the engine refuses, a broken input image).
 */
export class EngineError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  /**
   * For operators only: the provider's or the tool's own words (a failure text, an HTTP body,
   * ffmpeg's stderr, a server path). `message` is what the video's owner reads, so it never
   * carries them. Secrets are redacted from both before they are stored or logged.
   */
  detail: string | null;

  constructor(code: string, message: string, opts: { retryable?: boolean; cause?: unknown; detail?: string | null } = {}) {
    super(message, { cause: opts.cause });
    this.name = 'EngineError';
    this.code = code;
    this.retryable = opts.retryable ?? false;
    this.detail = opts.detail ?? null;
  }
}

/** Thrown into running work when its video was cancelled or deleted; never retried. */
export class CancelledError extends Error {
  constructor(message = 'cancelled') {
    super(message);
    this.name = 'CancelledError';
  }
}
