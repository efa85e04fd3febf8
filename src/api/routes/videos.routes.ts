// /v1/videos: create, list, retrieve, delete, remix, extensions, edits. Thin: decode the body (JSON or multipart),
// parse it in domain/, call one service method, map to the wire.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '../../domain/errors.js';
import { isTerminal } from '../../domain/video.js';
import { parseCreateVideoRequest, parseEditVideoRequest, parseExtendVideoRequest, parseRemixVideoRequest, type UploadedClip, type UploadedFile } from '../../domain/video-request.js';
import { cleanFilename } from '../../domain/file.js';
import type { VideoService } from '../../services/video.service.js';
import { readMultipart, spoolMultipart } from '../multipart.js';
import { allow } from '../access.js';
import { videoSchemas as docs } from '../schemas/video.schemas.js';
import { who } from '../principal.js';
import { wireVideo } from '../../services/video.wire.js';

async function readBody(req: FastifyRequest, maxFileBytes: number, fileField = 'input_reference', otherFileFields?: string[]): Promise<{ body: unknown; file?: UploadedFile; otherFiles?: Record<string, UploadedFile> }> {
  if (req.isMultipart()) return readMultipart(req, { fileField, maxFileBytes, otherFileFields });
  return { body: req.body };
}

function parseListQuery(q: Record<string, unknown>): { after?: string; limit?: number; order?: 'asc' | 'desc' } {
  const out: { after?: string; limit?: number; order?: 'asc' | 'desc' } = {};
  if (q.limit !== undefined) {
    const n = Number(q.limit);
    if (typeof q.limit !== 'string' || !/^\d+$/.test(q.limit) || n > 100) {
      throw ApiError.badRequest(`Invalid value for 'limit': expected a whole number from 0 to 100, got '${String(q.limit).slice(0, 20)}'.`, 'limit');
    }
    out.limit = n;
  }
  if (q.order !== undefined) {
    if (q.order !== 'asc' && q.order !== 'desc') throw ApiError.badRequest(`Invalid value for 'order': expected 'asc' or 'desc', got '${String(q.order).slice(0, 20)}'.`, 'order');
    out.order = q.order;
  }
  if (q.after !== undefined && q.after !== '') {
    if (typeof q.after !== 'string') throw ApiError.badRequest("Invalid value for 'after': expected a video id.", 'after');
    out.after = q.after;
  }
  return out;
}

/** An extension's or edit's body; a `video` file part is spooled to a scratch folder removed once `fn` is done. */
async function withSourceBody<T>(req: FastifyRequest, maxSourceBytes: number, fn: (body: unknown, clip?: UploadedClip) => Promise<T>): Promise<T> {
  if (!req.isMultipart()) return fn(req.body);
  const dir = await mkdtemp(join(tmpdir(), 'melies-source-'));
  try {
    const { body, file } = await spoolMultipart(req, { fileField: 'video', maxFileBytes: maxSourceBytes, dir });
    return await fn(body, file ? { path: file.path, bytes: file.bytes, filename: cleanFilename(file.filename) } : undefined);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** `maxSourceBytes`: the cap on an MP4 uploaded as the source of an extension or edit (uploads.fileMaxBytes, as for /v1/files). */
export function videoRoutes(app: FastifyInstance, videos: VideoService, opts: { maxUploadBytes: number; maxSourceBytes: number }): void {
  app.post('/v1/videos', { ...allow('member'), schema: docs.create }, async (req) => {
    const { body, file, otherFiles } = await readBody(req, opts.maxUploadBytes, 'input_reference', ['last_frame']);
    const video = await videos.create(who(req), parseCreateVideoRequest(body, file, otherFiles?.last_frame));
    return wireVideo(video, { queuePosition: await videos.queuePosition(video.id), plan: true, viewer: who(req) });
  });

  app.get('/v1/videos', { ...allow('member'), schema: docs.list }, async (req) => {
    const page = await videos.list(who(req), parseListQuery(req.query as Record<string, unknown>));
    return {
      object: 'list',
      data: page.data.map((v) => wireVideo(v, { viewer: who(req) })),
      first_id: page.data[0]?.id ?? null,
      last_id: page.data[page.data.length - 1]?.id ?? null,
      // The SDK pages with `after=last_id`, so more is only promised when there is a last id.
      has_more: page.hasMore && page.data.length > 0,
    };
  });

  app.get<{ Params: { id: string } }>('/v1/videos/:id', { ...allow('member'), schema: docs.retrieve }, async (req, reply) => {
    const video = await videos.get(who(req), req.params.id);
    if (!isTerminal(video.status)) reply.header('openai-poll-after-ms', '1000');
    const queuePosition = video.status === 'queued' ? await videos.queuePosition(video.id) : undefined;
    return wireVideo(video, { queuePosition, plan: true, viewer: who(req) });
  });

  app.delete<{ Params: { id: string } }>('/v1/videos/:id', { ...allow('member'), schema: docs.delete }, async (req) => {
    const video = await videos.get(who(req), req.params.id);
    await videos.delete(who(req), video.id);
    return { id: video.id, object: 'video.deleted', deleted: true };
  });

  // The SDK (videos.extend, ≥ 6.28) always sends multipart: `video[id]`, `prompt`, `seconds`, or
  // `video` as an MP4 file, which is spooled to disk (it may be far larger than an image).
  app.post('/v1/videos/extensions', { ...allow('member'), schema: docs.extend }, async (req) =>
    withSourceBody(req, opts.maxSourceBytes, async (body, clip) => {
      const video = await videos.extend(who(req), parseExtendVideoRequest(body, clip));
      return wireVideo(video, { queuePosition: await videos.queuePosition(video.id), plan: true, viewer: who(req) });
    }));

  // videos.edit (≥ 6.28) sends multipart too: `video[id]` or a `video` file, and `prompt`.
  app.post('/v1/videos/edits', { ...allow('member'), schema: docs.edit }, async (req) =>
    withSourceBody(req, opts.maxSourceBytes, async (body, clip) => {
      const video = await videos.edit(who(req), parseEditVideoRequest(body, clip));
      return wireVideo(video, { queuePosition: await videos.queuePosition(video.id), plan: true, viewer: who(req) });
    }));

  app.post<{ Params: { id: string } }>('/v1/videos/:id/remix', { ...allow('member'), schema: docs.remix }, async (req) => {
    const { body, file } = await readBody(req, opts.maxUploadBytes);
    if (file) throw ApiError.badRequest('A remix takes only a prompt; no file is allowed.', 'input_reference', 'unexpected_file');
    const video = await videos.remix(who(req), req.params.id, parseRemixVideoRequest(body));
    return wireVideo(video, { queuePosition: await videos.queuePosition(video.id), plan: true, viewer: who(req) });
  });
}
