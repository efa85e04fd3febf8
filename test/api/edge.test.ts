// What reaches the server before any route has a say: NUL characters (PostgreSQL refuses them:
// each used to be a 500), malformed URLs and request lines, requests that never finish arriving,
// and a shutdown with such a client attached. Every answer is a 4xx in OpenAI's envelope.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeTable } from '../../src/api/route-table.js';
import { openPostgres } from '../../src/db/database.js';
import { postgresUrl } from '../../src/db/test-databases.js';
import { UserRepo } from '../../src/db/user.repo.js';
import { accountBackends, Caller, keyFor, newMember, setupAdmin, startAccountServer, type AccountServer } from '../helpers/accounts.js';
import { serveProcess } from '../helpers/process.js';
import { bodyOf, rawRequest, rawSocket } from '../helpers/raw-http.js';

const envelope = (json: any) => expect(json).toEqual({ error: { message: expect.any(String), type: expect.any(String), param: expect.toBeOneOf([expect.any(String), null]), code: expect.any(String) } });

for (const db of await accountBackends()) {
  describe(`NUL characters on ${db}`, () => {
    let server: AccountServer;
    let admin: Caller;
    let member: Caller;

    beforeAll(async () => {
      server = await startAccountServer(db, { auth: { registration: 'open' } });
      admin = await setupAdmin(server);
      member = await keyFor(await newMember(server, admin, 'pro'));
    });
    afterAll(async () => server?.stop());

    it('refuses a NUL anywhere in the URL of every route with a 400, signed in or not', async () => {
      const failures: string[] = [];
      for (const r of routeTable(server.api)) {
        const plain = r.url.replace(/:[a-z]+/g, 'x').replace('*', 'x');
        const targets = [`${plain}?after=%00&q=%00&limit=1`, `${plain}?name=a%00`];
        if (/[:*]/.test(r.url)) targets.push(r.url.replace(/:[a-z]+/g, 'x%00y').replace('*', 'x%00y'));
        for (const target of targets) {
          for (const caller of [new Caller(server.url), admin]) {
            const res = await caller.call(r.method, target, ['POST', 'PUT'].includes(r.method) ? {} : undefined);
            if (res.status !== 400 || (r.method !== 'HEAD' && res.json?.error?.code !== 'invalid_string')) failures.push(`${r.method} ${target} → ${res.status} ${JSON.stringify(res.json).slice(0, 120)}`);
          }
        }
      }
      expect(failures).toEqual([]);
    });

    it('refuses a NUL in any JSON body field with a 400 naming the field, before anything is stored', async () => {
      const cases: [Caller, string, string, unknown, string][] = [
        [new Caller(server.url), 'POST', '/api/auth/login', { email: 'ada\u0000@example.org', password: 'x' }, 'email'],
        [new Caller(server.url), 'POST', '/api/auth/register', { email: 'b@example.org', password: 'a long enough password', invite_code: 'inv\u0000' }, 'invite_code'],
        [admin, 'POST', '/api/keys', { name: 'lap\u0000top' }, 'name'],
        [admin, 'POST', '/api/admin/invites', { plan: 'pro\u0000' }, 'plan'],
        [admin, 'PUT', '/api/admin/plans/x', { label: 'X\u0000' }, 'label'],
        [admin, 'POST', '/api/admin/pauses', { engine: 'sketch', message: 'back\u0000soon' }, 'message'],
        [member, 'POST', '/v1/videos', { prompt: 'a fox', input_reference: { image_url: 'https://example.org/\u0000.png' } }, 'input_reference.image_url'],
        [member, 'POST', '/v1/videos', { ['mo\u0000del']: 'x', prompt: 'a fox' }, 'mo\u0000del'],
      ];
      for (const [caller, method, path, body, param] of cases) {
        const r = await caller.call(method, path, body);
        expect(r.status, `${method} ${path}`).toBe(400);
        envelope(r.json);
        expect(r.json.error.code).toBe('invalid_string');
        expect(r.json.error.param).toBe(param.replace('\u0000', '\u0000'));
      }
      expect((await admin.get('/api/keys')).json.data.some((k: any) => k.name.startsWith('lap'))).toBe(false);
    });

    it('refuses a NUL in a multipart field the same way', async () => {
      const form = new FormData();
      form.set('prompt', 'a fox\u0000 in the snow');
      const r = await fetch(`${server.url}/v1/videos`, { method: 'POST', headers: { authorization: `Bearer ${member.auth.key}` }, body: form });
      expect(r.status).toBe(400);
      expect((await r.json() as any).error).toMatchObject({ code: 'invalid_string', param: 'prompt' });
    });
  });
}

describe('the PostgreSQL driver', () => {
  it('refuses a NUL in any query parameter as a 400, whatever sent it', async (ctx) => {
    if (!(await accountBackends()).includes('postgres')) return ctx.skip();
    const db = await openPostgres(postgresUrl, { max: 1 });
    try {
      await expect(new UserRepo(db).getByEmail('a\u0000@example.org')).rejects.toMatchObject({ status: 400, code: 'invalid_string' });
    } finally {
      await db.destroy();
    }
  });
});

describe('malformed requests', () => {
  let server: AccountServer;
  beforeAll(async () => {
    server = await startAccountServer('sqlite', { http: { requestTimeoutSeconds: 2, headersTimeoutSeconds: 1 } });
  });
  afterAll(async () => server?.stop());

  it('answers a bad %-escape in the path in the envelope, not Fastify\'s own body', async () => {
    for (const target of ['/v1/videos/%ff', '/api/%ff', '/%ff%fe']) {
      const r = await rawRequest(server.url, { target });
      expect(r.status, target).toBe(400);
      envelope(r.json);
      expect(r.json.error.code).toBe('invalid_url');
    }
  });

  it('answers what Node\'s parser refuses in the envelope too', async () => {
    const port = new URL(server.url).port;
    const bad = await rawSocket(server.url, 'GET /v1/models HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header\r\n\r\n');
    expect(bad).toMatch(/^HTTP\/1\.1 400 /);
    envelope(bodyOf(bad));
    const huge = await rawSocket(server.url, `GET /v1/models HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(huge).toMatch(/^HTTP\/1\.1 431 /);
    expect(bodyOf(huge).error.code).toBe('headers_too_large');
  });

  it('cuts off a body shorter than its Content-Length with a 408 in the envelope', async () => {
    // Ten bytes of a promised hundred, then silence: without a request timeout this hangs for minutes.
    const answer = await rawSocket(server.url, 'POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"email":"');
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(bodyOf(answer).error.code).toBe('request_timeout');
  });

  it('cuts off a client that never finishes its headers', async () => {
    const answer = await rawSocket(server.url, 'GET /v1/models HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
  });
});

describe('shutdown with a stalled client attached', () => {
  it('exits on SIGTERM after the grace period instead of waiting for the client', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'melies-edge-'));
    // The request timeout is long (10 min): only the shutdown's own cut can end this connection.
    const p = await serveProcess(dataDir, { MELIES_SHUTDOWN_GRACE_SECONDS: '1', MELIES_REQUEST_TIMEOUT_SECONDS: '600', MELIES_HEADERS_TIMEOUT_SECONDS: '600' });
    try {
      const stalled = rawSocket(p.url, 'POST /v1/videos HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"prompt":"');
      // The server has the request (it answers others meanwhile) before the signal.
      expect((await fetch(`${p.url}/healthz`)).status).toBe(200);
      p.child.kill('SIGTERM');
      const exit = await Promise.race([p.exited, new Promise<'still running'>((r) => setTimeout(() => r('still running'), 30_000))]);
      expect(exit).toEqual({ code: 0, signal: null });
      await stalled; // the server closed it
    } finally {
      p.child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('logs', () => {
  it('logs an operator pause (503) as a warning without a stack, and client mistakes not at all', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'melies-edge-'));
    const p = await serveProcess(dataDir, { MELIES_LOG_LEVEL: 'info' });
    try {
      const post = (path: string, body: unknown) => fetch(`${p.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect((await post('/api/admin/pauses', { engine: '*', message: 'Back at noon.' })).status).toBe(200);
      const paused = await post('/v1/videos', { prompt: 'a fox' });
      expect(paused.status).toBe(503);
      expect((await post('/v1/videos', { prompt: 42 })).status).toBe(400);
      expect((await fetch(`${p.url}/v1/videos/%ff`)).status).toBe(400);
      const lines = p.output().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { level: number; msg: string; err?: unknown; code?: string });
      const refused = lines.filter((l) => l.msg === 'request refused');
      expect(refused).toEqual([expect.objectContaining({ level: 40, code: 'generation_paused' })]);
      expect(refused[0]).not.toHaveProperty('err');
      expect(lines.filter((l) => l.level >= 50)).toEqual([]);
    } finally {
      p.child.kill('SIGKILL');
      await p.exited;
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
