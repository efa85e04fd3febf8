// GET /v1/videos/{id}/content?variant=video|thumbnail|spritesheet. Streams from storage without
// buffering, with Range (206/416), ETag/If-None-Match, If-Range and Content-Length. Behind nginx
// (`accelRedirect`), Méliès only authorises: it answers with `X-Accel-Redirect: <prefix><blob key>`
// and no body, and nginx sends the file from its internal location (sendfile, its own Range and
// conditional handling), which Node cannot match for large files. With S3_PRESIGN, it redirects
// to a short-lived presigned URL and S3 sends the bytes.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../../domain/errors.js';
import type { ContentVariant, VideoContent, VideoService } from '../../services/video.service.js';
import { allow } from '../access.js';
import { videoSchemas as docs } from '../schemas/video.schemas.js';
import { who } from '../principal.js';
import { parseRange } from '../range.js';

const VARIANTS: readonly ContentVariant[] = ['video', 'thumbnail', 'spritesheet'];

export interface ContentRouteOptions {
  /**
   * The internal location of a proxy in front (nginx's `location /protected/ { internal; alias
   * <blob root>/; }`), e.g. '/protected/'. Only for local storage, and only when every request
   * comes through that proxy: a client reaching the server directly gets an empty answer.
   */
  accelRedirect?: string | null;
  /**
   * S3_PRESIGN: answer with a redirect to a URL the store serves itself (S3), valid this many
   * seconds, instead of relaying the bytes. The authorisation is this request's; the URL is
   * short-lived because anyone holding it can download until it expires.
   */
  presignSeconds?: number | null;
}

export function contentRoutes(app: FastifyInstance, videos: VideoService, opts: ContentRouteOptions = {}): void {
  const accel = opts.accelRedirect ? (opts.accelRedirect.endsWith('/') ? opts.accelRedirect : `${opts.accelRedirect}/`) : null;
  app.get<{ Params: { id: string }; Querystring: { variant?: string } }>('/v1/videos/:id/content', { ...allow('member'), schema: docs.content }, async (req, reply) => {
    const variant = (req.query.variant ?? 'video') as ContentVariant;
    if (!VARIANTS.includes(variant)) {
      throw ApiError.badRequest(`Invalid value for 'variant': expected one of 'video', 'thumbnail', 'spritesheet', got '${String(req.query.variant).slice(0, 30)}'.`, 'variant');
    }
    const content = await videos.content(who(req), req.params.id, variant);
    if (opts.presignSeconds && content.presignedUrl) {
      reply.header('cache-control', 'private, no-store');
      return reply.redirect(await content.presignedUrl(opts.presignSeconds), 302);
    }
    if (accel) {
      // nginx keeps Content-Disposition and Cache-Control from this answer and sets the type, length,
      // ETag, Last-Modified and Range from the file (ngx_http_upstream's X-Accel-Redirect).
      reply.header('content-disposition', `inline; filename="${content.filename}"`);
      reply.header('cache-control', 'private, max-age=3600');
      reply.header('x-accel-redirect', `${accel}${content.key}`);
      return reply.type(content.contentType).send();
    }
    return sendContent(req, reply, content, 'private, max-age=3600');
  });
}

/** Sends a file with Range (206/416), ETag/If-None-Match and If-Range, streamed from storage. */
export async function sendContent(req: FastifyRequest, reply: FastifyReply, content: VideoContent, cacheControl: string): Promise<FastifyReply> {
  reply.header('accept-ranges', 'bytes');
  reply.header('etag', content.etag);
  reply.header('last-modified', new Date(content.modifiedAt).toUTCString());
  reply.header('cache-control', cacheControl);
  reply.header('content-disposition', `inline; filename="${content.filename}"`);
  reply.type(content.contentType);

  const inm = req.headers['if-none-match'];
  if (inm && inm.split(',').map((s) => s.trim()).some((t) => t === content.etag || t === '*')) {
    return reply.status(304).send();
  }
  const ifRange = req.headers['if-range'];
  const range = ifRange && ifRange !== content.etag ? null : parseRange(req.headers.range, content.bytes);
  if (range === 'unsatisfiable') {
    throw new ApiError(416, `The requested range is outside the ${content.bytes}-byte file.`, { code: 'range_not_satisfiable', param: 'range', headers: { 'content-range': `bytes */${content.bytes}` } });
  }
  if (range) {
    reply.status(206);
    reply.header('content-range', `bytes ${range.start}-${range.end}/${content.bytes}`);
    reply.header('content-length', String(range.end - range.start + 1));
    return reply.send(await content.open(range));
  }
  reply.header('content-length', String(content.bytes));
  return reply.send(await content.open());
}
