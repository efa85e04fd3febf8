// Uploaded files as /v1/files shows them (OpenAI's FileObject), and the schemas of its routes
// (files.routes.ts): upload, list, retrieve, download, delete.
import { FILE_PURPOSES } from '../../domain/file.js';
import { bool, error, int, json, nullable, object, optionalFields, pathParams, ref, str, unixSeconds, type RouteDoc, type Schema } from './common.js';

const fileId = str('File id (`file-…`).');
const purpose = str('What the file is for: `vision` or `user_data` (both take images and MP4 video here).', { enum: [...FILE_PURPOSES] });

export const fileComponents: Record<string, Schema> = {
  File: {
    description: "An uploaded file, in OpenAI's FileObject shape: an image (PNG, JPEG, WebP) or an MP4 video.",
    ...optionalFields({
    id: fileId,
    object: { const: 'file' },
    bytes: int('Size in bytes.'),
    created_at: unixSeconds('Uploaded'),
    expires_at: unixSeconds('When it is removed (`expires_after`); absent when it is kept until deleted'),
    filename: str('The name it was uploaded with.'),
    purpose,
    status: str('Always `processed`: a file is checked before it is kept.', { enum: ['uploaded', 'processed', 'error'] }),
    }, ['id', 'object', 'bytes', 'created_at', 'filename', 'purpose', 'status']),
  },
  FileList: object({
    object: { const: 'list' },
    data: { type: 'array', items: ref('File') },
    first_id: nullable(str('The first file on this page.')),
    last_id: nullable(str('The last file on this page: pass it as `after` for the next page.')),
    has_more: bool('More files follow.'),
  }, { description: 'A page of files.' }),
  FileDeleted: object({ id: fileId, object: { const: 'file' }, deleted: { const: true } }),
  CreateFileMultipart: optionalFields({
    file: { type: 'string', contentMediaType: 'application/octet-stream', description: 'The file: a PNG, JPEG or WebP image or an MP4 video. Its bytes decide, not its name or declared type.' },
    purpose,
    'expires_after[anchor]': str('`created_at`.', { enum: ['created_at'] }),
    'expires_after[seconds]': str('Remove it this many seconds after upload: 3600 to 2592000.'),
  }, ['file', 'purpose']),
};

const idParam = pathParams({ id: fileId });
const notFound = error('`not_found`: no such file among yours (anyone else\'s reads the same).');

export const fileSchemas = {
  create: {
    summary: 'Upload a file',
    description: "OpenAI's `files.create`: multipart `file` + `purpose`. Images are held to the reference-image caps (`MELIES_UPLOAD_MAX_BYTES`, `MELIES_IMAGE_MAX_PIXELS`), videos to `MELIES_FILE_MAX_BYTES`; what a user keeps counts against their plan's `max_file_bytes`. Use it as `input_reference: {file_id}` when creating a video.",
    tags: ['Files'], operationId: 'createFile',
    body: { required: true, content: { 'multipart/form-data': { schema: ref('CreateFileMultipart') } } },
    response: {
      200: json('The file, kept.', ref('File')),
      400: error('`missing_required_parameter` (`file`, `purpose`), `invalid_value` (`purpose`, `expires_after`), `unsupported_file_type` (not an image or MP4, whatever its name), `image_too_large` (pixels), `empty_file`, `invalid_multipart`.'),
      413: error('`file_too_large`: over the cap for its kind.'),
      415: error('`unsupported_media_type`: send multipart/form-data.'),
      429: error('`insufficient_quota`: the plan\'s file storage is full; delete files first.'),
      507: error('`storage_full`: the server\'s disk is full; nothing was kept.'),
    },
  },
  list: {
    summary: 'List files',
    description: "The caller's files, newest first by default. Page with `after=<last_id>` while `has_more`.",
    tags: ['Files'], operationId: 'listFiles',
    querystring: optionalFields({
      after: str('A file id: list the files after it.'),
      limit: int('How many, 1 to 10000 (default 10000).', { minimum: 1, maximum: 10000, default: 10000 }),
      order: str('By upload time (default `desc`).', { enum: ['asc', 'desc'], default: 'desc' }),
      purpose: str('Only files with this purpose.'),
    }),
    response: { 200: json('A page of files.', ref('FileList')), 400: error('`invalid_value`: `limit` or `order` out of range.') },
  },
  retrieve: {
    summary: 'Retrieve a file', tags: ['Files'], operationId: 'retrieveFile',
    params: idParam,
    response: { 200: json('The file.', ref('File')), 404: notFound },
  },
  content: {
    summary: 'Download a file',
    description: 'The bytes as uploaded, in the type they were recognised as, with `Range` (206/416), `ETag` (its sha256), `If-None-Match` (304) and `Content-Length`.',
    tags: ['Files'], operationId: 'downloadFileContent',
    params: idParam,
    response: {
      200: { description: 'The file.', content: { 'image/png': { schema: { type: 'string' } }, 'image/jpeg': { schema: { type: 'string' } }, 'image/webp': { schema: { type: 'string' } }, 'video/mp4': { schema: { type: 'string' } } } },
      206: { description: 'The requested byte range.' },
      304: { description: 'Not modified (`If-None-Match` matched).' },
      404: notFound,
      416: error('`range_not_satisfiable`.'),
    },
  },
  delete: {
    summary: 'Delete a file',
    description: 'Gone at once for every read; its bytes are removed now, or by the sweeper if the store refuses. Videos made from it keep their own copy.',
    tags: ['Files'], operationId: 'deleteFile',
    params: idParam,
    response: { 200: json('Deleted.', ref('FileDeleted')), 404: notFound },
  },
} satisfies Record<string, RouteDoc>;
