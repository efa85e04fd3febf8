// Queue control (issue 15 §7): a member's own queue under /api/queue and /api/videos/{id}, an
// operator's view of anyone's under /api/admin/users/{id}/queue. Thin: the service checks owners,
// the plan's priority ceiling and the video's state.
import type { FastifyInstance } from 'fastify';
import type { Principal } from '../../domain/account.js';
import type { QueueControlService, QueueView } from '../../services/queue-control.service.js';
import { studioVideo } from '../../services/video.wire.js';
import { allow } from '../access.js';
import { who } from '../principal.js';
import { queueSchemas as docs } from '../schemas/queue.schemas.js';

type ById = { Params: { id: string } };
type ByUserVideo = { Params: { id: string; videoId: string } };
type PriorityBody = { Body: { priority?: unknown } | undefined };

function wire(view: QueueView, viewer: Principal) {
  return {
    object: 'queue' as const,
    owner_id: view.ownerId,
    paused: view.paused,
    data: view.entries.map((e) => ({ video: studioVideo(e.video, { viewer }), position: e.position, priority: e.priority })),
  };
}

export function queueRoutes(app: FastifyInstance, queue: QueueControlService): void {
  app.get('/api/queue', { ...allow('member'), schema: docs.view }, async (req) => wire(await queue.view(who(req)), who(req)));
  app.post('/api/queue/pause', { ...allow('member'), schema: docs.pause }, async (req) => wire(await queue.pause(who(req)), who(req)));
  app.post('/api/queue/resume', { ...allow('member'), schema: docs.resume }, async (req) => wire(await queue.resume(who(req)), who(req)));
  app.post<ById>('/api/videos/:id/move-to-top', { ...allow('member'), schema: docs.moveToTop }, async (req) =>
    wire(await queue.moveToTop(who(req), req.params.id), who(req)));
  app.put<ById & PriorityBody>('/api/videos/:id/priority', { ...allow('member'), schema: docs.priority }, async (req) =>
    wire(await queue.setPriority(who(req), req.params.id, req.body?.priority), who(req)));

  app.get<ById>('/api/admin/users/:id/queue', { ...allow('admin'), schema: docs.adminView }, async (req) => wire(await queue.view(who(req), req.params.id), who(req)));
  app.post<ById>('/api/admin/users/:id/queue/pause', { ...allow('admin'), schema: docs.adminPause }, async (req) => wire(await queue.pause(who(req), req.params.id), who(req)));
  app.post<ById>('/api/admin/users/:id/queue/resume', { ...allow('admin'), schema: docs.adminResume }, async (req) => wire(await queue.resume(who(req), req.params.id), who(req)));
  app.post<ByUserVideo>('/api/admin/users/:id/queue/:videoId/move-to-top', { ...allow('admin'), schema: docs.adminMoveToTop }, async (req) =>
    wire(await queue.moveToTop(who(req), req.params.videoId, req.params.id), who(req)));
  app.put<ByUserVideo & PriorityBody>('/api/admin/users/:id/queue/:videoId/priority', { ...allow('admin'), schema: docs.adminPriority }, async (req) =>
    wire(await queue.setPriority(who(req), req.params.videoId, req.body?.priority, req.params.id), who(req)));
}
