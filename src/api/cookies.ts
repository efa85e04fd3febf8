// The session cookie, without a cookie library: one name, one value. Behind TLS it is
// `__Host-melies_session` (Secure, Path=/, no Domain: the browser pins it to this origin); on plain
// http (loopback) browsers refuse Secure cookies, so it is `melies_session` there.
import type { FastifyReply, FastifyRequest } from 'fastify';

const SECURE_NAME = '__Host-melies_session';
const PLAIN_NAME = 'melies_session';

export function readSessionCookie(req: FastifyRequest): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  const want = req.protocol === 'https' ? SECURE_NAME : PLAIN_NAME;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === want) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

export function setSessionCookie(req: FastifyRequest, reply: FastifyReply, token: string, expiresAt: number): void {
  const secure = req.protocol === 'https';
  reply.header('set-cookie', `${secure ? SECURE_NAME : PLAIN_NAME}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Lax; Expires=${new Date(expiresAt).toUTCString()}${secure ? '; Secure' : ''}`);
}

export function clearSessionCookie(req: FastifyRequest, reply: FastifyReply): void {
  const secure = req.protocol === 'https';
  reply.header('set-cookie', `${secure ? SECURE_NAME : PLAIN_NAME}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${secure ? '; Secure' : ''}`);
}
