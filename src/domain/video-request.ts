// Turns a create/remix body (already decoded from JSON or multipart into plain values) into a
// typed request, or an ApiError naming the bad field. Checks that need a model card live in
// services/video.service.ts; this file only knows the wire shapes of OpenAI's Videos API.
import { ApiError } from './errors.js';
import { MAX_SEED, parseSize } from './video.js';
import { parseCharacterRefs } from './character.js';

export const MAX_PROMPT_CHARS = 32000;
export const MAX_NEGATIVE_PROMPT_CHARS = 4000;

/** A file part from a multipart body, already read into memory (size-capped by the API). */
export interface UploadedFile {
  data: Buffer;
  filename: string;
  contentType: string;
}

export type InputReference =
  | { kind: 'upload'; file: UploadedFile }
  | { kind: 'url'; url: string }
  /** An uploaded file of the caller's (POST /v1/files), resolved by services/file.service.ts. */
  | { kind: 'file'; fileId: string };

export interface CreateVideoRequest {
  prompt: string;
  model?: string;
  seconds?: number;
  size?: { width: number; height: number };
  fps?: number;
  seed?: number;
  /** A Méliès extension (`negative_prompt`); refused for models whose card does not take one. */
  negativePrompt?: string;
  inputReference?: InputReference;
  /** `characters: [{id}]` (at most 2): characters the video is made with (services/character.service.ts). */
  characters?: string[];
  /** A Méliès extension (`last_frame`, issue 15 §5): the image the video ends on; same shapes as `inputReference`. */
  lastFrame?: InputReference;
}

export interface RemixVideoRequest {
  prompt: string;
}

type Body = Record<string, unknown>;

function asBody(body: unknown): Body {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new ApiError(400, 'The request body must be a JSON object or a multipart form.', { code: 'invalid_type' });
  }
  return body as Body;
}

export function parsePrompt(value: unknown): string {
  if (value === undefined || value === null) {
    throw new ApiError(400, "Missing required parameter: 'prompt'.", { param: 'prompt', code: 'missing_required_parameter' });
  }
  if (typeof value !== 'string') {
    throw new ApiError(400, `Invalid type for 'prompt': expected a string, but got ${describeType(value)} instead.`, { param: 'prompt', code: 'invalid_type' });
  }
  // NUL and other control characters cannot be stored (PostgreSQL text) or passed to ffmpeg;
  // tabs and line breaks are fine (storyboards are one shot per line).
  rejectControlCharacters(value, 'prompt');
  if (value.trim().length === 0) {
    throw ApiError.badRequest("'prompt' is empty: describe the video you want in a sentence or more.", 'prompt', 'empty_prompt');
  }
  if ([...value].length > MAX_PROMPT_CHARS) {
    throw ApiError.badRequest(`'prompt' is too long: ${[...value].length} characters, the limit is ${MAX_PROMPT_CHARS}.`, 'prompt', 'string_above_max_length');
  }
  // Multipart bodies carry line breaks as CRLF (the form encoding rules; SDK ≥ 6.28 always sends
  // multipart): the same prompt must be stored the same whichever encoding brought it.
  return value.replace(/\r\n?/g, '\n');
}

function describeType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'number') return Number.isInteger(v) ? 'an integer' : 'a number';
  return `a ${typeof v}`;
}

/** Integers arrive as strings from multipart and as numbers or strings from JSON; accept both. */
function parseInteger(value: unknown, param: string, min: number, max: number): number {
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)) n = Number(value);
  else {
    throw new ApiError(400, `Invalid value for '${param}': expected a whole number, but got ${typeof value === 'string' ? `'${truncate(value)}'` : describeType(value)}.`, { param, code: 'invalid_type' });
  }
  if (!Number.isInteger(n) || n < min || n > max) {
    throw ApiError.badRequest(`Invalid value for '${param}': ${value} is outside ${min}..${max}.`, param);
  }
  return n;
}

function truncate(s: string, n = 40): string {
  return s.length > n ? `${s.slice(0, n)}…` : s;
}

function rejectControlCharacters(value: string, param: string): void {
  const control = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.exec(value);
  if (control) {
    throw ApiError.badRequest(`'${param}' contains a control character (U+${control[0].charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}); remove it.`, param, 'invalid_characters');
  }
}

function optionalString(value: unknown, param: string, maxLength: number): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') {
    throw new ApiError(400, `Invalid type for '${param}': expected a string, but got ${describeType(value)} instead.`, { param, code: 'invalid_type' });
  }
  if (value.length > maxLength) throw ApiError.badRequest(`'${param}' is too long (at most ${maxLength} characters).`, param);
  return value;
}

/** `input_reference`, or `last_frame` (a Méliès extension, issue 15 §5) in the very same shapes. */
function parseInputReference(value: unknown, file: UploadedFile | undefined, param = 'input_reference'): InputReference | undefined {
  if (file) return { kind: 'upload', file };
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') {
    throw new ApiError(400, `Invalid type for '${param}': expected a file, but got a string instead.`, { param, code: 'invalid_type' });
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ApiError(400, `Invalid type for '${param}': expected a file or an object with 'image_url', but got ${describeType(value)} instead.`, { param, code: 'invalid_type' });
  }
  const ref = value as Record<string, unknown>;
  const imageUrl = ref.image_url;
  const fileId = ref.file_id;
  if (imageUrl !== undefined && fileId !== undefined) {
    throw ApiError.badRequest(`'${param}': provide exactly one of 'image_url' or 'file_id'.`, param);
  }
  if (fileId !== undefined) {
    if (typeof fileId !== 'string' || fileId.length === 0 || fileId.length > 200) {
      throw new ApiError(400, `Invalid value for '${param}[file_id]': expected a file id ('file-…') from POST /v1/files.`, { param: `${param}.file_id`, code: 'invalid_type' });
    }
    return { kind: 'file', fileId };
  }
  if (typeof imageUrl !== 'string' || imageUrl.length === 0) {
    throw ApiError.badRequest(`'${param}' needs 'image_url' (an https URL or a base64 data URL) or an uploaded file.`, `${param}.image_url`);
  }
  if (imageUrl.length > 20_971_520) {
    throw ApiError.badRequest(`'${param}[image_url]' is longer than 20971520 characters.`, `${param}.image_url`);
  }
  if (!/^(https?:|data:)/i.test(imageUrl)) {
    throw ApiError.badRequest(`'${param}[image_url]' must be an http(s) URL or a data: URL.`, `${param}.image_url`);
  }
  return { kind: 'url', url: imageUrl };
}

/**
 * Parses POST /v1/videos. Unknown fields are ignored (newer SDKs add some, e.g. `character_ids`),
 * and fields the server owns (status, progress, ids) can never be set from here.
 */
export function parseCreateVideoRequest(rawBody: unknown, file?: UploadedFile, lastFrameFile?: UploadedFile): CreateVideoRequest {
  const body = asBody(rawBody);
  const req: CreateVideoRequest = { prompt: parsePrompt(body.prompt) };
  const model = optionalString(body.model, 'model', 200);
  if (model !== undefined) req.model = model;
  if (body.seconds !== undefined && body.seconds !== '') req.seconds = parseInteger(body.seconds, 'seconds', 1, 3600);
  const size = optionalString(body.size, 'size', 20);
  if (size !== undefined) {
    const parsed = parseSize(size);
    if (!parsed) throw ApiError.badRequest(`Invalid value for 'size': '${truncate(size)}' is not of the form WIDTHxHEIGHT, e.g. '1280x720'.`, 'size');
    req.size = parsed;
  }
  if (body.fps !== undefined && body.fps !== '') req.fps = parseInteger(body.fps, 'fps', 1, 240);
  if (body.seed !== undefined && body.seed !== '') req.seed = parseInteger(body.seed, 'seed', 0, MAX_SEED);
  const negative = optionalString(body.negative_prompt, 'negative_prompt', MAX_NEGATIVE_PROMPT_CHARS);
  if (negative !== undefined && negative.trim() !== '') {
    rejectControlCharacters(negative, 'negative_prompt');
    req.negativePrompt = negative.trim().replace(/\r\n?/g, '\n');
  }
  const ref = parseInputReference(body.input_reference, file);
  if (ref) req.inputReference = ref;
  // `character_ids` (one Python SDK revision's) stays ignored: it was never served, and a client
  // sending it did not expect a character to be checked.
  const characters = parseCharacterRefs(body.characters);
  if (characters.length) req.characters = characters;
  const last = parseInputReference(body.last_frame, lastFrameFile, 'last_frame');
  if (last) req.lastFrame = last;
  return req;
}

export function parseRemixVideoRequest(rawBody: unknown): RemixVideoRequest {
  const body = asBody(rawBody);
  return { prompt: parsePrompt(body.prompt) };
}

/** OpenAI's extension lengths run from 4 to 20 s; Méliès takes any whole number up to 20 that the model's card allows. */
export const MAX_EXTENSION_SECONDS = 20;

/** A clip uploaded with the request, already spooled to disk by the API (it may be far larger than an image). */
export interface UploadedClip {
  path: string;
  bytes: number;
  filename: string;
}

/**
 * What `video` names for an extension or edit: a completed video here (`{id}`, as OpenAI's SDK
 * sends it), an MP4 uploaded with the request (the SDK's `Uploadable`), or, as a Méliès extension,
 * an MP4 uploaded earlier with POST /v1/files (`{file_id}`).
 */
export type VideoSourceRef =
  | { kind: 'video'; id: string }
  | { kind: 'upload'; clip: UploadedClip }
  | { kind: 'file'; fileId: string };

export interface ExtendVideoRequest {
  /** The video to continue. */
  source: VideoSourceRef;
  prompt: string;
  /** Seconds of new video, added after the source's. */
  seconds: number;
  /** A Méliès extension: another model to make the new seconds; the source's model (or the server's default, for an upload) otherwise. */
  model?: string;
}

export interface EditVideoRequest {
  source: VideoSourceRef;
  /** The change to make ("make it night", "add rain"). */
  prompt: string;
  /** A Méliès extension: another model to make the edit; the source's model (or the server's default, for an upload) otherwise. */
  model?: string;
}

/** `video` as OpenAI's SDK sends it: `{id}` in JSON, `video[id]` in multipart, or the file itself; `{file_id}` too. */
function parseVideoReference(value: unknown, clip: UploadedClip | undefined): VideoSourceRef {
  if (clip) {
    if (value !== undefined && value !== '') throw ApiError.badRequest("'video' was given twice (a file and a reference): send one of them.", 'video', 'unsupported_combination');
    return { kind: 'upload', clip };
  }
  if (value === undefined || value === null || value === '') {
    throw new ApiError(400, "Missing required parameter: 'video'.", { param: 'video', code: 'missing_required_parameter' });
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ApiError(400, `Invalid type for 'video': expected an object with 'id' or 'file_id', or an MP4 file, but got ${describeType(value)} instead.`, { param: 'video', code: 'invalid_type' });
  }
  const { id, file_id: fileId } = value as Record<string, unknown>;
  if (id !== undefined && fileId !== undefined) throw ApiError.badRequest("'video' takes 'id' or 'file_id', not both.", 'video', 'unsupported_combination');
  if (fileId !== undefined) {
    if (typeof fileId !== 'string' || fileId.length === 0) throw new ApiError(400, "Invalid type for 'video.file_id': expected a file id ('file-…').", { param: 'video.file_id', code: 'invalid_type' });
    if (fileId.length > 100) throw ApiError.badRequest("'video.file_id' is too long to be a file id.", 'video.file_id');
    return { kind: 'file', fileId };
  }
  if (typeof id !== 'string' || id.length === 0) {
    throw new ApiError(400, "Missing required parameter: 'video.id'.", { param: 'video.id', code: 'missing_required_parameter' });
  }
  if (id.length > 100) throw ApiError.badRequest("'video.id' is too long to be a video id.", 'video.id');
  return { kind: 'video', id };
}

/** Parses POST /v1/videos/extensions (JSON or multipart; the SDK always sends multipart). */
export function parseExtendVideoRequest(rawBody: unknown, clip?: UploadedClip): ExtendVideoRequest {
  const body = asBody(rawBody);
  const prompt = parsePrompt(body.prompt);
  const source = parseVideoReference(body.video, clip);
  if (body.seconds === undefined || body.seconds === '') {
    throw new ApiError(400, "Missing required parameter: 'seconds'.", { param: 'seconds', code: 'missing_required_parameter' });
  }
  const req: ExtendVideoRequest = { source, prompt, seconds: parseInteger(body.seconds, 'seconds', 1, MAX_EXTENSION_SECONDS) };
  const model = optionalString(body.model, 'model', 200);
  if (model !== undefined) req.model = model;
  return req;
}

/** Parses POST /v1/videos/edits. */
export function parseEditVideoRequest(rawBody: unknown, clip?: UploadedClip): EditVideoRequest {
  const body = asBody(rawBody);
  const req: EditVideoRequest = { prompt: parsePrompt(body.prompt), source: parseVideoReference(body.video, clip) };
  const model = optionalString(body.model, 'model', 200);
  if (model !== undefined) req.model = model;
  return req;
}
