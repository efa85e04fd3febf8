// Who may call what, for EVERY route the server registered (the list comes from the router, so a
// new route cannot be forgotten), in origin-form and in absolute-form, with no credentials, a
// member's key, a member's session and an admin's session, on SQLite and PostgreSQL. Issue 12
// item 1: `GET http://127.0.0.1/api/admin/users` used to skip authentication entirely.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeTable, type RouteEntry } from '../../src/api/route-table.js';
import { accountBackends, Caller, keyFor, newMember, setupAdmin, startAccountServer, type AccountServer } from '../helpers/accounts.js';
import { rawRequest, type RawReply } from '../helpers/raw-http.js';
import { makeStudioFixture } from '../helpers/studio-fixture.js';

/**
 * The routes anyone may call. Written out here on purpose: a route that becomes public has to be
 * added to this list by hand, in review, never by accident.
 */
const PUBLIC = new Set([
  'GET /', 'GET /healthz', 'GET /readyz', 'GET /api/session',
  'POST /api/auth/setup', 'POST /api/auth/register', 'POST /api/auth/login',
  'GET /openapi.json', 'GET /docs',
  // Sharing (issue 14): public routes whose service answers 401 unless the operator opened the feed
  // (MELIES_PUBLIC_FEED=true); the policy itself is public so the studio knows what to show.
  'GET /api/sharing', 'GET /api/feed', 'GET /api/public/videos/:id', 'GET /api/public/videos/:id/content',
  'GET /api/public/videos/:id/thumbnail', 'GET /api/users/:handle', 'GET /v/:id',
  // anyone may check a file's signed provenance (issue 14 §4)
  'POST /api/verify',
  // the studio's built files (this test serves a two-file build)
  'GET /index.html', 'GET /assets/app-1234.js',
]);
const withHead = (set: Set<string>) => new Set([...set, ...[...set].filter((r) => r.startsWith('GET ')).map((r) => `HEAD ${r.slice(4)}`)]);

type Who = 'anonymous' | 'member key' | 'member session' | 'admin session';
const DENIED = new Set(['unauthorized', 'invalid_api_key', 'forbidden', 'csrf_failed']);

/** A concrete path for a route pattern: ids that do not exist (a 404 is "let through"). */
function pathFor(r: RouteEntry): string {
  return r.url
    .replace(':id', r.url.startsWith('/api/admin/users') ? 'usr_00000000000000000000000000000000' : r.url.includes('keys') ? 'key_0000000000000000' : r.url.includes('plans') ? 'testplan' : 'video_00000000000000000000000000000000')
    .replace(':code', 'inv_00000000')
    .replace(':handle', 'nobody_here')
    .replace(':engine', 'sketch')
    .replace('*', 'sketch');
}

function expected(r: RouteEntry, who: Who): 'allowed' | 'unauthorized' | 'forbidden' {
  if (r.access === 'public') return 'allowed';
  if (who === 'anonymous') return 'unauthorized';
  if (r.access === 'admin') return who === 'admin session' ? 'allowed' : 'forbidden';
  if (r.access === 'session') return who === 'member key' ? 'forbidden' : 'allowed';
  return 'allowed';
}

function outcome(r: RawReply, method: string): 'allowed' | 'unauthorized' | 'forbidden' {
  // A HEAD answer has no body to read the code from: its status says it.
  const code = method === 'HEAD' ? (r.status === 401 ? 'unauthorized' : 'forbidden') : r.json?.error?.code;
  if (r.status === 401 && DENIED.has(code)) return 'unauthorized';
  if (r.status === 403 && DENIED.has(code)) return 'forbidden';
  return 'allowed';
}

for (const db of await accountBackends()) {
  describe(`route access on ${db}`, () => {
    let server: AccountServer;
    let studio: string;
    let callers: Record<Who, Caller>;
    let routes: RouteEntry[];

    beforeAll(async () => {
      studio = makeStudioFixture();
      // The feed open to everyone, so the sharing routes answer anonymous HEADs as public routes do
      // (members-only feeds answer 401 login_required: test/api/sharing.test.ts).
      server = await startAccountServer(db, { studioDir: studio, sharing: { publicFeed: true } });
      const admin = await setupAdmin(server);
      const member = await newMember(server, admin, 'pro');
      callers = { anonymous: new Caller(server.url), 'member key': await keyFor(member), 'member session': member, 'admin session': admin };
      routes = routeTable(server.api);
    });
    afterAll(async () => {
      await server?.stop();
      rmSync(studio, { recursive: true, force: true });
    });

    it('knows every route, and exactly the listed ones are public', () => {
      expect(routes.length).toBeGreaterThan(40);
      const publicRoutes = new Set(routes.filter((r) => r.access === 'public').map((r) => `${r.method} ${r.url}`));
      expect(publicRoutes).toEqual(withHead(PUBLIC));
      for (const r of routes.filter((x) => x.url.startsWith('/api/admin'))) expect(r.access, `${r.method} ${r.url}`).toBe('admin');
      // Characters (issue 15 §3) name people: members only, every one of their routes.
      const characterRoutes = routes.filter((x) => x.url.includes('/characters'));
      expect(characterRoutes.length).toBeGreaterThanOrEqual(11);
      for (const r of characterRoutes) expect(r.access, `${r.method} ${r.url}`).toBe('member');
    });

    it('lets through or refuses each route by its own rule, the same in origin-form and absolute-form', async () => {
      // Sign-outs end the caller's session: they run last, each with a session of its own.
      const last = (r: RouteEntry) => (r.url.startsWith('/api/auth/logout') ? 1 : 0);
      const failures: string[] = [];
      for (const r of [...routes].sort((a, b) => last(a) - last(b))) {
        const calls = (Object.keys(callers) as Who[]).flatMap((who) => {
          const path = pathFor(r);
          const want = expected(r, who);
          return [path, `http://127.0.0.1:${new URL(server.url).port}${path}`].map((target) => async () => {
            let caller = callers[who];
            if (last(r) && who.endsWith('session')) caller = who === 'admin session' ? await setupFresh(server, caller) : await newMember(server, callers['admin session'], 'pro');
            const headers: Record<string, string> = {};
            if (caller.auth.key) headers.authorization = `Bearer ${caller.auth.key}`;
            if (caller.auth.cookie) headers.cookie = caller.auth.cookie;
            if (caller.auth.csrf) headers['x-csrf-token'] = caller.auth.csrf;
            const body = ['POST', 'PUT', 'PATCH'].includes(r.method) ? '{}' : undefined;
            if (body) headers['content-type'] = 'application/json';
            const got = outcome(await rawRequest(server.url, { method: r.method, target, headers, body }), r.method);
            if (got !== want) failures.push(`${who}: ${r.method} ${target} → ${got}, expected ${want}`);
          });
        });
        // One route's eight calls at once (four callers, two spellings): a busy machine runs this
        // faster. Sign-outs one at a time: signing out everywhere also ends the session the other
        // spelling's call just opened for the same admin.
        if (last(r)) for (const c of calls) await c();
        else await Promise.all(calls.map((c) => c()));
      }
      expect(failures).toEqual([]);
    });

    it('never answers an admin route without credentials, whatever the request target says', async () => {
      const port = new URL(server.url).port;
      for (const target of [
        'http://127.0.0.1/api/admin/users', `http://127.0.0.1:${port}/api/admin/users`, 'HTTP://LOCALHOST/api/admin/invites',
        'http://localhost/api/admin/audit.jsonl', `http://127.0.0.1:${port}/api/admin/plans?x=1`, 'http://127.0.0.1/%61pi/admin/pauses',
        'http://127.0.0.1/v1/models',
      ]) {
        const r = await rawRequest(server.url, { target });
        expect(r.status, target).toBe(401);
        expect(r.json.error.code).toBe('unauthorized');
        expect(r.text).not.toContain('@example.org');
      }
    });

    it('refuses request targets this server does not serve', async () => {
      // Another host named in the target: the same guard as a foreign Host header.
      const foreign = await rawRequest(server.url, { target: 'http://evil.example/api/admin/users' });
      expect(foreign.status).toBe(403);
      expect(foreign.json.error.code).toBe('host_not_allowed');
      for (const [method, target] of [['OPTIONS', '*'], ['GET', 'ftp://127.0.0.1/api/admin/users'], ['GET', 'http://admin:pw@127.0.0.1/api/admin/users']] as const) {
        const r = await rawRequest(server.url, { method, target });
        expect(r.status, target).toBe(400);
        expect(r.json.error).toMatchObject({ code: 'invalid_request_target', type: 'invalid_request_error' });
      }
    });
  });
}

/** Another admin session (the admin signs in again), so signing one out leaves the others. */
async function setupFresh(server: AccountServer, admin: Caller): Promise<Caller> {
  const r = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@example.org', password: 'correct horse battery' }) });
  const json = await r.json() as { csrf_token: string };
  const cookie = (r.headers.get('set-cookie') ?? '').split(';')[0]!;
  return new Caller(server.url, { cookie, csrf: json.csrf_token }, admin.userId);
}
