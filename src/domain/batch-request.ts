// Turns a POST /api/batches body (JSON `{text, format?, …}` or multipart with a `file` part) into
// a typed request. The list itself is parsed in batch-list.ts; this file knows the wire fields.
import { ApiError } from './errors.js';
import { BATCH_FORMATS, MAX_BATCH_LIST_BYTES, ROW_FIELDS, type BatchFormat } from './batch-list.js';
import type { UploadedFile } from './video-request.js';

export interface BatchRequest {
  text: string;
  format?: BatchFormat;
  /** The uploaded file's name (it may decide the format), or null for a JSON body. */
  filename: string | null;
  /** What to call the batch: `name`, else the file's name. */
  name: string | null;
  /** Every row's starting values (model, seconds, size, fps, negative_prompt, variations). */
  defaults: Record<string, unknown>;
  /** Start the videos that fit the plan's allowance and skip the rest, instead of refusing the batch. */
  allowPartial: boolean;
}

function asBool(v: unknown, param: string): boolean {
  if (v === undefined || v === null || v === '') return false;
  if (v === true || v === 'true' || v === '1') return true;
  if (v === false || v === 'false' || v === '0') return false;
  throw ApiError.badRequest(`Invalid value for '${param}': expected true or false.`, param, 'invalid_type');
}

export function parseBatchRequest(raw: unknown, file?: UploadedFile): BatchRequest {
  if (raw !== undefined && raw !== null && (typeof raw !== 'object' || Array.isArray(raw))) {
    throw new ApiError(400, 'The request body must be a JSON object or a multipart form.', { code: 'invalid_type' });
  }
  const body = (raw ?? {}) as Record<string, unknown>;
  let text: string;
  if (file) {
    if (file.data.length > MAX_BATCH_LIST_BYTES) throw ApiError.badRequest(`The list is larger than ${MAX_BATCH_LIST_BYTES / 1024 / 1024} MiB; split it into several batches.`, 'file', 'batch_too_large');
    text = file.data.toString('utf8');
    if (text.includes('\uFFFD')) throw ApiError.badRequest('The file is not UTF-8 text; save it as UTF-8 (CSV UTF-8 in spreadsheets).', 'file', 'invalid_encoding');
  } else if (typeof body.text === 'string') {
    text = body.text;
  } else {
    throw new ApiError(400, "Missing the list: send 'text' (the list itself) in JSON, or a 'file' part in multipart.", { param: 'text', code: 'missing_required_parameter' });
  }
  let format: BatchFormat | undefined;
  if (body.format !== undefined && body.format !== null && body.format !== '') {
    if (!BATCH_FORMATS.includes(body.format as BatchFormat)) throw ApiError.badRequest(`Invalid value for 'format': expected one of ${BATCH_FORMATS.join(', ')}.`, 'format');
    format = body.format as BatchFormat;
  }
  // Defaults: a `defaults` object in JSON, or the same names as plain fields (both encodings).
  const nested = typeof body.defaults === 'object' && body.defaults !== null && !Array.isArray(body.defaults) ? body.defaults as Record<string, unknown> : {};
  if (body.defaults !== undefined && body.defaults !== nested) throw ApiError.badRequest("Invalid type for 'defaults': expected an object.", 'defaults', 'invalid_type');
  const defaults: Record<string, unknown> = {};
  for (const k of ROW_FIELDS) {
    if (k === 'prompt') continue;
    const v = nested[k] ?? body[k];
    if (v !== undefined && v !== null && v !== '') defaults[k] = v;
  }
  const name = typeof body.name === 'string' && body.name.trim() !== '' ? body.name.trim().slice(0, 200) : file?.filename?.slice(0, 200) || null;
  return { text, format, filename: file?.filename ?? null, name, defaults, allowPartial: asBool(body.allow_partial, 'allow_partial') };
}
