// Request targets (RFC 9112 §3.2): this server serves origin-form ("/v1/videos?limit=2") and, as
// HTTP/1.1 requires of servers, absolute-form naming itself ("http://127.0.0.1:8080/v1/videos").
// Absolute-form is turned into origin-form before routing, so every hook, the router and the logs
// see one spelling; the host it names is checked like a Host header (it replaces it, §3.2.2).
// Anything else (asterisk-form, authority-form, other schemes, credentials in the URL) is refused.
import { ApiError } from '../domain/errors.js';

const ABSOLUTE = /^https?:\/\/([^/?#]*)([^#]*)$/i;

/** For Fastify's rewriteUrl: the origin-form of an absolute-form target; anything else unchanged. */
export function toOriginForm(target: string): string {
  if (target.startsWith('/')) return target;
  const m = ABSOLUTE.exec(target);
  if (!m || m[1]!.includes('@')) return target; // refused by checkTarget
  const rest = m[2]!;
  return rest.startsWith('/') ? rest : `/${rest}`;
}

/**
 * What the original request target says about where it was sent: origin-form (use the Host
 * header), absolute-form (its own authority), or a form this server does not serve (refused).
 */
export function targetAuthority(original: string): { form: 'origin' } | { form: 'absolute'; authority: string } {
  if (original.startsWith('/')) return { form: 'origin' };
  const m = ABSOLUTE.exec(original);
  if (m && m[1] && !m[1].includes('@')) return { form: 'absolute', authority: m[1] };
  throw new ApiError(400, `This server does not serve the request target '${original.slice(0, 80)}': send a path such as /v1/videos (or http://<this server>/v1/videos).`, { code: 'invalid_request_target' });
}

/** A NUL in the path or query (only `%00` can carry one: a raw NUL never gets past Node's parser). */
export function targetHasNul(target: string): boolean {
  return /%00/.test(target);
}
