// Who is calling, and may they: runs before every route. The matched route's own rule
// (`config.access`, see access.ts) decides; the URL's spelling never does. Resolves the principal
// (API key or session cookie; the local user in local mode), then enforces, in order: CSRF for
// cookie-authenticated writes, session-only routes, scopes, and the per-principal rate limit.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { hasScope } from '../domain/account.js';
import { ApiError } from '../domain/errors.js';
import type { Authenticator } from '../services/accounts/authenticator.js';
import { sameSecret } from '../services/accounts/secrets.js';
import { accessOf, isSafeMethod, scopeFor } from './access.js';
import { readSessionCookie } from './cookies.js';
import { RateLimiter } from './rate-limit.js';
import type { Coordination } from '../coordination/coordination.js';
import type { Principal } from '../domain/account.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

function bearerOf(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  if (!h) return undefined;
  const m = /^Bearer\s+(.+)$/i.exec(h.trim());
  return m ? m[1]!.trim() : h.trim();
}

/** A browser's own statement that a request comes from another site (absent in non-browser clients). */
function crossSite(req: FastifyRequest): boolean {
  const site = req.headers['sec-fetch-site'];
  return typeof site === 'string' && site !== 'same-origin' && site !== 'none';
}

export function registerAuth(app: FastifyInstance, auth: Authenticator, opts: { requestsPerMinute: number; coordination?: Coordination }): void {
  // Shared by every API server when `coordination` is (Redis): the limit is per key, not per server.
  const limiter = new RateLimiter(opts.requestsPerMinute, 60_000, opts.coordination);
  app.decorateRequest('principal', null);

  app.addHook('onRequest', async (req, reply) => {
    const access = accessOf(req);
    if (access === 'not_found') return;
    const open = access === 'public';
    // Signing in from another site's page is refused (login CSRF), like any cookie write below.
    if (open && !isSafeMethod(req.method) && crossSite(req)) {
      throw new ApiError(403, 'Cross-site sign-in requests are refused.', { code: 'csrf_failed' });
    }
    // Health checks, the studio's files, sign-in forms: no credentials to look up.
    if (open && !req.routeOptions.config.identify) return;

    const result = await auth.authenticate({ bearer: bearerOf(req), sessionToken: readSessionCookie(req), address: req.ip ?? null });
    if ('principal' in result) req.principal = result.principal;
    else if (!open) {
      throw result.failure === 'invalid_key'
        ? new ApiError(401, 'Incorrect API key: it is malformed, unknown, expired or revoked. Create a new one in the studio under Settings.', { code: 'invalid_api_key' })
        : new ApiError(401, 'Sign in to the studio, or send an API key: Authorization: Bearer mls_…', { code: 'unauthorized' });
    }
    const p = req.principal;
    if (!p || open) return;

    if (p.via === 'session' && !isSafeMethod(req.method)) {
      const token = req.headers['x-csrf-token'];
      if (crossSite(req) || typeof token !== 'string' || !p.csrfToken || !sameSecret(token, p.csrfToken)) {
        throw new ApiError(403, 'This request did not come from the studio page (missing or wrong x-csrf-token); reload the page and try again.', { code: 'csrf_failed' });
      }
    }
    if (access === 'session' && p.via === 'key') {
      throw new ApiError(403, 'API keys cannot manage keys or sessions; sign in to the studio for that.', { code: 'forbidden' });
    }
    const scope = scopeFor(access, req.method);
    if (!hasScope(p, scope)) {
      throw new ApiError(403, `This ${p.via === 'key' ? 'API key' : 'account'} lacks the '${scope}' permission.`, { code: 'forbidden' });
    }
    if (p.via !== 'local') {
      const wait = await limiter.take(p.keyId ?? p.userId);
      if (wait > 0) {
        const seconds = Math.ceil(wait / 1000);
        reply.header('retry-after', String(seconds));
        throw new ApiError(429, `Too many requests: this ${p.via === 'key' ? 'key' : 'account'} may make ${opts.requestsPerMinute} a minute. Try again in ${seconds} s.`, { code: 'rate_limited', type: 'rate_limit_error', headers: { 'retry-after': String(seconds) } });
      }
    }
  });
}
