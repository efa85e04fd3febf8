// /api sharing routes (issue 14): profiles, publishing, the public feed and pages, public files,
// reports and notifications. Who may look at the public side is the operator's choice, so those
// routes are `public` with the caller identified, and the feed service decides (401 or the data).
// Publishing, reporting and the feed are rate-limited (per account, or per address when anonymous).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '../../domain/errors.js';
import type { Coordination } from '../../coordination/coordination.js';
import type { NotificationRepo } from '../../db/community.repo.js';
import type { FeedService } from '../../services/sharing/feed.service.js';
import type { ModerationService } from '../../services/sharing/moderation.service.js';
import type { ProfileService } from '../../services/sharing/profile.service.js';
import type { PublishingService } from '../../services/sharing/publishing.service.js';
import { allow, allowAnyoneIdentified } from '../access.js';
import { who } from '../principal.js';
import { RateLimiter } from '../rate-limit.js';
import { sharingSchemas as docs } from '../schemas/sharing.schemas.js';
import { sendContent } from './content.routes.js';

export interface SharingRouteDeps {
  profiles: ProfileService;
  publishing: PublishingService;
  feed: FeedService;
  moderation: ModerationService;
  notifications: NotificationRepo;
  publicFeed: boolean;
  /** Publishes and reports per account a minute; anonymous feed reads get ten times as many per address. */
  actionsPerMinute: number;
  coordination?: Coordination;
}

const body = (req: FastifyRequest) => (req.body && typeof req.body === 'object' ? req.body as Record<string, unknown> : {});
const sec = (ms: number | null) => (ms === null ? null : Math.floor(ms / 1000));
const wireAuthor = (p: { handle: string; displayName: string | null }) => ({ handle: p.handle, display_name: p.displayName });
const wireReport = (r: { id: string; videoId: string; reason: string; status: string; createdAt: number }) => ({
  id: r.id, video_id: r.videoId, reason: r.reason, status: r.status, created_at: sec(r.createdAt)!,
});

export function sharingRoutes(app: FastifyInstance, deps: SharingRouteDeps): void {
  const actions = new RateLimiter(deps.actionsPerMinute, 60_000, deps.coordination);
  const reads = new RateLimiter(deps.actionsPerMinute * 10, 60_000, deps.coordination);
  /** Counts one request against the caller (or their address), a 429 with Retry-After past the limit. */
  const limit = async (req: FastifyRequest, kind: 'action' | 'read') => {
    const id = req.principal ? `share:${kind}:${req.principal.userId}` : `share:${kind}:ip:${req.ip}`;
    const waitMs = await (kind === 'action' ? actions : reads).take(id);
    if (waitMs > 0) {
      const seconds = Math.ceil(waitMs / 1000);
      throw new ApiError(429, `Too many ${kind === 'action' ? 'publishes or reports' : 'feed requests'} in a minute. Try again in ${seconds} s.`, { code: 'rate_limit_exceeded', type: 'rate_limit_error', headers: { 'retry-after': String(seconds) } });
    }
  };

  app.get('/api/sharing', { ...allowAnyoneIdentified(), schema: docs.sharing }, async (req) => ({
    publish_policy: await deps.publishing.policy(), public_feed: deps.publicFeed, signed_in: Boolean(req.principal),
  }));

  app.get('/api/profile', { ...allow('member'), schema: docs.myProfile }, async (req) => wireAuthor(await deps.profiles.ensure(who(req).userId)));
  app.put('/api/profile', { ...allow('member'), schema: docs.profile }, async (req) => wireAuthor(await deps.profiles.update(who(req).userId, body(req))));

  app.post<{ Params: { id: string } }>('/api/videos/:id/publish', { ...allow('member'), schema: docs.publish }, async (req, reply) => {
    await limit(req, 'action');
    const pub = await deps.publishing.publish(who(req), req.params.id, body(req));
    return reply.status(201).send(await deps.feed.publicationView(pub));
  });
  app.get<{ Params: { id: string } }>('/api/videos/:id/publication', { ...allow('member'), schema: docs.publication }, async (req) =>
    deps.feed.publicationView(await deps.publishing.publication(who(req), req.params.id)));
  app.delete<{ Params: { id: string } }>('/api/videos/:id/publication', { ...allow('member'), schema: docs.unpublish }, async (req, reply) => {
    await deps.publishing.unpublish(who(req), req.params.id);
    return reply.status(204).send();
  });

  app.get<{ Querystring: Record<string, string> }>('/api/feed', { ...allowAnyoneIdentified(), schema: docs.feed }, async (req) => {
    await limit(req, 'read');
    const q = req.query;
    return deps.feed.feed(req.principal, { sort: q.sort, limit: q.limit, after: q.after, author: q.author });
  });
  app.get<{ Params: { id: string } }>('/api/public/videos/:id', { ...allowAnyoneIdentified(), schema: docs.publicVideo }, async (req) => deps.feed.video(req.principal, req.params.id));
  // Revalidated every time (no-cache + ETag): an unpublished video must stop playing from the next request.
  app.get<{ Params: { id: string } }>('/api/public/videos/:id/content', { ...allowAnyoneIdentified(), schema: docs.publicContent }, async (req, reply) =>
    sendContent(req, reply, await deps.feed.content(req.principal, req.params.id, 'video'), 'no-cache'));
  app.get<{ Params: { id: string } }>('/api/public/videos/:id/thumbnail', { ...allowAnyoneIdentified(), schema: docs.publicThumbnail }, async (req, reply) =>
    sendContent(req, reply, await deps.feed.content(req.principal, req.params.id, 'thumbnail'), 'no-cache'));
  app.get<{ Params: { handle: string } }>('/api/users/:handle', { ...allowAnyoneIdentified(), schema: docs.user }, async (req) => deps.feed.profile(req.principal, req.params.handle));

  app.post<{ Params: { id: string } }>('/api/public/videos/:id/report', { ...allow('member'), schema: docs.report }, async (req, reply) => {
    await limit(req, 'action');
    return reply.status(201).send(wireReport(await deps.moderation.report(who(req), req.params.id, body(req))));
  });

  app.get('/api/notifications', { ...allow('member'), schema: docs.notifications }, async (req) => {
    const { data, unread } = await deps.notifications.list(who(req).userId);
    const actors = await deps.profiles.authors(data.map((n) => n.actorId).filter((a): a is string => !!a));
    return {
      data: data.map((n) => ({
        id: n.id, kind: n.kind, message: n.message, created_at: sec(n.createdAt)!, read: n.readAt !== null, video_id: n.videoId,
        actor: n.actorId ? wireAuthor(actors.get(n.actorId)!) : null,
      })),
      unread,
    };
  });
  app.post('/api/notifications/read', { ...allow('member'), schema: docs.readNotifications }, async (req) => {
    const ids = body(req).ids;
    if (ids !== undefined && (!Array.isArray(ids) || ids.length > 500 || !ids.every((i) => typeof i === 'string' && i.length <= 64))) {
      throw ApiError.badRequest("'ids' must be a list of notification ids (at most 500).", 'ids');
    }
    await deps.notifications.markRead(who(req).userId, (ids as string[] | undefined) ?? null, Date.now());
    return { ok: true as const };
  });
}

export { wireReport, wireAuthor };
