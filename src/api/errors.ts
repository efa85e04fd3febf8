// Every error leaves the API in OpenAI's envelope: {"error":{"message","type","param","code"}}.
// Client mistakes (ours or Fastify's own: bad JSON, wrong content type, too large, a malformed URL,
// a request that never finishes arriving) are 4xx with a message a person can act on; only our own
// faults are 5xx. Expected conditions (a pause, a full disk) are logged as warnings, not errors.
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, isStorageFull, storageFull } from '../domain/errors.js';

export interface ErrorEnvelope {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export function envelope(err: ApiError): ErrorEnvelope {
  return { error: { message: err.message, type: err.type, param: err.param, code: err.code } };
}

const FASTIFY_CODES: Record<string, { code: string; message?: string }> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'unsupported_media_type', message: 'Unsupported Content-Type: send application/json or multipart/form-data.' },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'request_too_large', message: 'The request body is too large.' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'invalid_json', message: "The body is empty but Content-Type is 'application/json'." },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'invalid_request', message: 'Content-Length does not match the body.' },
  FST_ERR_BAD_URL: { code: 'invalid_url', message: 'The URL is not valid: a percent sign must start an escape such as %20 that decodes to UTF-8 text.' },
  FST_ERR_MAX_PARAM_LENGTH: { code: 'invalid_url', message: 'A part of the URL is too long.' },
  FST_ERR_REQ_FILE_TOO_LARGE: { code: 'file_too_large' },
  FST_FILES_LIMIT: { code: 'too_many_files' },
  FST_FIELDS_LIMIT: { code: 'too_many_fields' },
  FST_PARTS_LIMIT: { code: 'too_many_parts' },
  FST_INVALID_MULTIPART_CONTENT_TYPE: { code: 'invalid_multipart' },
};

/** Turns anything thrown in a route into an ApiError; unknown errors become a logged 500. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const fe = err as FastifyError;
  if (isStorageFull(err)) return storageFull();
  const status = typeof fe?.statusCode === 'number' ? fe.statusCode : 500;
  if (status >= 400 && status < 500) {
    if (fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || (fe instanceof SyntaxError && status === 400)) {
      return new ApiError(400, `The body is not valid JSON: ${fe.message}`, { code: 'invalid_json' });
    }
    const known = FASTIFY_CODES[fe.code];
    return new ApiError(status, known?.message ?? fe.message, { code: known?.code ?? 'invalid_request' });
  }
  return new ApiError(500, 'The server had an internal error while processing your request.', { code: 'internal_error', type: 'server_error' });
}

export function sendError(reply: FastifyReply, req: FastifyRequest, err: unknown): FastifyReply {
  const apiError = toApiError(err);
  if (apiError.status >= 500) {
    // Our own fault (a bug, a dead dependency): with its stack. A 5xx we chose to answer (a pause,
    // a full disk, a queue down) is a condition the operator should see, not a crash.
    if (err instanceof ApiError || apiError.code === 'storage_full') req.log.warn({ status: apiError.status, code: apiError.code, reason: apiError.message, url: req.url }, 'request refused');
    else req.log.error({ err }, 'request failed');
  }
  for (const [k, v] of Object.entries(apiError.headers)) reply.header(k, v);
  return reply.status(apiError.status).type('application/json').send(envelope(apiError));
}

const CLIENT_ERRORS: Record<string, { status: number; text: string; error: ApiError }> = {
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408, text: 'Request Timeout',
    error: new ApiError(408, 'The request did not arrive in time: the body was shorter than its Content-Length, or too slow. Send it again.', { code: 'request_timeout' }),
  },
  HPE_HEADER_OVERFLOW: {
    status: 431, text: 'Request Header Fields Too Large',
    error: new ApiError(431, 'The request headers are too large.', { code: 'headers_too_large' }),
  },
};

/**
 * Errors Node's HTTP parser raises before any route runs (a malformed request line, headers too
 * large, a request that never finished arriving): answered in the envelope, then the connection
 * is closed, as Node itself does.
 */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const known = CLIENT_ERRORS[err.code ?? ''] ?? {
    status: 400, text: 'Bad Request',
    error: new ApiError(400, 'The request is not valid HTTP/1.1.', { code: 'invalid_request' }),
  };
  if (socket.writable) {
    const body = JSON.stringify(envelope(known.error));
    socket.write(`HTTP/1.1 ${known.status} ${known.text}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy(err);
}
