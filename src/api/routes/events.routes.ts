// GET /v1/videos/{id}/events: Server-Sent Events with the video object on every change, until it
// completes or fails. Event names follow the status (`video.queued`, `video.in_progress`,
// `video.completed`, `video.failed`); `data` is the same JSON as GET /v1/videos/{id}.
import type { FastifyInstance } from 'fastify';
import { isTerminal } from '../../domain/video.js';
import type { VideoService } from '../../services/video.service.js';
import { wireVideo } from '../../services/video.wire.js';
import { allow } from '../access.js';
import { videoSchemas as docs } from '../schemas/video.schemas.js';
import { who } from '../principal.js';
import { eventStreams, type StreamOptions } from '../event-stream.js';

export type EventRouteOptions = StreamOptions;

export function eventRoutes(app: FastifyInstance, videos: VideoService, opts: EventRouteOptions = {}): void {
  const openStream = eventStreams(app, opts);
  app.get<{ Params: { id: string } }>('/v1/videos/:id/events', { ...allow('member'), schema: docs.events }, async (req, reply) => {
    const first = await videos.get(who(req), req.params.id); // 404 in the normal envelope, before streaming
    const stream = openStream(req, reply);
    const send = async (v: typeof first) => {
      const queuePosition = v.status === 'queued' ? await videos.queuePosition(v.id).catch(() => null) : undefined;
      if (stream.gone) return;
      stream.send(`video.${v.status}`, wireVideo(v, { queuePosition, plan: true, viewer: who(req) }));
      if (isTerminal(v.status)) stream.close();
    };
    let chain = Promise.resolve();
    try {
      stream.stopWith(await videos.watch(who(req), first.id, (v) => { chain = chain.then(() => send(v)); }));
    } catch {
      stream.close();
    }
  });
}
