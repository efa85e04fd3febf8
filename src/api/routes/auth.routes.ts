// /api/session, /api/auth/* (setup, register, login, logout, sessions), /api/keys, /api/usage:
// the signed-in user's own account. Thin: parse, call one service, map.
import { allow, allowAnyoneIdentified } from '../access.js';
import { authSchemas as docs } from '../schemas/account.schemas.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../../domain/errors.js';
import type { AdminService } from '../../services/accounts/admin.service.js';
import type { AuthService, SignedIn } from '../../services/accounts/auth.service.js';
import type { Authenticator } from '../../services/accounts/authenticator.js';
import { wireKey, wireSession, wireUsage, wireUser } from '../../services/accounts/account.wire.js';
import { clearSessionCookie, setSessionCookie } from '../cookies.js';
import { requestContext, who } from '../principal.js';

export interface AuthRouteDeps {
  authenticator: Authenticator;
  /** Null in local mode: there are no accounts to sign in to. */
  auth: AuthService | null;
  admin: AdminService;
}

const body = (req: FastifyRequest) => (req.body && typeof req.body === 'object' ? req.body as Record<string, unknown> : {});

export function authRoutes(app: FastifyInstance, deps: AuthRouteDeps): void {
  const accounts = () => {
    if (!deps.auth) throw new ApiError(404, 'This server runs in local single-user mode: there are no accounts. Start it with MELIES_AUTH=multi to share it.', { code: 'local_mode' });
    return deps.auth;
  };
  const signedIn = (req: FastifyRequest, reply: FastifyReply, s: SignedIn) => {
    setSessionCookie(req, reply, s.token, s.session.expiresAt);
    return { user: wireUser(s.user), csrf_token: s.session.csrfToken };
  };

  app.get('/api/session', { ...allowAnyoneIdentified(), schema: docs.session }, async (req) => {
    const p = req.principal;
    const multi = deps.authenticator.mode === 'multi';
    return {
      mode: deps.authenticator.mode,
      login_required: multi && !p,
      setup_required: multi && (await deps.auth!.needsSetup()),
      registration: multi ? deps.auth!.registration : 'closed',
      user: p && p.via !== 'local' ? await deps.admin.userView(p.userId) : null,
      csrf_token: p?.csrfToken ?? null,
    };
  });

  app.post('/api/auth/setup', { ...allow('public'), schema: docs.setup }, async (req, reply) => signedIn(req, reply, await accounts().setup(body(req), requestContext(req))));
  app.post('/api/auth/register', { ...allow('public'), schema: docs.register }, async (req, reply) => signedIn(req, reply, await accounts().register(body(req), requestContext(req))));
  app.post('/api/auth/login', { ...allow('public'), schema: docs.login }, async (req, reply) => signedIn(req, reply, await accounts().login(body(req), requestContext(req))));

  app.post('/api/auth/logout', { ...allow('session'), schema: docs.logout }, async (req, reply) => {
    await accounts().logout(who(req));
    clearSessionCookie(req, reply);
    return { ok: true };
  });
  app.post('/api/auth/logout-all', { ...allow('session'), schema: docs.logoutAll }, async (req, reply) => {
    const ended = await accounts().logoutEverywhere(who(req), requestContext(req));
    clearSessionCookie(req, reply);
    return { ok: true, ended };
  });
  app.get('/api/auth/sessions', { ...allow('session'), schema: docs.sessions }, async (req) => {
    const p = who(req);
    return { data: (await accounts().listSessions(p.userId)).map((s) => wireSession(s, p.sessionId)) };
  });

  app.get('/api/keys', { ...allow('session'), schema: docs.keys }, async (req) => ({ data: (await accounts().listKeys(who(req).userId)).map(wireKey) }));
  app.post('/api/keys', { ...allow('session'), schema: docs.createKey }, async (req) => {
    const made = await accounts().createKey(who(req), body(req), requestContext(req));
    return { ...wireKey(made.key), key: made.secret };
  });
  app.post<{ Params: { id: string } }>('/api/keys/:id/revoke', { ...allow('session'), schema: docs.revokeKey }, async (req) => wireKey(await accounts().revokeKey(who(req), req.params.id, {}, requestContext(req))));

  app.get('/api/usage', { ...allow('member'), schema: docs.usage }, async (req) => {
    const p = who(req);
    return wireUsage(await deps.admin.usage(p.userId, p.plan));
  });
}
