// Server-Sent Events for the routes that follow something until it ends (a video, a batch): the
// headers that keep proxies from buffering, a heartbeat, the open-streams gauge, and the one list
// of open streams per server that shutdown ends (it must not wait on streams that could stay open
// for minutes).
import type { ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export interface StreamOptions {
  heartbeatMs?: number;
  /** A stream started (for the open-streams gauge); the returned function is called when it ends. */
  onStream?: () => () => void;
}

export interface EventStream {
  send(event: string, data: unknown): void;
  /** What stops the source feeding this stream (a watch's unsubscribe), called once at close. */
  stopWith(stop: () => void): void;
  close(): void;
  /** The client left (or the stream was closed) already. */
  readonly gone: boolean;
}

const OPEN = new WeakMap<FastifyInstance, Set<ServerResponse>>();

function openStreams(app: FastifyInstance): Set<ServerResponse> {
  let open = OPEN.get(app);
  if (!open) {
    const streams = new Set<ServerResponse>();
    open = streams;
    OPEN.set(app, streams);
    app.addHook('preClose', async () => { for (const res of streams) res.end(); });
  }
  return open;
}

/** Call once per app before it starts (hooks cannot be added later); returns the stream opener. */
export function eventStreams(app: FastifyInstance, opts: StreamOptions = {}) {
  const open = openStreams(app);
  return (req: FastifyRequest, reply: FastifyReply): EventStream => {
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
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      stop();
      ended();
      open.delete(res);
      if (!res.writableEnded) res.end();
    };
    res.on('close', close);
    return {
      send(event, data) { if (!res.writableEnded) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`); },
      // The client may have gone while the source was starting: then stop it at once.
      stopWith(s) { stop = s; if (closed || res.destroyed || res.writableEnded) s(); },
      close,
      get gone() { return closed || res.destroyed || res.writableEnded; },
    };
  };
}
