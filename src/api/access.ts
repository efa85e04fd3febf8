// Who may call a route is part of the route itself (its `config.access`), decided from the route
// the router matched, never from the URL string: a request target the router understands in
// another spelling (absolute-form, percent-encoding, a trailing slash) lands on the same route and
// the same rule. A route that says nothing is admin-only (deny by default); public routes opt out.
import type { FastifyRequest } from 'fastify';
import type { Scope } from '../domain/account.js';

/**
 * - public: anyone, with or without credentials (a principal is attached when they are valid);
 * - member: any signed-in user or API key: `videos:read` for GET/HEAD, `videos:write` otherwise;
 * - session: a signed-in browser session only (an API key cannot mint keys or end sessions);
 * - admin: the `admin` scope (operators).
 */
export type Access = 'public' | 'member' | 'session' | 'admin';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /**
     * A public route that wants to know who is calling when they say (GET /api/session): their
     * credentials are checked and the principal attached. Other public routes skip that lookup.
     */
    identify?: boolean;
  }
}

/** Route options declaring who may call it: `app.get('/x', allow('member'), handler)`. */
export function allow(access: Access): { config: { access: Access } } {
  return { config: { access } };
}

/** A public route that also attaches the caller's principal when their credentials are valid. */
export function allowAnyoneIdentified(): { config: { access: 'public'; identify: true } } {
  return { config: { access: 'public', identify: true } };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isSafeMethod(method: string): boolean {
  return SAFE_METHODS.has(method);
}

/**
 * The matched route's rule. No route matched: the not-found handler answers (a 404, or the
 * studio's page), which shows nothing that needs a rule.
 */
export function accessOf(req: FastifyRequest): Access | 'not_found' {
  if (req.routeOptions.url === undefined) return 'not_found';
  return req.routeOptions.config.access ?? 'admin';
}

/** The scope a principal needs for a route of this access, called with this method. */
export function scopeFor(access: Exclude<Access, 'public'>, method: string): Scope {
  if (access === 'admin') return 'admin';
  return isSafeMethod(method) ? 'videos:read' : 'videos:write';
}
