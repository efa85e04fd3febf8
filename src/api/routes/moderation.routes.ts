// /api/admin moderation routes (issue 14): the publish policy, the review queue, reports and
// takedowns. Admin-only, like every /api/admin route.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ProfileService } from '../../services/sharing/profile.service.js';
import type { FeedService } from '../../services/sharing/feed.service.js';
import type { ModerationService } from '../../services/sharing/moderation.service.js';
import type { PublishingService } from '../../services/sharing/publishing.service.js';
import type { PublicationRepo } from '../../db/publication.repo.js';
import { allow } from '../access.js';
import { who } from '../principal.js';
import { moderationSchemas as docs } from '../schemas/sharing.schemas.js';
import { wireAuthor, wireReport } from './sharing.routes.js';

export interface ModerationRouteDeps {
  moderation: ModerationService;
  publishing: PublishingService;
  feed: FeedService;
  profiles: ProfileService;
  publications: PublicationRepo;
}

const body = (req: FastifyRequest) => (req.body && typeof req.body === 'object' ? req.body as Record<string, unknown> : {});

export function moderationRoutes(app: FastifyInstance, deps: ModerationRouteDeps): void {
  const { moderation, feed } = deps;

  app.get('/api/admin/sharing', { ...allow('admin'), schema: docs.policy }, async () => ({ publish_policy: await deps.publishing.policy() }));
  app.put('/api/admin/sharing', { ...allow('admin'), schema: docs.setPolicy }, async (req) => ({ publish_policy: await deps.publishing.setPolicy(who(req), body(req)) }));

  app.get<{ Querystring: { status?: string } }>('/api/admin/publications', { ...allow('admin'), schema: docs.queue }, async (req) => {
    const items = await moderation.queue(req.query.status);
    const videos = await feed.wireMany(items);
    return { data: await Promise.all(items.map(async (item, i) => ({ ...(await feed.publicationView(item.publication)), video: videos[i]! }))) };
  });
  app.post<{ Params: { id: string } }>('/api/admin/publications/:id/approve', { ...allow('admin'), schema: docs.approve }, async (req) =>
    feed.publicationView(await moderation.approve(who(req), req.params.id)));
  app.post<{ Params: { id: string } }>('/api/admin/publications/:id/reject', { ...allow('admin'), schema: docs.reject }, async (req) =>
    feed.publicationView(await moderation.reject(who(req), req.params.id, body(req))));
  app.post<{ Params: { id: string } }>('/api/admin/videos/:id/takedown', { ...allow('admin'), schema: docs.takedown }, async (req) =>
    feed.publicationView(await moderation.takedown(who(req), req.params.id, body(req))));

  app.get<{ Querystring: { status?: string } }>('/api/admin/reports', { ...allow('admin'), schema: docs.reports }, async (req) => {
    const reports = await moderation.reports(req.query.status);
    const reporters = await deps.profiles.authors(reports.map((r) => r.reporterId));
    return {
      data: await Promise.all(reports.map(async (r) => {
        const published = await deps.publications.published(r.videoId);
        const [video] = published ? await feed.wireMany([published]) : [null];
        return { ...wireReport(r), reporter: wireAuthor(reporters.get(r.reporterId)!), video: video ?? null };
      })),
    };
  });
  app.post<{ Params: { id: string } }>('/api/admin/reports/:id/dismiss', { ...allow('admin'), schema: docs.dismiss }, async (req) =>
    wireReport(await moderation.dismiss(who(req), req.params.id)));
}
