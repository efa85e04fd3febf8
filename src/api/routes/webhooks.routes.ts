// /api/webhooks: a user's webhook endpoints (issue 14 §5). Thin: the service validates, checks the
// URL against the SSRF guard and keeps each user to their own endpoints (404 for anyone else's).
import type { FastifyInstance } from 'fastify';
import type { WebhookService } from '../../services/webhook.service.js';
import { allow } from '../access.js';
import { who } from '../principal.js';
import { webhookSchemas as docs } from '../schemas/webhook.schemas.js';

type ById = { Params: { id: string } };

export function webhookRoutes(app: FastifyInstance, webhooks: WebhookService): void {
  app.get('/api/webhooks', { ...allow('member'), schema: docs.list }, async (req) => ({ data: await webhooks.list(who(req)) }));
  app.post('/api/webhooks', { ...allow('member'), schema: docs.create }, async (req, reply) => reply.status(201).send(await webhooks.create(who(req), req.body)));
  app.patch<ById>('/api/webhooks/:id', { ...allow('member'), schema: docs.update }, async (req) => webhooks.update(who(req), req.params.id, req.body));
  app.delete<ById>('/api/webhooks/:id', { ...allow('member'), schema: docs.delete }, async (req, reply) => {
    await webhooks.remove(who(req), req.params.id);
    return reply.status(204).send();
  });
  app.post<ById>('/api/webhooks/:id/rotate', { ...allow('member'), schema: docs.rotate }, async (req) => webhooks.rotate(who(req), req.params.id));
  app.post<ById>('/api/webhooks/:id/test', { ...allow('member'), schema: docs.test }, async (req, reply) => reply.status(202).send(await webhooks.test(who(req), req.params.id)));
  app.get<ById>('/api/webhooks/:id/deliveries', { ...allow('member'), schema: docs.deliveries }, async (req) => ({ data: await webhooks.deliveries(who(req), req.params.id) }));
}
