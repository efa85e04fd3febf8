// /api/admin/*: operator controls (the auth hook already required the 'admin' scope). Users,
// plans, invites, pauses, anyone's key, the audit log and its JSONL export.
import { Readable } from 'node:stream';
import { allow } from '../access.js';
import { adminSchemas as docs } from '../schemas/account.schemas.js';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '../../domain/errors.js';
import type { AdminService } from '../../services/accounts/admin.service.js';
import type { AuthService } from '../../services/accounts/auth.service.js';
import { wireAudit, wireInvite, wireKey, wirePlan, wireUser } from '../../services/accounts/account.wire.js';
import { requestContext, who } from '../principal.js';

export interface AdminRouteDeps {
  admin: AdminService;
  auth: AuthService | null;
  engines: () => string[];
}

const body = (req: FastifyRequest) => (req.body && typeof req.body === 'object' ? req.body as Record<string, unknown> : {});

export function adminRoutes(app: FastifyInstance, deps: AdminRouteDeps): void {
  const { admin } = deps;

  app.get('/api/admin/users', { ...allow('admin'), schema: docs.users }, async () => ({
    data: (await admin.listUsers()).map(({ user, usage }) => ({ ...wireUser(user), usage_today_seconds: usage.day.usedSeconds, active_jobs: usage.concurrent.active })),
  }));
  app.post<{ Params: { id: string } }>('/api/admin/users/:id/suspend', { ...allow('admin'), schema: docs.suspend }, async (req) => wireUser(await admin.suspend(who(req), req.params.id, requestContext(req))));
  app.post<{ Params: { id: string } }>('/api/admin/users/:id/reactivate', { ...allow('admin'), schema: docs.reactivate }, async (req) => wireUser(await admin.reactivate(who(req), req.params.id, requestContext(req))));
  app.put<{ Params: { id: string } }>('/api/admin/users/:id', { ...allow('admin'), schema: docs.updateUser }, async (req) => wireUser(await admin.updateUser(who(req), req.params.id, body(req), requestContext(req))));

  app.get('/api/admin/plans', { ...allow('admin'), schema: docs.plans }, async () => ({ data: (await admin.listPlans()).map(wirePlan) }));
  app.put<{ Params: { id: string } }>('/api/admin/plans/:id', { ...allow('admin'), schema: docs.upsertPlan }, async (req) => wirePlan(await admin.upsertPlan(who(req), req.params.id, body(req), requestContext(req))));

  app.get('/api/admin/invites', { ...allow('admin'), schema: docs.invites }, async () => ({ data: (await admin.listInvites()).map(wireInvite) }));
  app.post('/api/admin/invites', { ...allow('admin'), schema: docs.createInvite }, async (req) => wireInvite(await admin.createInvite(who(req), body(req), requestContext(req))));
  app.post<{ Params: { code: string } }>('/api/admin/invites/:code/revoke', { ...allow('admin'), schema: docs.revokeInvite }, async (req) => wireInvite(await admin.revokeInvite(who(req), req.params.code, requestContext(req))));

  app.get('/api/admin/pauses', { ...allow('admin'), schema: docs.pauses }, async () => ({ data: (await admin.listPauses()).map((p) => ({ engine: p.engine, message: p.message, created_at: Math.floor(p.createdAt / 1000) })) }));
  app.post('/api/admin/pauses', { ...allow('admin'), schema: docs.pause }, async (req) => {
    const p = await admin.pause(who(req), body(req), deps.engines(), requestContext(req));
    return { engine: p.engine, message: p.message, created_at: Math.floor(p.createdAt / 1000) };
  });
  app.delete<{ Params: { engine: string } }>('/api/admin/pauses/:engine', { ...allow('admin'), schema: docs.resume }, async (req) => {
    if (!(await admin.resume(who(req), req.params.engine, requestContext(req)))) throw ApiError.notFound(`Engine '${req.params.engine.slice(0, 60)}' is not paused.`, 'engine');
    return { ok: true };
  });

  app.post<{ Params: { id: string } }>('/api/admin/keys/:id/revoke', { ...allow('admin'), schema: docs.revokeKey }, async (req) => {
    if (!deps.auth) throw new ApiError(404, 'There are no API keys in local mode.', { code: 'local_mode' });
    return wireKey(await deps.auth.revokeKey(who(req), req.params.id, { asAdmin: true }, requestContext(req)));
  });

  app.get<{ Querystring: { limit?: string; after?: string } }>('/api/admin/audit', { ...allow('admin'), schema: docs.audit }, async (req) => {
    const limit = req.query.limit === undefined ? 50 : Number(req.query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw ApiError.badRequest("'limit' must be a whole number from 1 to 500.", 'limit');
    const page = await admin.audit().list({ limit, after: typeof req.query.after === 'string' && req.query.after ? req.query.after : undefined });
    return { data: page.data.map(wireAudit), has_more: page.hasMore, last_id: page.data[page.data.length - 1]?.id ?? null };
  });
  app.get('/api/admin/audit.jsonl', { ...allow('admin'), schema: docs.auditExport }, async (_req, reply) => {
    const events = admin.audit().all();
    reply.type('application/x-ndjson; charset=utf-8').header('content-disposition', 'attachment; filename="melies-audit.jsonl"');
    return reply.send(Readable.from((async function* () { for await (const e of events) yield `${JSON.stringify(wireAudit(e))}\n`; })()));
  });
}
