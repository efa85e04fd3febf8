// /api/batches: a prompt list becomes many videos (services/batch.service.ts). Thin: decode the
// body (JSON or multipart with a `file`), call one service method, map to the wire. The events
// route streams the batch's progress as Server-Sent Events, like /v1/videos/{id}/events.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '../../domain/errors.js';
import { MAX_BATCH_LIST_BYTES } from '../../domain/batch-list.js';
import { parseBatchRequest } from '../../domain/batch-request.js';
import type { BatchService } from '../../services/batch.service.js';
import { wireBatch, wirePreview } from '../../services/batch.wire.js';
import { allow } from '../access.js';
import { readMultipart } from '../multipart.js';
import { who } from '../principal.js';
import { eventStreams, type StreamOptions } from '../event-stream.js';
import { batchSchemas as docs } from '../schemas/batch.schemas.js';

async function readList(req: FastifyRequest) {
  if (req.isMultipart()) {
    const { body, file } = await readMultipart(req, { fileField: 'file', maxFileBytes: MAX_BATCH_LIST_BYTES });
    return parseBatchRequest(body, file);
  }
  return parseBatchRequest(req.body);
}

function parseListQuery(q: Record<string, unknown>): { after?: string; limit?: number } {
  const out: { after?: string; limit?: number } = {};
  if (q.limit !== undefined) {
    const n = Number(q.limit);
    if (typeof q.limit !== 'string' || !/^\d+$/.test(q.limit) || n < 1 || n > 100) {
      throw ApiError.badRequest(`Invalid value for 'limit': expected a whole number from 1 to 100, got '${String(q.limit).slice(0, 20)}'.`, 'limit');
    }
    out.limit = n;
  }
  if (typeof q.after === 'string' && q.after !== '') out.after = q.after;
  return out;
}

export type BatchRouteOptions = StreamOptions;

export function batchRoutes(app: FastifyInstance, batches: BatchService, opts: BatchRouteOptions = {}): void {
  app.post('/api/batches', { ...allow('member'), schema: docs.create }, async (req) => {
    const view = await batches.create(who(req), await readList(req));
    return wireBatch(view, await batches.items(view.batch), who(req));
  });

  app.post('/api/batches/preview', { ...allow('member'), schema: docs.preview }, async (req) => wirePreview(await batches.preview(who(req), await readList(req))));

  app.get('/api/batches', { ...allow('member'), schema: docs.list }, async (req) => {
    const page = await batches.list(who(req), parseListQuery(req.query as Record<string, unknown>));
    return {
      object: 'list',
      data: page.data.map((v) => wireBatch(v)),
      first_id: page.data[0]?.batch.id ?? null,
      last_id: page.data[page.data.length - 1]?.batch.id ?? null,
      has_more: page.hasMore && page.data.length > 0,
    };
  });

  app.get<{ Params: { id: string } }>('/api/batches/:id', { ...allow('member'), schema: docs.retrieve }, async (req) => {
    const batch = await batches.get(who(req), req.params.id);
    return wireBatch(await batches.view(batch), await batches.items(batch), who(req));
  });

  app.post<{ Params: { id: string } }>('/api/batches/:id/cancel', { ...allow('member'), schema: docs.cancel }, async (req) => {
    const view = await batches.cancel(who(req), req.params.id);
    return wireBatch(view, await batches.items(view.batch), who(req));
  });

  app.get<{ Params: { id: string } }>('/api/batches/:id/download', { ...allow('member'), schema: docs.download }, async (req, reply) => {
    const { filename, stream } = await batches.archive(who(req), req.params.id);
    return reply.type('application/zip').header('content-disposition', `attachment; filename="${filename}"`).header('cache-control', 'no-store').send(stream);
  });

  const openStream = eventStreams(app, opts);
  app.get<{ Params: { id: string } }>('/api/batches/:id/events', { ...allow('member'), schema: docs.events }, async (req, reply) => {
    await batches.get(who(req), req.params.id); // 404 in the normal envelope, before streaming
    const stream = openStream(req, reply);
    try {
      stream.stopWith(await batches.watch(who(req), req.params.id, (v) => {
        if (stream.gone) return;
        stream.send(`batch.${v.status}`, wireBatch(v));
        if (v.status !== 'in_progress') stream.close();
      }));
    } catch {
      stream.close();
    }
  });
}
