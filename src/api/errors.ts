// Every error leaves the API in OpenAI's envelope: {"error":{"message","type","param","code"}}.
// Client mistakes (ours or Fastify's own: bad JSON, wrong content type, too large) are 4xx with a
// message a person can act on; only our own faults are 5xx.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../domain/errors.js';

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
  if (apiError.status >= 500) req.log.error({ err }, 'request failed');
  for (const [k, v] of Object.entries(apiError.headers)) reply.header(k, v);
  return reply.status(apiError.status).type('application/json').send(envelope(apiError));
}
