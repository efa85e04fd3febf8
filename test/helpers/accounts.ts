// Multi-user test servers on SQLite and on PostgreSQL (a throwaway schema each), and small
// clients that act as a signed-in browser (cookie + CSRF token) or an API-key holder.
import { randomBytes } from 'node:crypto';
import { openPostgres, openSqlite, type Database } from '../../src/db/database.js';
import { postgresUrl } from '../../src/db/test-databases.js';
import type { ConfigInput } from '../../src/config/config.js';
import { serverBackends, startTestServer, type ServerBackend, type TestServer } from './server.js';
import { join } from 'node:path';

export interface AccountServer extends TestServer {
  /** A direct connection to the server's database, for setting up states HTTP cannot (an expired key). */
  openDb(): Promise<Database>;
}

export const accountBackends = serverBackends;

export async function startAccountServer(db: ServerBackend, over: ConfigInput = {}, opts: { workers?: boolean } = {}): Promise<AccountServer> {
  const server = await startTestServer({ ...over, auth: { mode: 'multi', ...over.auth } }, { ...opts, db });
  return {
    ...server,
    openDb: () => (server.schema ? openPostgres(postgresUrl, { searchPath: server.schema, max: 1 }) : openSqlite(join(server.dataDir, 'melies.db'))),
  };
}

export interface Reply {
  status: number;
  json: any;
  headers: Headers;
}

/** Someone calling the server: with a session cookie (and its CSRF token), an API key, or nothing. */
export class Caller {
  constructor(readonly base: string, readonly auth: { cookie?: string; csrf?: string; key?: string } = {}, readonly userId?: string) {}

  async call(method: string, path: string, body?: unknown, extra: Record<string, string> = {}): Promise<Reply> {
    const headers: Record<string, string> = { ...extra };
    if (this.auth.key) headers.authorization = `Bearer ${this.auth.key}`;
    if (this.auth.cookie) headers.cookie = this.auth.cookie;
    if (this.auth.csrf && method !== 'GET' && !('x-csrf-token' in extra)) headers['x-csrf-token'] = this.auth.csrf;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${this.base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    let json: any = text;
    try { json = JSON.parse(text); } catch { /* not JSON */ }
    return { status: res.status, json, headers: res.headers };
  }

  get = (path: string) => this.call('GET', path);
  post = (path: string, body?: unknown) => this.call('POST', path, body ?? {});
  put = (path: string, body: unknown) => this.call('PUT', path, body);
  del = (path: string) => this.call('DELETE', path);

  withKey(key: string): Caller {
    return new Caller(this.base, { key }, this.userId);
  }

  /** The same credentials at another server of the same deployment. */
  withBase(base: string): Caller {
    return new Caller(base, this.auth, this.userId);
  }
}

export function sessionFrom(base: string, r: Reply): Caller {
  if (r.status !== 200) throw new Error(`sign-in failed: ${r.status} ${JSON.stringify(r.json)}`);
  const cookie = (r.headers.get('set-cookie') ?? '').split(';')[0]!;
  return new Caller(base, { cookie, csrf: r.json.csrf_token }, r.json.user.id);
}

export async function setupAdmin(server: AccountServer, email = 'admin@example.org'): Promise<Caller> {
  const token = /#token=(.+)$/.exec(server.setupUrl ?? '')?.[1];
  if (!token) throw new Error('no setup link');
  return sessionFrom(server.url, await new Caller(server.url).post('/api/auth/setup', { token, email, password: 'correct horse battery' }));
}

let counter = 0;
/** A new member on `plan`, signed in through an invite the admin issues. */
export async function newMember(server: AccountServer, admin: Caller, plan = 'free', email?: string): Promise<Caller> {
  const invite = await admin.post('/api/admin/invites', { plan, max_uses: 1 });
  if (invite.status !== 200) throw new Error(`invite failed: ${JSON.stringify(invite.json)}`);
  const r = await new Caller(server.url).post('/api/auth/register', { email: email ?? `user${++counter}-${randomBytes(3).toString('hex')}@example.org`, password: 'a long enough password', invite_code: invite.json.code });
  return sessionFrom(server.url, r);
}

export async function keyFor(session: Caller, scopes?: string[]): Promise<Caller> {
  const r = await session.post('/api/keys', { name: 'test', ...(scopes ? { scopes } : {}) });
  if (r.status !== 200) throw new Error(`key failed: ${JSON.stringify(r.json)}`);
  return session.withKey(r.json.key);
}

export async function waitStatus(c: Caller, id: string, done: (s: string) => boolean, timeoutMs = 60_000): Promise<any> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const r = await c.get(`/v1/videos/${id}`);
    if (r.status === 200 && done(r.json.status)) return r.json;
    if (Date.now() > end) throw new Error(`timed out; last ${JSON.stringify(r.json).slice(0, 300)}`);
    await new Promise((res) => setTimeout(res, 100));
  }
}

/**
 * For a multi-user `melies serve` child process: the admin (from the setup link it printed) and a
 * member on the pro plan, signed in through an invite, holding an API key.
 */
export async function adminAndMemberOfProcess(url: string, output: string): Promise<{ admin: Caller; member: Caller }> {
  const token = /\/setup#token=([A-Za-z0-9_-]+)/.exec(output)?.[1];
  if (!token) throw new Error(`no setup link in the server's output:\n${output}`);
  const anon = new Caller(url);
  const admin = sessionFrom(url, await anon.post('/api/auth/setup', { token, email: 'admin@example.org', password: 'correct horse battery' }));
  const invite = await admin.post('/api/admin/invites', { plan: 'pro' });
  const session = sessionFrom(url, await anon.post('/api/auth/register', { email: 'm@example.org', password: 'a long enough password', invite_code: invite.json.code }));
  return { admin, member: await keyFor(session) };
}
