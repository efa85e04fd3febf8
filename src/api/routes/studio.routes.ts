// /api: what the web studio needs beyond OpenAI's Videos API — the library query (filters, text
// search), one video with its lineage, favourites, cancel, and the session mode. Thin, like /v1.
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../../domain/errors.js';
import { VIDEO_STATUSES, type VideoStatus } from '../../domain/video.js';
import type { VideoService } from '../../services/video.service.js';
import { studioVideo } from '../../services/video.wire.js';
import { allow } from '../access.js';
import { studioSchemas as docs } from '../schemas/video.schemas.js';
import { who } from '../principal.js';

type Query = Record<string, unknown>;

function oneString(q: Query, name: string, max: number): string | undefined {
  const v = q[name];
  if (v === undefined || v === '') return undefined;
  if (typeof v !== 'string') throw ApiError.badRequest(`Give '${name}' once, as text.`, name);
  if (v.length > max) throw ApiError.badRequest(`'${name}' is too long (at most ${max} characters).`, name);
  return v;
}

export function parseLibraryQuery(q: Query) {
  const status = oneString(q, 'status', 20);
  if (status !== undefined && status !== 'active' && !VIDEO_STATUSES.includes(status as VideoStatus)) {
    throw ApiError.badRequest(`Invalid value for 'status': expected one of active, ${VIDEO_STATUSES.join(', ')}; got '${status}'.`, 'status');
  }
  const favorite = oneString(q, 'favorite', 5);
  if (favorite !== undefined && favorite !== 'true' && favorite !== 'false') {
    throw ApiError.badRequest(`Invalid value for 'favorite': expected 'true' or 'false', got '${favorite}'.`, 'favorite');
  }
  const limitText = oneString(q, 'limit', 4);
  const limit = limitText === undefined ? undefined : Number(limitText);
  if (limit !== undefined && (!/^\d+$/.test(limitText!) || limit < 1 || limit > 200)) {
    throw ApiError.badRequest(`Invalid value for 'limit': expected a whole number from 1 to 200, got '${limitText}'.`, 'limit');
  }
  return {
    status: status as VideoStatus | 'active' | undefined,
    model: oneString(q, 'model', 200),
    favorite: favorite === undefined ? undefined : favorite === 'true',
    text: oneString(q, 'q', 500),
    after: oneString(q, 'after', 100),
    limit,
  };
}

export function studioRoutes(app: FastifyInstance, videos: VideoService): void {
  app.get('/api/videos', { ...allow('member'), schema: docs.library }, async (req) => {
    const page = await videos.search(who(req), parseLibraryQuery(req.query as Query));
    return {
      object: 'list',
      data: page.data.map((v) => studioVideo(v, { viewer: who(req) })),
      last_id: page.data[page.data.length - 1]?.id ?? null,
      has_more: page.hasMore && page.data.length > 0,
    };
  });

  app.get<{ Params: { id: string } }>('/api/videos/:id', { ...allow('member'), schema: docs.video }, async (req) => {
    const video = await videos.get(who(req), req.params.id);
    const lineage = await videos.lineage(video);
    return {
      ...studioVideo(video, { plan: true, viewer: who(req) }),
      queue_position: video.status === 'queued' ? await videos.queuePosition(video.id) : null,
      lineage: {
        parent_id: lineage.parentId,
        parent: lineage.parent ? studioVideo(lineage.parent, { viewer: who(req) }) : null,
        children: lineage.children.map((v) => studioVideo(v, { viewer: who(req) })),
      },
    };
  });

  app.put<{ Params: { id: string } }>('/api/videos/:id/favorite', { ...allow('member'), schema: docs.favorite }, async (req) => {
    const body = req.body as { favorite?: unknown } | undefined;
    if (typeof body?.favorite !== 'boolean') throw ApiError.badRequest("Send a JSON body {\"favorite\": true} or {\"favorite\": false}.", 'favorite');
    return studioVideo(await videos.setFavorite(who(req), req.params.id, body.favorite), { viewer: who(req) });
  });

  app.post<{ Params: { id: string } }>('/api/videos/:id/cancel', { ...allow('member'), schema: docs.cancel }, async (req) => studioVideo(await videos.cancel(who(req), req.params.id), { viewer: who(req) }));
}
