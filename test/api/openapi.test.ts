// GET /openapi.json and GET /docs (issue 12 §5: the studio API's page missed /api/videos, cancel,
// favourite and /api/engines). The document is generated from the router, so these tests check
// three things on a real multi-user server, on SQLite and PostgreSQL: every registered route is
// in it with its method and access rule; it holds together as OpenAPI 3.1 (refs resolve, path
// parameters are declared); and it is TRUE: the routes are called for real and every answer is
// validated against the schema documented for its status, in a closed world (no undocumented
// field may appear). The last test checks that every documented operation was seen succeeding.
import { readFileSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { documentedRoutes, openApiPath, type OpenApiDocument } from '../../src/api/openapi.js';
import { routeTable } from '../../src/api/route-table.js';
import { accountBackends, Caller, startAccountServer, type AccountServer } from '../helpers/accounts.js';
import { solidPng } from '../helpers/media.js';
import { contentType, DocumentChecker, refsIn, resolvePointer } from '../helpers/openapi.js';
import { waitFor } from '../helpers/server.js';
import { makeStudioFixture, STUDIO_FIXTURE_FILES } from '../helpers/studio-fixture.js';

const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
const ONE_SECOND = { prompt: 'a red balloon over the sea at dusk', seconds: '1', size: '320x180', fps: 12 };
const LONG = { prompt: 'a storm over the city at night', seconds: '20', size: '1920x1080', fps: 30 };

interface Answer { status: number; json: any; text: string; headers: Headers }

for (const db of await accountBackends()) {
  describe(`the OpenAPI document on ${db}`, () => {
    let server: AccountServer;
    let studio: string;
    let doc: OpenApiDocument;
    let checker: DocumentChecker;
    const problems: string[] = [];

    /** Calls a route by its documented template, checks the answer against the document, returns it. */
    async function call(who: Caller, method: string, template: string, opts: { params?: Record<string, string>; query?: string; body?: unknown; headers?: Record<string, string>; refused?: boolean } = {}): Promise<Answer> {
      const path = template.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(opts.params?.[name] ?? ''));
      const headers: Record<string, string> = { ...opts.headers };
      if (who.auth.key) headers.authorization = `Bearer ${who.auth.key}`;
      if (who.auth.cookie) headers.cookie = who.auth.cookie;
      if (who.auth.csrf && method !== 'GET') headers['x-csrf-token'] = who.auth.csrf;
      let body: string | FormData | undefined;
      if (opts.body instanceof FormData) body = opts.body;
      else if (opts.body !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(opts.body);
        // A body sent to be refused is not one the document promises to take.
        if (!opts.refused) problems.push(...checker.request(method, template, 'application/json', opts.body));
      }
      const res = await fetch(`${server.url}${path}${opts.query ? `?${opts.query}` : ''}`, { method, headers, body });
      const text = await res.text();
      let json: any = null;
      try { json = JSON.parse(text); } catch { /* not JSON */ }
      problems.push(...checker.answer(method, template, res.status, res.headers, contentType(res.headers) === 'application/json' ? json : text));
      return { status: res.status, json, text, headers: res.headers };
    }
    const expectOk = (r: Answer, what: string) => expect(r.status, `${what}: ${r.text.slice(0, 300)}`).toBe(200);
    const done = (who: Caller, id: string) => waitFor(() => who.get(`/v1/videos/${id}`).then((r) => r.json), (v) => v.status === 'completed' || v.status === 'failed');

    let admin: Caller;
    let member: Caller;
    let memberKey: Caller;
    const anonymous = () => new Caller(server.url);

    beforeAll(async () => {
      studio = makeStudioFixture();
      server = await startAccountServer(db, { studioDir: studio });
      const r = await fetch(`${server.url}/openapi.json`);
      doc = await r.json() as OpenApiDocument;
      checker = new DocumentChecker(doc);
    });
    afterAll(async () => {
      await server?.stop();
      rmSync(studio, { recursive: true, force: true });
    });
    beforeEach(() => { problems.length = 0; });

    it('is served to anyone as OpenAPI 3.1 JSON naming this server, and as a self-contained page', async () => {
      const json = await fetch(`${server.url}/openapi.json`);
      expect(json.status).toBe(200);
      expect(contentType(json.headers)).toBe('application/json');
      expect(doc.openapi).toBe('3.1.0');
      expect(doc.info.version).toBe(VERSION);
      expect(doc.servers).toEqual([{ url: server.url }]);

      const page = await fetch(`${server.url}/docs`);
      expect(page.status).toBe(200);
      expect(contentType(page.headers)).toBe('text/html');
      const csp = page.headers.get('content-security-policy')!;
      expect(csp).toMatch(/default-src 'none'/);
      expect(csp).not.toMatch(/unsafe-inline|script-src/);
      const html = await page.text();
      expect(html).not.toMatch(/<script|<link|\ssrc=|@import|url\(/i);
      for (const [path, methods] of Object.entries(doc.paths)) {
        for (const op of Object.values(methods)) {
          expect(html, op.operationId).toContain(`id="op-${op.operationId}"`);
          expect(html).toContain(`<code>${path.replace(/&/g, '&#38;')}</code>`);
        }
      }
      for (const name of Object.keys(doc.components.schemas)) expect(html).toContain(`id="schema-${name}"`);
      // Every in-page link lands somewhere.
      const ids = new Set([...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]));
      for (const [, target] of html.matchAll(/href="#([^"]+)"/g)) expect(ids.has(target), target).toBe(true);
    });

    it('documents every registered route with its method and access rule', () => {
      const routes = routeTable(server.api);
      const documented = documentedRoutes(routes);
      const operations = Object.values(doc.paths).flatMap((m) => Object.keys(m));
      expect(operations.length).toBe(documented.length);
      for (const r of routes) {
        const path = openApiPath(r.url, (r.schema as { params?: Record<string, unknown> } | undefined)?.params);
        if (documented.includes(r)) {
          const op = doc.paths[path]?.[r.method.toLowerCase()];
          expect(op, `${r.method} ${r.url}`).toBeDefined();
          expect(op!['x-melies-access'], `${r.method} ${r.url}`).toBe(r.access);
          expect(op!.summary, `${r.method} ${r.url} has no schema`).not.toBe(`${r.method} ${r.url}`);
          expect(op!.security.length === 0, `${r.method} ${r.url}`).toBe(r.access === 'public');
        } else if (r.method === 'HEAD' && documented.some((g) => g.method === 'GET' && g.url === r.url)) {
          expect(doc.paths[path]?.get, `HEAD ${r.url} without its GET`).toBeDefined();
        } else {
          // Left out: only the studio's built files, each a route of its own.
          expect(STUDIO_FIXTURE_FILES, `${r.method} ${r.url} is hidden`).toContain(r.url);
        }
      }
      for (const must of ['/v1/videos', '/api/videos', '/api/videos/{id}/cancel', '/api/videos/{id}/favorite', '/api/engines', '/v1/models/{model}']) {
        expect(Object.keys(doc.paths)).toContain(must);
      }
    });

    it('holds together: refs resolve, path parameters are declared, ids are unique, schemas compile', () => {
      for (const ref of refsIn(doc)) expect(resolvePointer(doc, ref), ref).toBeDefined();
      const ids = new Set<string>();
      const tags = new Set(doc.tags.map((t) => t.name));
      for (const [path, methods] of Object.entries(doc.paths)) {
        const inPath = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
        for (const [method, op] of Object.entries(methods)) {
          const where = `${method} ${path}`;
          expect(ids.has(op.operationId), where).toBe(false);
          ids.add(op.operationId);
          const declared = (op.parameters ?? []).filter((p) => p.in === 'path');
          expect(declared.map((p) => p.name).sort(), where).toEqual(inPath);
          expect(declared.every((p) => p.required), where).toBe(true);
          expect(op.tags.length, where).toBe(1);
          expect(tags.has(op.tags[0]!), where).toBe(true);
          expect(Object.keys(op.responses).some((s) => /^2\d\d$/.test(s)), where).toBe(true);
          for (const [status, response] of Object.entries(op.responses)) {
            expect(response.description, `${where} ${status}`).toBeTruthy();
            for (const media of Object.values(response.content ?? {})) expect(() => checker.problems(media.schema, null)).not.toThrow();
          }
          for (const requirement of op.security) for (const scheme of Object.keys(requirement)) expect(doc.components.securitySchemes, where).toHaveProperty(scheme);
        }
      }
    });

    it('documents what the account routes answer', async () => {
      const setupToken = /#token=(.+)$/.exec(server.setupUrl ?? '')![1]!;
      expect((await call(anonymous(), 'GET', '/api/session')).json.setup_required).toBe(true);
      const setup = await call(anonymous(), 'POST', '/api/auth/setup', { body: { token: setupToken, email: 'admin@example.org', password: 'correct horse battery' } });
      expectOk(setup, 'setup');
      admin = new Caller(server.url, { cookie: setup.headers.get('set-cookie')!.split(';')[0]!, csrf: setup.json.csrf_token }, setup.json.user.id);

      const invite = await call(admin, 'POST', '/api/admin/invites', { body: { plan: 'pro', max_uses: 2, expires_in_days: 7 } });
      expectOk(invite, 'invite');
      const registered = await call(anonymous(), 'POST', '/api/auth/register', { body: { email: 'ada@example.org', password: 'a long enough password', invite_code: invite.json.code } });
      expectOk(registered, 'register');
      const login = await call(anonymous(), 'POST', '/api/auth/login', { body: { email: 'ada@example.org', password: 'a long enough password' } });
      expectOk(login, 'login');
      member = new Caller(server.url, { cookie: login.headers.get('set-cookie')!.split(';')[0]!, csrf: login.json.csrf_token }, login.json.user.id);
      expect((await call(anonymous(), 'POST', '/api/auth/login', { body: { email: 'ada@example.org', password: 'wrong password!' } })).status).toBe(401);

      expect((await call(member, 'GET', '/api/session')).json.user.email).toBe('ada@example.org');
      expectOk(await call(member, 'GET', '/api/auth/sessions'), 'sessions');
      const made = await call(member, 'POST', '/api/keys', { body: { name: 'laptop', scopes: ['videos:read', 'videos:write'], expires_in_days: 30 } });
      expectOk(made, 'create key');
      memberKey = member.withKey(made.json.key);
      const spare = await call(member, 'POST', '/api/keys', { body: { name: 'spare' } });
      expectOk(await call(member, 'POST', '/api/keys/{id}/revoke', { params: { id: spare.json.id } }), 'revoke key');
      expectOk(await call(member, 'GET', '/api/keys'), 'list keys');
      expectOk(await call(memberKey, 'GET', '/api/usage'), 'usage');
      expect((await call(memberKey, 'GET', '/api/keys')).status).toBe(403);
      expect((await call(anonymous(), 'GET', '/api/usage')).status).toBe(401);

      // Sign-outs, with sessions of their own.
      const again = async () => {
        const r = await call(anonymous(), 'POST', '/api/auth/login', { body: { email: 'ada@example.org', password: 'a long enough password' } });
        return new Caller(server.url, { cookie: r.headers.get('set-cookie')!.split(';')[0]!, csrf: r.json.csrf_token });
      };
      expectOk(await call(await again(), 'POST', '/api/auth/logout'), 'logout');
      const second = await registerAnother(invite.json.code);
      expect((await call(second, 'POST', '/api/auth/logout-all')).json.ended).toBe(1);
      expect(problems).toEqual([]);
    });

    async function registerAnother(code: string): Promise<Caller> {
      const r = await call(anonymous(), 'POST', '/api/auth/register', { body: { email: 'grace@example.org', password: 'a long enough password', invite_code: code } });
      expectOk(r, 'register another');
      return new Caller(server.url, { cookie: r.headers.get('set-cookie')!.split(';')[0]!, csrf: r.json.csrf_token }, r.json.user.id);
    }

    it('documents what the video and model routes answer', async () => {
      expectOk(await call(memberKey, 'GET', '/v1/models'), 'models');
      expectOk(await call(memberKey, 'GET', '/v1/models/{model}', { params: { model: 'sketch' } }), 'model');
      expect((await call(memberKey, 'GET', '/v1/models/{model}', { params: { model: 'nope' } })).status).toBe(404);

      const a = await call(memberKey, 'POST', '/v1/videos', { body: { ...ONE_SECOND, seed: 7 } });
      expectOk(a, 'create');
      expect((await call(memberKey, 'POST', '/v1/videos', { body: { prompt: '' }, refused: true })).status).toBe(400);
      expect((await call(anonymous(), 'GET', '/v1/videos')).status).toBe(401);
      const form = new FormData();
      for (const [k, v] of Object.entries({ ...ONE_SECOND, prompt: 'a lighthouse from this picture' })) form.append(k, String(v));
      form.append('input_reference', new Blob([new Uint8Array(await solidPng('#3366cc', 320, 180))], { type: 'image/png' }), 'ref.png');
      const m = await call(memberKey, 'POST', '/v1/videos', { body: form });
      expectOk(m, 'create multipart');
      expect(m.json.status).toBe('queued');
      await done(memberKey, a.json.id);
      await done(memberKey, m.json.id);

      const retrieved = await call(memberKey, 'GET', '/v1/videos/{id}', { params: { id: a.json.id } });
      expect(retrieved.json.status).toBe('completed');
      // Answers are not cut down to their schema: the scene plan (free-form) arrives whole.
      expect(Object.keys(retrieved.json.plan ?? {}).length).toBeGreaterThan(0);
      expect((await call(memberKey, 'GET', '/v1/videos/{id}', { params: { id: 'video_00000000000000000000000000000000' } })).status).toBe(404);
      expect((await call(memberKey, 'GET', '/v1/videos', { query: 'limit=1&order=asc' })).json.has_more).toBe(true);
      expect((await call(memberKey, 'GET', '/v1/videos', { query: 'limit=many' })).status).toBe(400);

      const video = await call(memberKey, 'GET', '/v1/videos/{id}/content', { params: { id: a.json.id } });
      expect(contentType(video.headers)).toBe('video/mp4');
      const documentedHeaders = Object.keys(checker.operation('GET', '/v1/videos/{id}/content').responses['200']!.headers!);
      for (const h of documentedHeaders) expect(video.headers.get(h), h).toBeTruthy();
      expect(contentType((await call(memberKey, 'GET', '/v1/videos/{id}/content', { params: { id: a.json.id }, query: 'variant=thumbnail' })).headers)).toBe('image/webp');
      expect(contentType((await call(memberKey, 'GET', '/v1/videos/{id}/content', { params: { id: a.json.id }, query: 'variant=spritesheet' })).headers)).toBe('image/jpeg');
      const part = await call(memberKey, 'GET', '/v1/videos/{id}/content', { params: { id: a.json.id }, headers: { range: 'bytes=0-99' } });
      expect(part.status).toBe(206);
      expect(part.headers.get('content-range')).toMatch(/^bytes 0-99\//);
      expect((await call(memberKey, 'GET', '/v1/videos/{id}/content', { params: { id: a.json.id }, headers: { 'if-none-match': video.headers.get('etag')! } })).status).toBe(304);
      expect((await call(memberKey, 'GET', '/v1/videos/{id}/content', { params: { id: a.json.id }, headers: { range: 'bytes=999999999-' } })).status).toBe(416);

      const events = await call(memberKey, 'GET', '/v1/videos/{id}/events', { params: { id: a.json.id } });
      const data = [...events.text.matchAll(/^event: video\.(\w+)\ndata: (.+)$/gm)];
      expect(data.map((d) => d[1])).toEqual(['completed']);
      for (const [, , payload] of data) problems.push(...checker.problems({ $ref: '#/components/schemas/Video' }, JSON.parse(payload!)));

      const remix = await call(memberKey, 'POST', '/v1/videos/{id}/remix', { params: { id: a.json.id }, body: { prompt: 'the same balloon, at night' } });
      expectOk(remix, 'remix');
      await done(memberKey, remix.json.id);
      // Extensions (issue 15): JSON, and multipart with `video[id]` as the SDK sends it.
      const extended = await call(memberKey, 'POST', '/v1/videos/extensions', { body: { video: { id: a.json.id }, prompt: 'the balloon drifts on', seconds: '1' } });
      expectOk(extended, 'extend');
      expect(extended.json).toMatchObject({ kind: 'extension', source_video_id: a.json.id, seconds: '2' });
      const extendForm = new FormData();
      for (const [k, v] of Object.entries({ 'video[id]': a.json.id, prompt: 'and on', seconds: '1' })) extendForm.append(k, v);
      const extendedForm = await call(memberKey, 'POST', '/v1/videos/extensions', { body: extendForm });
      expectOk(extendedForm, 'extend multipart');
      expect((await call(memberKey, 'POST', '/v1/videos/extensions', { body: { video: { id: a.json.id }, prompt: 'no length' }, refused: true })).status).toBe(400);
      await done(memberKey, extended.json.id);
      const edited = await call(memberKey, 'POST', '/v1/videos/edits', { body: { video: { id: a.json.id }, prompt: 'make it night' } });
      expectOk(edited, 'edit');
      expect(edited.json).toMatchObject({ kind: 'edit', source_video_id: a.json.id });
      expect((await call(memberKey, 'POST', '/v1/videos/edits', { body: { video: { id: a.json.id } }, refused: true })).status).toBe(400);
      await done(memberKey, edited.json.id);
      // The studio block below expects the library to hold only the remix and its parent.
      for (const id of [extended.json.id, extendedForm.json.id, edited.json.id]) expectOk(await call(memberKey, 'DELETE', '/v1/videos/{id}', { params: { id } }), 'delete derived');
      expectOk(await call(memberKey, 'DELETE', '/v1/videos/{id}', { params: { id: m.json.id } }), 'delete');
      // Signed provenance: the sidecar, and verifying the file itself (anyone may).
      expectOk(await call(memberKey, 'GET', '/v1/videos/{id}/provenance', { params: { id: remix.json.id } }), 'provenance');
      expect((await call(memberKey, 'GET', '/v1/videos/{id}/provenance', { params: { id: 'video_00000000000000000000000000000000' } })).status).toBe(404);
      const mp4 = await fetch(`${server.url}/v1/videos/${remix.json.id}/content`, { headers: { authorization: `Bearer ${memberKey.auth.key}` } });
      const verifyForm = new FormData();
      verifyForm.append('file', new Blob([await mp4.arrayBuffer()], { type: 'video/mp4' }), 'remix.mp4');
      const verified = await call(anonymous(), 'POST', '/api/verify', { body: verifyForm });
      expectOk(verified, 'verify');
      expect(verified.json).toMatchObject({ state: 'trusted', made_here: true, video_id: remix.json.id });
      expect((await call(anonymous(), 'POST', '/api/verify', { body: new FormData() })).status).toBe(400);
      expect(problems).toEqual([]);
      remixed = { parent: a.json.id, child: remix.json.id };
    });
    let remixed: { parent: string; child: string };

    it('documents what the studio routes answer', async () => {
      const library = await call(member, 'GET', '/api/videos', { query: 'limit=10&status=completed' });
      expect(library.json.data.map((v: any) => v.id)).toEqual([remixed.child, remixed.parent]);
      expect((await call(member, 'GET', '/api/videos', { query: 'status=sleeping' })).status).toBe(400);
      const child = await call(member, 'GET', '/api/videos/{id}', { params: { id: remixed.child } });
      expect(child.json.lineage.parent.id).toBe(remixed.parent);
      expect((await call(member, 'GET', '/api/videos/{id}', { params: { id: remixed.parent } })).json.lineage.children).toHaveLength(1);
      expect((await call(member, 'PUT', '/api/videos/{id}/favorite', { params: { id: remixed.parent }, body: { favorite: true } })).json.favorite).toBe(true);
      // The handler's own words, not a schema validator's: the schemas document, they do not validate.
      const refused = await member.put(`/api/videos/${remixed.parent}/favorite`, { favorite: 'yes' });
      expect(refused.status).toBe(400);
      expect(refused.json.error.message).toBe('Send a JSON body {"favorite": true} or {"favorite": false}.');

      // One long video runs; the next waits in the queue, with its place.
      const long = await call(memberKey, 'POST', '/v1/videos', { body: LONG });
      await waitFor(() => memberKey.get(`/v1/videos/${long.json.id}`).then((r) => r.json), (v) => v.status === 'in_progress');
      const running = await call(memberKey, 'GET', '/v1/videos/{id}', { params: { id: long.json.id } });
      expect(running.headers.get('openai-poll-after-ms')).toBe('1000');
      const waiting = await call(memberKey, 'POST', '/v1/videos', { body: ONE_SECOND });
      expect((await call(memberKey, 'GET', '/v1/videos/{id}', { params: { id: waiting.json.id } })).json.queue_position).toBe(0);
      expect((await call(member, 'GET', '/api/videos/{id}', { params: { id: waiting.json.id } })).json.queue_position).toBe(0);
      expect((await call(member, 'GET', '/api/videos', { query: 'status=active' })).json.data).toHaveLength(2);
      for (const id of [waiting.json.id, long.json.id]) {
        const cancelled = await call(member, 'POST', '/api/videos/{id}/cancel', { params: { id } });
        expect(cancelled.json.error.code).toBe('cancelled');
      }
      expect((await call(member, 'POST', '/api/videos/{id}/cancel', { params: { id: long.json.id } })).json.error.code).toBe('video_not_cancellable');
      expect(problems).toEqual([]);
    });

    it('documents what the sharing and moderation routes answer', async () => {
      const made = async (prompt: string) => {
        const r = await call(memberKey, 'POST', '/v1/videos', { body: { ...ONE_SECOND, prompt } });
        await done(memberKey, r.json.id);
        return r.json.id as string;
      };
      expect((await call(anonymous(), 'GET', '/api/sharing')).json.publish_policy).toBe('open');
      expect((await call(member, 'GET', '/api/profile')).json.handle).toMatch(/^[a-z0-9_]+$/);
      expect((await call(member, 'PUT', '/api/profile', { body: { handle: 'doc_member', display_name: 'Doc Member' } })).json.handle).toBe('doc_member');
      expect((await call(member, 'PUT', '/api/profile', { body: { handle: 'NO' }, refused: true })).status).toBe(400);

      const open = await made('a kite for the documentation');
      expect((await call(member, 'POST', '/api/videos/{id}/publish', { params: { id: open }, body: { title: 'Kite', remix: 'allow' } })).status).toBe(201);
      expect((await call(member, 'GET', '/api/videos/{id}/publication', { params: { id: open } })).json.status).toBe('published');
      expect((await call(admin, 'GET', '/api/feed', { query: 'sort=newest&limit=5' })).json.data[0].id).toBe(open);
      expect((await call(admin, 'GET', '/api/public/videos/{id}', { params: { id: open } })).json.author.handle).toBe('doc_member');
      expect(contentType((await call(admin, 'GET', '/api/public/videos/{id}/content', { params: { id: open } })).headers)).toBe('video/mp4');
      expect((await call(admin, 'GET', '/api/public/videos/{id}/content', { params: { id: open }, headers: { range: 'bytes=0-9' } })).status).toBe(206);
      expect(contentType((await call(admin, 'GET', '/api/public/videos/{id}/thumbnail', { params: { id: open } })).headers)).toBe('image/webp');
      expect((await call(admin, 'GET', '/api/users/{handle}', { params: { handle: 'doc_member' } })).json.published_count).toBe(1);
      expect(contentType((await call(anonymous(), 'GET', '/v/{id}', { params: { id: open }, headers: { accept: 'text/html' } })).headers)).toBe('text/html');

      const report = await call(admin, 'POST', '/api/public/videos/{id}/report', { params: { id: open }, body: { reason: 'Testing the queue' } });
      expect(report.status).toBe(201);
      expect((await call(admin, 'GET', '/api/admin/reports')).json.data[0].reporter.handle).toBeTruthy();
      expect((await call(admin, 'POST', '/api/admin/reports/{id}/dismiss', { params: { id: report.json.id } })).json.status).toBe('dismissed');

      expect((await call(admin, 'PUT', '/api/admin/sharing', { body: { publish_policy: 'review' } })).json.publish_policy).toBe('review');
      expect((await call(admin, 'GET', '/api/admin/sharing')).json.publish_policy).toBe('review');
      const waiting = await made('a boat waiting for review');
      expect((await call(member, 'POST', '/api/videos/{id}/publish', { params: { id: waiting }, body: { title: 'Boat' } })).json.status).toBe('pending_review');
      expect((await call(admin, 'GET', '/api/admin/publications', { query: 'status=pending_review' })).json.data[0].video.id).toBe(waiting);
      expect((await call(admin, 'POST', '/api/admin/publications/{id}/approve', { params: { id: waiting } })).json.status).toBe('published');
      const refused = await made('a bird waiting for review');
      expect((await call(member, 'POST', '/api/videos/{id}/publish', { params: { id: refused }, body: { title: 'Bird' } })).json.status).toBe('pending_review');
      expect((await call(admin, 'POST', '/api/admin/publications/{id}/reject', { params: { id: refused }, body: { reason: 'Off topic' } })).json.reason).toBe('Off topic');
      expect((await call(admin, 'POST', '/api/admin/videos/{id}/takedown', { params: { id: waiting }, body: { reason: 'Reported' } })).json.status).toBe('taken_down');
      expect((await call(admin, 'PUT', '/api/admin/sharing', { body: { publish_policy: 'open' } })).status).toBe(200);

      const notes = await call(member, 'GET', '/api/notifications');
      expect(notes.json.data.map((n: any) => n.kind)).toEqual(['publication.taken_down', 'publication.rejected', 'publication.approved']);
      expect((await call(member, 'POST', '/api/notifications/read', { body: { ids: [notes.json.data[0].id] } })).json.ok).toBe(true);
      expect((await call(member, 'GET', '/api/notifications')).json.unread).toBe(2);
      expect((await call(member, 'DELETE', '/api/videos/{id}/publication', { params: { id: open } })).status).toBe(204);
      expect(problems).toEqual([]);
    });

    it('documents what the admin and health routes answer', async () => {
      const users = await call(admin, 'GET', '/api/admin/users');
      const ada = users.json.data.find((u: any) => u.email === 'ada@example.org');
      const grace = users.json.data.find((u: any) => u.email === 'grace@example.org');
      expectOk(await call(admin, 'PUT', '/api/admin/users/{id}', { params: { id: ada.id }, body: { plan: 'pro', role: 'member' } }), 'update user');
      expect((await call(admin, 'POST', '/api/admin/users/{id}/suspend', { params: { id: grace.id } })).json.status).toBe('suspended');
      expect((await call(admin, 'POST', '/api/admin/users/{id}/reactivate', { params: { id: grace.id } })).json.status).toBe('active');
      expect((await call(admin, 'POST', '/api/admin/users/{id}/suspend', { params: { id: 'usr_000000000000000000000000' } })).status).toBe(404);

      expectOk(await call(admin, 'GET', '/api/admin/plans'), 'plans');
      expectOk(await call(admin, 'PUT', '/api/admin/plans/{id}', { params: { id: 'class' }, body: { label: 'Class', seconds_per_day: 120, allowed_models: ['sketch'], usd_budget_month: null, max_file_bytes: 1_000_000 } }), 'upsert plan');
      const invite = await call(admin, 'POST', '/api/admin/invites', { body: {} });
      expectOk(await call(admin, 'GET', '/api/admin/invites'), 'invites');
      expectOk(await call(admin, 'POST', '/api/admin/invites/{code}/revoke', { params: { code: invite.json.code } }), 'revoke invite');
      expectOk(await call(admin, 'POST', '/api/admin/pauses', { body: { engine: 'sketch', message: 'Back at noon.' } }), 'pause');
      expect((await call(memberKey, 'POST', '/v1/videos', { body: ONE_SECOND })).json.error.code).toBe('generation_paused');
      expect((await call(admin, 'GET', '/api/admin/pauses')).json.data).toHaveLength(1);
      expectOk(await call(admin, 'DELETE', '/api/admin/pauses/{engine}', { params: { engine: 'sketch' } }), 'resume');
      const key = await member.post('/api/keys', { name: 'to revoke' });
      expectOk(await call(admin, 'POST', '/api/admin/keys/{id}/revoke', { params: { id: key.json.id } }), 'admin revoke key');
      expect((await call(admin, 'GET', '/api/admin/audit', { query: 'limit=5' })).json.has_more).toBe(true);
      expect((await call(memberKey, 'GET', '/api/admin/audit')).status).toBe(403);
      const jsonl = await call(admin, 'GET', '/api/admin/audit.jsonl');
      const lines = jsonl.text.trim().split('\n');
      expect(lines.length).toBeGreaterThan(10);
      for (const line of lines) problems.push(...checker.problems({ $ref: '#/components/schemas/AuditEvent' }, JSON.parse(line)));
      expect((await call(admin, 'GET', '/api/engines')).json.data.map((e: any) => e.engine)).toContain('sketch');

      expectOk(await call(anonymous(), 'GET', '/healthz'), 'healthz');
      expectOk(await call(anonymous(), 'GET', '/readyz'), 'readyz');
      expect(contentType((await call(anonymous(), 'GET', '/', { headers: { accept: 'text/html' } })).headers)).toBe('text/html');
      expectOk(await call(anonymous(), 'GET', '/openapi.json'), 'openapi.json');
      expectOk(await call(anonymous(), 'GET', '/docs'), 'docs');
      // `melies serve` always keeps metrics: admins may read them, members may not.
      expect(doc.paths['/metrics']).toBeDefined();
      expectOk(await call(admin, 'GET', '/metrics'), 'metrics');
      expect((await call(memberKey, 'GET', '/metrics')).status).toBe(403);
      expect(problems).toEqual([]);
    });

    it('documents what the webhook routes answer', async () => {
      // A name that need not resolve here: registration refuses only private addresses.
      const made = await call(member, 'POST', '/api/webhooks', { body: { url: 'https://hooks.example.com/melies', events: ['video.completed'], description: 'docs' } });
      expect(made.status, made.text).toBe(201);
      const id = made.json.id as string;
      expect((await call(member, 'POST', '/api/webhooks', { body: { url: 'http://127.0.0.1/x', events: ['video.completed'] }, refused: true })).json.error.code).toBe('invalid_webhook_url');
      expectOk(await call(member, 'GET', '/api/webhooks'), 'list webhooks');
      expectOk(await call(memberKey, 'PATCH', '/api/webhooks/{id}', { params: { id }, body: { events: ['video.completed', 'video.remixed'] } }), 'update webhook');
      expectOk(await call(member, 'POST', '/api/webhooks/{id}/rotate', { params: { id } }), 'rotate');
      expect((await call(member, 'POST', '/api/webhooks/{id}/test', { params: { id } })).status).toBe(202);
      expectOk(await call(member, 'GET', '/api/webhooks/{id}/deliveries', { params: { id } }), 'deliveries');
      expect((await call(memberKey, 'GET', '/api/webhooks/{id}/deliveries', { params: { id: 'wh_nope' } })).status).toBe(404);
      expect((await call(member, 'DELETE', '/api/webhooks/{id}', { params: { id } })).status).toBe(204);
      expect(problems).toEqual([]);
    });

    it('documents what the queue-control routes answer', async () => {
      // Paused first, so both videos wait while their order and priority change.
      const paused = await call(member, 'POST', '/api/queue/pause');
      expectOk(paused, 'pause my queue');
      expect(paused.json.paused).toBe(true);
      const v = await call(memberKey, 'POST', '/v1/videos', { body: ONE_SECOND });
      const w = await call(memberKey, 'POST', '/v1/videos', { body: ONE_SECOND });
      const mine = await call(memberKey, 'GET', '/api/queue');
      expectOk(mine, 'my queue');
      expect(mine.json.data.map((e: any) => [e.video.id, e.position])).toEqual([[v.json.id, null], [w.json.id, null]]);
      const moved = await call(member, 'POST', '/api/videos/{id}/move-to-top', { params: { id: w.json.id } });
      expectOk(moved, 'move to top');
      expect(moved.json.data.map((e: any) => e.video.id)).toEqual([w.json.id, v.json.id]);
      expectOk(await call(memberKey, 'PUT', '/api/videos/{id}/priority', { params: { id: v.json.id }, body: { priority: 5 } }), 'set priority');
      // The pro plan's priority is 10.
      expect((await call(memberKey, 'PUT', '/api/videos/{id}/priority', { params: { id: v.json.id }, body: { priority: 11 } })).json.error.code).toBe('priority_above_plan');
      expect((await call(memberKey, 'PUT', '/api/videos/{id}/priority', { params: { id: v.json.id }, body: { priority: 'high' }, refused: true })).status).toBe(400);
      expect((await call(member, 'POST', '/api/videos/{id}/move-to-top', { params: { id: remixed.parent } })).json.error.code).toBe('video_not_queued');
      expect((await call(member, 'POST', '/api/videos/{id}/move-to-top', { params: { id: 'video_00000000000000000000000000000000' } })).status).toBe(404);

      const user = { id: member.userId! };
      expectOk(await call(admin, 'GET', '/api/admin/users/{id}/queue', { params: user }), 'admin: a queue');
      expectOk(await call(admin, 'PUT', '/api/admin/users/{id}/queue/{videoId}/priority', { params: { ...user, videoId: v.json.id }, body: { priority: 50 } }), 'admin: priority');
      expectOk(await call(admin, 'POST', '/api/admin/users/{id}/queue/{videoId}/move-to-top', { params: { ...user, videoId: w.json.id } }), 'admin: move to top');
      expect((await call(admin, 'GET', '/api/admin/users/{id}/queue', { params: { id: 'usr_00000000000000000000000000000000' } })).status).toBe(404);
      expectOk(await call(admin, 'POST', '/api/admin/users/{id}/queue/pause', { params: user }), 'admin: pause');
      expectOk(await call(admin, 'POST', '/api/admin/users/{id}/queue/resume', { params: user }), 'admin: resume');
      expectOk(await call(member, 'POST', '/api/queue/resume'), 'resume my queue');
      await done(memberKey, v.json.id);
      await done(memberKey, w.json.id);
      expect(problems).toEqual([]);
    });

    it('documents what the batch routes answer', async () => {
      const text = 'prompt,seconds,size,fps\n"a red kite, at dusk",1,320x180,12\na fox in the snow,1,320x180,12\n';
      expectOk(await call(member, 'POST', '/api/batches/preview', { body: { text } }), 'preview batch');
      const made = await call(memberKey, 'POST', '/api/batches', { body: { text, name: 'docs' } });
      expectOk(made, 'create batch');
      const id = made.json.id as string;
      expect((await call(member, 'POST', '/api/batches', { body: { text: 'prompt,seconds\nx,999\n' }, refused: true })).json.error.code).toBe('invalid_batch_rows');
      // The stream ends when nothing is left to run.
      expect((await call(member, 'GET', '/api/batches/{id}/events', { params: { id } })).text).toMatch(/event: batch\.completed/);
      expectOk(await call(memberKey, 'GET', '/api/batches/{id}', { params: { id } }), 'retrieve batch');
      expectOk(await call(member, 'GET', '/api/batches'), 'list batches');
      expectOk(await call(member, 'GET', '/api/batches/{id}/download', { params: { id } }), 'download batch');
      expect((await call(member, 'POST', '/api/batches/{id}/cancel', { params: { id } })).json.error.code).toBe('batch_not_cancellable');
      const long = await call(member, 'POST', '/api/batches', { body: { text: 'a storm over the city at night', seconds: '20', size: '1920x1080' } });
      expectOk(long, 'create a long batch');
      expectOk(await call(member, 'POST', '/api/batches/{id}/cancel', { params: { id: long.json.id } }), 'cancel batch');
      expect((await call(memberKey, 'GET', '/api/batches/{id}', { params: { id: 'batch_nope' } })).status).toBe(404);
      expect(problems).toEqual([]);
    });

    it('documents what the file routes answer', async () => {
      const upload = (data: Uint8Array, name: string, purpose = 'vision') => {
        const form = new FormData();
        form.append('purpose', purpose);
        form.append('file', new Blob([data], { type: 'image/png' }), name);
        return call(memberKey, 'POST', '/v1/files', { body: form });
      };
      const made = await upload(new Uint8Array(await solidPng('#3366cc', 320, 180)), 'frame.png');
      expectOk(made, 'upload file');
      const id = made.json.id as string;
      expect((await upload(new TextEncoder().encode('not an image'), 'fake.png')).json.error.code).toBe('unsupported_file_type');
      expect((await call(memberKey, 'GET', '/v1/files', { query: 'limit=10&order=asc&purpose=vision' })).json.data.map((f: any) => f.id)).toEqual([id]);
      expect((await call(memberKey, 'GET', '/v1/files', { query: 'limit=0' })).status).toBe(400);
      expectOk(await call(memberKey, 'GET', '/v1/files/{id}', { params: { id } }), 'retrieve file');
      expect((await call(memberKey, 'GET', '/v1/files/{id}', { params: { id: 'file-00000000000000000000000000000000' } })).status).toBe(404);
      const content = await call(memberKey, 'GET', '/v1/files/{id}/content', { params: { id } });
      expect(contentType(content.headers)).toBe('image/png');
      const video = await call(memberKey, 'POST', '/v1/videos', { body: { ...ONE_SECOND, input_reference: { file_id: id } } });
      expectOk(video, 'create from a file');
      await done(memberKey, video.json.id);
      expectOk(await call(memberKey, 'DELETE', '/v1/files/{id}', { params: { id } }), 'delete file');
      expect((await call(memberKey, 'DELETE', '/v1/files/{id}', { params: { id } })).status).toBe(404);
      expect(problems).toEqual([]);
    });

    it('documents what the character routes answer', async () => {
      const upload = async (fields: Record<string, string>, data: Uint8Array, field = 'image') => {
        const form = new FormData();
        for (const [k, v] of Object.entries(fields)) form.append(k, v);
        form.append(field, new Blob([data], { type: 'image/png' }), 'look.png');
        return call(memberKey, 'POST', '/v1/videos/characters', { body: form });
      };
      const png = new Uint8Array(await solidPng('#cc3366', 64, 64));
      const made = await upload({ name: 'Ada' }, png);
      expectOk(made, 'create character');
      const id = made.json.id as string;
      expect((await upload({ name: 'Bad' }, new TextEncoder().encode('not a clip'), 'video')).json.error.code).toBe('unsupported_file_type');
      expectOk(await call(memberKey, 'GET', '/v1/videos/characters/{id}', { params: { id } }), 'get character');
      expect((await call(memberKey, 'GET', '/v1/videos/characters/{id}', { params: { id: 'char_00000000000000000000000000000000' } })).status).toBe(404);
      expectOk(await call(member, 'POST', '/api/characters/{id}/consent', { params: { id }, body: { consent: 'self' } }), 'confirm consent');
      expect((await call(member, 'POST', '/api/characters/{id}/consent', { params: { id }, body: { consent: 'self' } })).status).toBe(409);
      expectOk(await call(member, 'PATCH', '/api/characters/{id}', { params: { id }, body: { sharing: 'approved' } }), 'share character');
      const granted = await call(member, 'POST', '/api/characters/{id}/grants', { params: { id }, body: { user: 'grace@example.org' } });
      expectOk(granted, 'grant character');
      const video = await call(memberKey, 'POST', '/v1/videos', { body: { ...ONE_SECOND, characters: [{ id }] } });
      expectOk(video, 'create with a character');
      await done(memberKey, video.json.id);
      expect((await call(memberKey, 'POST', '/v1/videos', { body: { ...ONE_SECOND, characters: [{ id: 'char_00000000000000000000000000000000' }] }, refused: true })).status).toBe(404);
      expectOk(await call(member, 'GET', '/api/characters'), 'list characters');
      expect((await call(member, 'GET', '/api/characters/{id}', { params: { id } })).json.videos).toHaveLength(1);
      const look = await call(member, 'GET', '/api/characters/{id}/look', { params: { id } });
      expect(contentType(look.headers)).toBe('image/png');
      expectOk(await call(member, 'DELETE', '/api/characters/{id}/grants/{userId}', { params: { id, userId: granted.json.grants[0].user_id } }), 'ungrant character');
      expectOk(await call(member, 'POST', '/api/characters/{id}/revoke', { params: { id } }), 'revoke character');
      expectOk(await call(member, 'DELETE', '/api/characters/{id}', { params: { id } }), 'delete character');
      expect((await call(member, 'GET', '/api/characters/{id}', { params: { id } })).status).toBe(404);
    });

    it('documents last_frame (issue 15 §5): on the cards, in both create encodings, and in the studio video', async () => {
      const models = await call(memberKey, 'GET', '/v1/models');
      expect(models.json.data.find((m: any) => m.id === 'sketch').last_frame).toBe(true);
      const createBody = doc.components!.schemas!.CreateVideo as any;
      expect(createBody.properties.last_frame.properties).toHaveProperty('file_id');
      expect((doc.components!.schemas!.CreateVideoMultipart as any).properties).toHaveProperty(['last_frame[image_url]']);
      const png = async (color: string) => Buffer.from(await solidPng(color, 320, 180));
      const json = await call(memberKey, 'POST', '/v1/videos', { body: { ...ONE_SECOND, input_reference: { image_url: `data:image/png;base64,${(await png('#cc3333')).toString('base64')}` }, last_frame: { image_url: `data:image/png;base64,${(await png('#3333cc')).toString('base64')}` } } });
      expectOk(json, 'create with last_frame');
      expect(json.json).not.toHaveProperty('has_last_frame'); // OpenAI's Video object is unchanged
      const form = new FormData();
      for (const [k, v] of Object.entries({ ...ONE_SECOND, prompt: 'from red to blue' })) form.append(k, String(v));
      form.append('input_reference', new Blob([new Uint8Array(await png('#cc3333'))], { type: 'image/png' }), 'first.png');
      form.append('last_frame', new Blob([new Uint8Array(await png('#3333cc'))], { type: 'image/png' }), 'last.png');
      const multipart = await call(memberKey, 'POST', '/v1/videos', { body: form });
      expectOk(multipart, 'create multipart with last_frame');
      for (const id of [json.json.id, multipart.json.id]) {
        await done(memberKey, id);
        expect((await call(member, 'GET', '/api/videos/{id}', { params: { id } })).json).toMatchObject({ has_input_reference: true, has_last_frame: true });
        expectOk(await call(memberKey, 'DELETE', '/v1/videos/{id}', { params: { id } }), 'delete');
      }
      expect(problems).toEqual([]);
    });

    it('has seen every documented operation answer as documented', () => {
      const all = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`));
      expect(all.filter((op) => !checker.succeeded.has(op))).toEqual([]);
    });
  });
}
