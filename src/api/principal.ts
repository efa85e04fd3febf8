// The principal the auth hook attached to a request (every /v1 and /api route has one).
import type { FastifyRequest } from 'fastify';
import type { Principal } from '../domain/account.js';
import { ApiError } from '../domain/errors.js';
import type { RequestContext } from '../services/accounts/auth.service.js';

export function who(req: FastifyRequest): Principal {
  if (!req.principal) throw new ApiError(401, 'Sign in, or send an API key.', { code: 'unauthorized' });
  return req.principal;
}

export function requestContext(req: FastifyRequest): RequestContext {
  const ua = req.headers['user-agent'];
  return { ip: req.ip ?? null, userAgent: typeof ua === 'string' ? ua : null };
}
