// Decodes a multipart/form-data body into the same plain object a JSON body gives, following the
// openai SDK's encoding: nested objects as `key[sub]` (input_reference[image_url]), arrays as
// `key[]`. At most one file part, `input_reference` (plus, for a create, `last_frame`), read into
// memory under the upload cap (or, for POST /v1/files, `file`, streamed to disk: spoolMultipart).
import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import { ApiError } from '../domain/errors.js';
import { assertNoNul } from '../domain/text-guard.js';
import type { UploadedFile } from '../domain/video-request.js';

const FORBIDDEN = new Set(['__proto__', 'prototype', 'constructor']);

function splitName(name: string): string[] | null {
  const m = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(name);
  if (!m) return null;
  const rest = [...m[2]!.matchAll(/\[([^[\]]*)\]/g)].map((x) => x[1]!);
  return [m[1]!, ...rest];
}

export function setField(target: Record<string, unknown>, name: string, value: unknown): void {
  const path = splitName(name);
  const shown = name.slice(0, 60);
  if (!path || path.some((p) => FORBIDDEN.has(p))) {
    throw ApiError.badRequest(`Invalid multipart field name '${shown}'.`, shown, 'invalid_multipart');
  }
  const inner = path.slice(0, -1).indexOf('');
  if (inner !== -1) return setInList(target, path, inner, value, shown);
  // `key[]` appends to a list; any other name sets one value.
  const append = path[path.length - 1] === '';
  const keys = append ? path.slice(0, -1) : path;
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const child = node[key];
    if (child === undefined) node = (node[key] = {}) as Record<string, unknown>;
    else if (typeof child === 'object' && child !== null && !Array.isArray(child)) node = child as Record<string, unknown>;
    else throw ApiError.badRequest(`The field '${shown}' conflicts with '${key}'.`, shown, 'invalid_multipart');
  }
  const last = keys[keys.length - 1]!;
  if (append) {
    const list = Object.hasOwn(node, last) ? node[last] : (node[last] = []);
    if (!Array.isArray(list)) throw ApiError.badRequest(`The field '${shown}' mixes a value and a list.`, shown, 'invalid_multipart');
    list.push(value);
  } else {
    if (Object.hasOwn(node, last)) throw ApiError.badRequest(`The field '${shown}' appears more than once.`, shown, 'duplicate_field');
    node[last] = value;
  }
}

/**
 * `key[][sub]`: a list of objects, as the openai SDK encodes an array of objects (`characters[][id]`).
 * Each field fills the list's last object, or starts a new one when that object already has it.
 */
function setInList(target: Record<string, unknown>, path: string[], at: number, value: unknown, shown: string): void {
  const rest = path.slice(at + 1);
  if (at === 0 || rest.includes('')) throw ApiError.badRequest(`Invalid multipart field name '${shown}'.`, shown, 'invalid_multipart');
  let node = target;
  for (const key of path.slice(0, at - 1)) {
    const child = node[key];
    if (child === undefined) node = (node[key] = {}) as Record<string, unknown>;
    else if (typeof child === 'object' && child !== null && !Array.isArray(child)) node = child as Record<string, unknown>;
    else throw ApiError.badRequest(`The field '${shown}' conflicts with '${key}'.`, shown, 'invalid_multipart');
  }
  const listKey = path[at - 1]!;
  const list = Object.hasOwn(node, listKey) ? node[listKey] : (node[listKey] = []);
  if (!Array.isArray(list)) throw ApiError.badRequest(`The field '${shown}' mixes a value and a list.`, shown, 'invalid_multipart');
  if (list.length > 100) throw ApiError.badRequest(`The list '${listKey}' is too long.`, shown, 'invalid_multipart');
  const last = list[list.length - 1];
  const holder: Record<string, unknown> = {};
  setField(holder, rest.map((k, i) => (i === 0 ? k : `[${k}]`)).join(''), value);
  if (typeof last === 'object' && last !== null && !Array.isArray(last) && !Object.hasOwn(last, rest[0]!)) Object.assign(last, holder);
  else list.push(holder);
}

/**
 * `otherFileFields`: further fields that may each take one file (a create's `last_frame`), returned
 * in `otherFiles` by name; `file` stays the main field's.
 */
export async function readMultipart(req: FastifyRequest, opts: { fileField: string; maxFileBytes: number; otherFileFields?: string[] }): Promise<{ body: Record<string, unknown>; file?: UploadedFile; otherFiles?: Record<string, UploadedFile> }> {
  const body: Record<string, unknown> = {};
  const files: Record<string, UploadedFile> = {};
  const fields = [opts.fileField, ...(opts.otherFileFields ?? [])];
  try {
    for await (const part of req.parts()) {
      assertNoNul(part.fieldname, 'field name');
      if (part.type === 'file') {
        if (!fields.includes(part.fieldname)) {
          await part.toBuffer().catch(() => {});
          throw ApiError.badRequest(`Unexpected file in field '${part.fieldname}'; only ${fields.map((f) => `'${f}'`).join(' and ')} take${fields.length > 1 ? '' : 's'} a file.`, part.fieldname, 'unexpected_file');
        }
        if (Object.hasOwn(files, part.fieldname)) throw ApiError.badRequest(`Only one '${part.fieldname}' file is allowed.`, part.fieldname, 'duplicate_field');
        const data = await part.toBuffer();
        if (part.file.truncated) throw tooLarge({ ...opts, fileField: part.fieldname });
        files[part.fieldname] = { data, filename: (part.filename || 'upload').replaceAll('\u0000', ''), contentType: part.mimetype || 'application/octet-stream' };
      } else {
        if (part.valueTruncated) throw ApiError.badRequest(`The field '${part.fieldname}' is too long.`, part.fieldname, 'string_above_max_length');
        assertNoNul(part.value, part.fieldname);
        setField(body, part.fieldname, part.value);
      }
    }
  } catch (err) {
    throw multipartError(err, opts);
  }
  const { [opts.fileField]: file, ...otherFiles } = files;
  return { body, file, ...(opts.otherFileFields ? { otherFiles } : {}) };
}

/** A file part written to disk as it arrives (uploads too large to hold in memory: POST /v1/files). */
export interface SpooledFile {
  /** The part's field name (one of the route's file fields). */
  field: string;
  path: string;
  bytes: number;
  filename: string;
  contentType: string;
}

/**
 * Like readMultipart, but the one file part streams to `dir/upload` under `maxFileBytes` (which may
 * be larger than the server-wide part cap). The caller owns `dir` and removes it.
 */
export async function spoolMultipart(req: FastifyRequest, opts: { fileField: string | readonly string[]; maxFileBytes: number; dir: string }): Promise<{ body: Record<string, unknown>; file?: SpooledFile }> {
  const body: Record<string, unknown> = {};
  let file: SpooledFile | undefined;
  const fields: readonly string[] = typeof opts.fileField === 'string' ? [opts.fileField] : opts.fileField;
  const named = fields.map((f) => `'${f}'`).join(' or ');
  try {
    for await (const part of req.parts({ limits: { fileSize: opts.maxFileBytes, files: 1 } })) {
      assertNoNul(part.fieldname, 'field name');
      if (part.type === 'file') {
        if (!fields.includes(part.fieldname)) {
          part.file.resume();
          throw ApiError.badRequest(`Unexpected file in field '${part.fieldname}'; only ${named} takes a file.`, part.fieldname, 'unexpected_file');
        }
        const path = join(opts.dir, 'upload');
        await pipeline(part.file, createWriteStream(path));
        if (part.file.truncated) throw tooLarge({ fileField: part.fieldname, maxFileBytes: opts.maxFileBytes });
        file = { field: part.fieldname, path, bytes: (await stat(path)).size, filename: (part.filename || 'upload').replaceAll('\u0000', ''), contentType: part.mimetype || 'application/octet-stream' };
      } else {
        if (part.valueTruncated) throw ApiError.badRequest(`The field '${part.fieldname}' is too long.`, part.fieldname, 'string_above_max_length');
        assertNoNul(part.value, part.fieldname);
        setField(body, part.fieldname, part.value);
      }
    }
  } catch (err) {
    throw multipartError(err, { fileField: fields[0]!, maxFileBytes: opts.maxFileBytes });
  }
  return { body, file };
}

function multipartError(err: unknown, opts: { fileField: string; maxFileBytes: number }): ApiError {
  if (err instanceof ApiError) return err;
  const code = (err as { code?: string }).code;
  if (code === 'FST_REQ_FILE_TOO_LARGE') return tooLarge(opts);
  if (code === 'FST_FILES_LIMIT' || code === 'FST_FIELDS_LIMIT' || code === 'FST_PARTS_LIMIT') {
    return ApiError.badRequest(`The multipart body has too many parts: ${(err as Error).message}`, null, 'invalid_multipart');
  }
  return ApiError.badRequest(`The multipart body could not be parsed: ${(err as Error).message}`, null, 'invalid_multipart');
}

function tooLarge(opts: { fileField: string; maxFileBytes: number }): ApiError {
  return new ApiError(413, `The '${opts.fileField}' file is larger than ${Math.max(1, Math.round(opts.maxFileBytes / 1024 / 1024))} MB.`, { param: opts.fileField, code: 'file_too_large' });
}
