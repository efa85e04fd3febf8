// GET /v1/videos/{id}/events: Server-Sent Events with the video object on every change, until it
// completes or fails. Event names follow the status (`video.queued`, `video.in_progress`,
// `video.completed`, `video.failed`); `data` is the same JSON as GET /v1/videos/{id}.
import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { isTerminal } from '../../domain/video.js';
import type { VideoService } from '../../services/video.service.js';
import { wireVideo } from '../../services/video.wire.js';
import { allow } from '../access.js';
import { videoSchemas as docs } from '../schemas/video.schemas.js';
import { who } from '../principal.js';

export interface EventRouteOptions {
  heartbeatMs?: number;
  /** A stream started (for the open-streams gauge); the returned function is called when it ends. */
  onStream?: () => () => void;
}

export function eventRoutes(app: FastifyInstance, videos: VideoService, opts: EventRouteOptions = {}): void {
  const open = new Set<ServerResponse>();
  // Shutdown must not wait on streams that would otherwise stay open for minutes.
  app.addHook('preClose', async () => {
    for (const res of open) res.end();
  });

  app.get<{ Params: { id: string } }>('/v1/videos/:id/events', { ...allow('member'), schema: docs.events }, async (req, reply) => {
    const first = await videos.get(who(req), req.params.id); // 404 in the normal envelope, before streaming
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'x-request-id': String(req.id),
    });
    res.write('retry: 2000\n\n');
    open.add(res);
    const ended = opts.onStream?.() ?? (() => {});
    let stop: () => void = () => {};
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), opts.heartbeatMs ?? 15000);
    const close = () => {
      clearInterval(heartbeat);
      stop();
      ended();
      open.delete(res);
      if (!res.writableEnded) res.end();
    };
    res.on('close', close);
    const send = async (v: typeof first) => {
      const queuePosition = v.status === 'queued' ? await videos.queuePosition(v.id).catch(() => null) : undefined;
      if (res.writableEnded) return;
      res.write(`event: video.${v.status}\ndata: ${JSON.stringify(wireVideo(v, { queuePosition, plan: true, viewer: who(req) }))}\n\n`);
      if (isTerminal(v.status)) close();
    };
    let chain = Promise.resolve();
    try {
      stop = await videos.watch(who(req), first.id, (v) => { chain = chain.then(() => send(v)); });
      // The client may have gone while watch() was starting; close() then ran with the old stop.
      if (res.destroyed || res.writableEnded) stop();
    } catch {
      close();
    }
  });
}
