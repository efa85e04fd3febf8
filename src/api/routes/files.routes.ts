// /v1/files (OpenAI's Files API): upload, list, retrieve, download, delete. Thin: the upload is
// streamed to a scratch folder (files may be videos, larger than anything held in memory), parsed
// in domain/, handed to one service call, and the scratch folder removed whatever happened.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../../domain/errors.js';
import { cleanFilename, parseExpiresAfter, parsePurpose } from '../../domain/file.js';
import type { FileService } from '../../services/file.service.js';
import { wireFile } from '../../services/file.wire.js';
import { allow } from '../access.js';
import { spoolMultipart } from '../multipart.js';
import { who } from '../principal.js';
import { fileSchemas as docs } from '../schemas/file.schemas.js';
import { sendContent } from './content.routes.js';

type ById = { Params: { id: string } };

function parseListQuery(q: Record<string, unknown>): { after?: string; limit?: number; order?: 'asc' | 'desc'; purpose?: string } {
  const out: { after?: string; limit?: number; order?: 'asc' | 'desc'; purpose?: string } = {};
  if (q.limit !== undefined) {
    const n = Number(q.limit);
    if (typeof q.limit !== 'string' || !/^\d+$/.test(q.limit) || n < 1 || n > 10_000) {
      throw ApiError.badRequest(`Invalid value for 'limit': expected a whole number from 1 to 10000, got '${String(q.limit).slice(0, 20)}'.`, 'limit');
    }
    out.limit = n;
  }
  if (q.order !== undefined) {
    if (q.order !== 'asc' && q.order !== 'desc') throw ApiError.badRequest(`Invalid value for 'order': expected 'asc' or 'desc', got '${String(q.order).slice(0, 20)}'.`, 'order');
    out.order = q.order;
  }
  if (typeof q.after === 'string' && q.after !== '') out.after = q.after;
  if (typeof q.purpose === 'string' && q.purpose !== '') out.purpose = q.purpose;
  return out;
}

export function fileRoutes(app: FastifyInstance, files: FileService, opts: { maxFileBytes: number }): void {
  app.post('/v1/files', { ...allow('member'), schema: docs.create }, async (req) => {
    if (!req.isMultipart()) {
      throw new ApiError(415, "POST /v1/files takes multipart/form-data with a 'file' part and a 'purpose' field.", { code: 'unsupported_media_type' });
    }
    const dir = await mkdtemp(join(tmpdir(), 'melies-file-'));
    try {
      const { body, file } = await spoolMultipart(req, { fileField: 'file', maxFileBytes: opts.maxFileBytes, dir });
      if (!file) throw new ApiError(400, "Missing required parameter: 'file'.", { param: 'file', code: 'missing_required_parameter' });
      const purpose = parsePurpose(body.purpose);
      const expiresAfterSeconds = parseExpiresAfter(body.expires_after);
      const stored = await files.upload(who(req), { path: file.path, bytes: file.bytes, filename: cleanFilename(file.filename), purpose, expiresAfterSeconds });
      return wireFile(stored);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  app.get('/v1/files', { ...allow('member'), schema: docs.list }, async (req) => {
    const page = await files.list(who(req), parseListQuery(req.query as Record<string, unknown>));
    return {
      object: 'list',
      data: page.data.map(wireFile),
      first_id: page.data[0]?.id ?? null,
      last_id: page.data[page.data.length - 1]?.id ?? null,
      has_more: page.hasMore && page.data.length > 0,
    };
  });

  app.get<ById>('/v1/files/:id', { ...allow('member'), schema: docs.retrieve }, async (req) => wireFile(await files.get(who(req), req.params.id)));

  app.get<ById>('/v1/files/:id/content', { ...allow('member'), schema: docs.content }, async (req, reply) =>
    sendContent(req, reply, await files.content(who(req), req.params.id), 'private, max-age=3600'));

  app.delete<ById>('/v1/files/:id', { ...allow('member'), schema: docs.delete }, async (req) => {
    const gone = await files.delete(who(req), req.params.id);
    return { id: gone.id, object: 'file', deleted: true };
  });
}
