// Webhooks through the API, on a real multi-user server (SQLite and PostgreSQL), real sketch jobs
// and a real receiver that verifies every request with the standardwebhooks library (issue 14 §5):
// the endpoint contract and its isolation between users, video.completed and video.failed from
// jobs, the test event, secret rotation, a slow receiver that must not hold a video back, a
// restart with a delivery in flight, and the SSRF guard at registration.
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/app/server.js';
import { makeConfig } from '../../src/config/config.js';
import { openPostgres } from '../../src/db/database.js';
import { dropSchema } from '../../src/db/migrator.js';
import { postgresUrl } from '../../src/db/test-databases.js';
import { accountBackends, Caller, keyFor, newMember, setupAdmin, startAccountServer, waitStatus, type AccountServer } from '../helpers/accounts.js';
import { until } from '../helpers/server.js';
import { startReceiver, verifies, type Receiver } from '../helpers/webhook-receiver.js';

const ONE_SECOND = { prompt: 'a red balloon over the sea at dusk', seconds: '1', size: '320x180', fps: 12 };
const LONG = { prompt: 'a storm over the city at night', seconds: '20', size: '1280x720', fps: 24 };
// A hanging receiver is held for the whole test: the timeout is not what is being tested here.
const FAST_HOOKS = { retryBaseMs: 100, pollIntervalMs: 50, timeoutSeconds: 60 };

for (const db of await accountBackends()) {
  describe(`webhooks API on ${db}`, () => {
    let server: AccountServer;
    let receiver: Receiver;
    let admin: Caller;
    let alice: Caller;
    let bob: Caller;

    beforeAll(async () => {
      receiver = await startReceiver();
      server = await startAccountServer(db, { fetch: { allowPrivateNetworks: true }, webhooks: FAST_HOOKS });
      admin = await setupAdmin(server);
      alice = await newMember(server, admin, 'pro');
      bob = await newMember(server, admin, 'pro');
    });
    afterAll(async () => {
      await server?.stop();
      await receiver?.close();
    });

    const received = (path: string) => receiver.received.filter((r) => r.path === path);

    it('registers, lists, changes and deletes endpoints; the secret is shown only at creation; others see 404', async () => {
      const made = await alice.post('/api/webhooks', { url: `${receiver.url}/a`, events: ['video.completed', 'video.failed'], description: 'my pipeline' });
      expect(made.status).toBe(201);
      expect(made.json).toEqual({
        id: expect.stringMatching(/^wh_[0-9a-f]{32}$/), url: `${receiver.url}/a`, events: ['video.completed', 'video.failed'], description: 'my pipeline',
        status: 'active', disabled_reason: null, created_at: expect.any(Number), secret: expect.stringMatching(/^whsec_/),
      });
      const id = made.json.id;
      const listed = await alice.get('/api/webhooks');
      expect(listed.json.data).toEqual([{ ...made.json, secret: undefined }].map(({ secret: _s, ...e }) => e));
      expect(JSON.stringify(listed.json)).not.toContain(made.json.secret);

      // An API key works as well as the session.
      const key = await keyFor(alice);
      expect((await key.get('/api/webhooks')).json.data).toHaveLength(1);
      const patched = await key.call('PATCH', `/api/webhooks/${id}`, { events: ['video.published', 'video.completed'], description: 'renamed' });
      expect(patched.status).toBe(200);
      expect(patched.json).toMatchObject({ events: ['video.completed', 'video.published'], description: 'renamed', status: 'active' });
      expect((await alice.call('PATCH', `/api/webhooks/${id}`, { enabled: false })).json).toMatchObject({ status: 'disabled', disabled_reason: 'disabled by its owner' });
      expect((await alice.post(`/api/webhooks/${id}/test`)).json.error.code).toBe('webhook_disabled');
      expect((await alice.call('PATCH', `/api/webhooks/${id}`, { enabled: true })).json).toMatchObject({ status: 'active', disabled_reason: null });

      // Bob cannot see, change, test, rotate, read the log of, or delete Alice's endpoint.
      expect((await bob.get('/api/webhooks')).json.data).toEqual([]);
      for (const [method, path] of [['PATCH', `/api/webhooks/${id}`], ['DELETE', `/api/webhooks/${id}`], ['POST', `/api/webhooks/${id}/rotate`], ['POST', `/api/webhooks/${id}/test`], ['GET', `/api/webhooks/${id}/deliveries`]] as const) {
        const r = await bob.call(method, path, method === 'GET' || method === 'DELETE' ? undefined : { url: `${receiver.url}/bob` });
        expect(r.status, `${method} ${path}`).toBe(404);
        expect(r.json.error).toMatchObject({ code: 'not_found', type: 'invalid_request_error' });
      }
      expect((await alice.get('/api/webhooks')).json.data[0]).toMatchObject({ url: `${receiver.url}/a`, status: 'active' });

      // Client mistakes are 400s in OpenAI's envelope.
      for (const [body, param] of [[{ events: ['video.completed'] }, 'url'], [{ url: `${receiver.url}/x`, events: [] }, 'events'], [{ url: `${receiver.url}/x`, events: ['video.deleted'] }, 'events'], [{ url: 'not a url', events: ['video.completed'] }, 'url'], [{ url: `${receiver.url}/x`, events: ['video.completed'], description: 7 }, 'description']] as const) {
        const r = await alice.post('/api/webhooks', body);
        expect(r.status, JSON.stringify(body)).toBe(400);
        expect(r.json.error.param).toBe(param);
      }
      expect((await alice.del(`/api/webhooks/${id}`)).status).toBe(204);
      expect((await alice.get(`/api/webhooks/${id}/deliveries`)).status).toBe(404);
      expect((await alice.get('/api/webhooks')).json.data).toEqual([]);
      const audit = await admin.get('/api/admin/audit?limit=100');
      expect(audit.json.data.filter((e: any) => e.target?.id === id).map((e: any) => e.action).sort()).toEqual(['webhook.create', 'webhook.delete', 'webhook.update', 'webhook.update', 'webhook.update']);
      // A token in the query string or the path (Slack, Discord) is the user's secret: the audit log
      // keeps the origin and a digest of the rest.
      const tokened = await alice.post('/api/webhooks', { url: `${receiver.url}/hooks/T0K3N-in-path?token=s3cret-value`, events: ['video.completed'] });
      expect(tokened.json.url).toBe(`${receiver.url}/hooks/T0K3N-in-path?token=s3cret-value`);
      const created = (await admin.get('/api/admin/audit?limit=20')).json.data.find((e: any) => e.target?.id === tokened.json.id);
      expect(created.details.url).toMatch(new RegExp(`^${receiver.url.replace(/\./g, '\\.')}/…#[0-9a-f]{12}$`));
      const log = JSON.stringify((await admin.get('/api/admin/audit?limit=100')).json);
      expect(log).not.toContain('s3cret-value');
      expect(log).not.toContain('T0K3N');
      await alice.del(`/api/webhooks/${tokened.json.id}`);
    });

    it('sends video.completed and video.failed from real jobs, signed, in OpenAI\'s thin shape; only to the owner\'s endpoints', async () => {
      const mine = await alice.post('/api/webhooks', { url: `${receiver.url}/jobs`, events: ['video.completed', 'video.failed'] });
      const theirs = await bob.post('/api/webhooks', { url: `${receiver.url}/bob`, events: ['video.completed', 'video.failed'] });
      const video = await alice.post('/v1/videos', ONE_SECOND);
      expect((await waitStatus(alice, video.json.id, (s) => s === 'completed')).status).toBe('completed');
      // Failed: a long video cancelled while it renders.
      const long = await alice.post('/v1/videos', LONG);
      await waitStatus(alice, long.json.id, (s) => s === 'in_progress');
      expect((await alice.post(`/api/videos/${long.json.id}/cancel`)).json.status).toBe('failed');

      const got = await until('both events', async () => (received('/jobs').length >= 2 ? received('/jobs') : null), 60_000);
      const byType = Object.fromEntries(got.map((r) => [r.json.type, r]));
      expect(byType['video.completed']!.json).toEqual({ object: 'event', id: expect.stringMatching(/^evt_/), type: 'video.completed', created_at: expect.any(Number), data: { id: video.json.id } });
      expect(byType['video.failed']!.json).toEqual({ object: 'event', id: expect.stringMatching(/^evt_/), type: 'video.failed', created_at: expect.any(Number), data: { id: long.json.id } });
      for (const r of got) {
        expect(verifies(mine.json.secret, r)).toBe(true);
        expect(verifies(theirs.json.secret, r)).toBe(false);
        expect(r.headers['webhook-id']).toBe(r.json.id);
      }
      expect(received('/bob')).toEqual([]);
      const log = await until('delivered', async () => {
        const l = (await alice.get(`/api/webhooks/${mine.json.id}/deliveries`)).json.data;
        return l.length === 2 && l.every((d: any) => d.status === 'delivered') ? l : null;
      });
      for (const d of log) expect(d).toMatchObject({ attempts: 1, last_status_code: 200, last_error: null, next_attempt_at: null, delivered_at: expect.any(Number) });
      await alice.del(`/api/webhooks/${mine.json.id}`);
      await bob.del(`/api/webhooks/${theirs.json.id}`);
    });

    it('sends a test event, and after a rotation signs with the new secret alone', async () => {
      const ep = await alice.post('/api/webhooks', { url: `${receiver.url}/rot`, events: ['video.published'] });
      const first = await alice.post(`/api/webhooks/${ep.json.id}/test`);
      expect(first.status).toBe(202);
      expect(first.json.delivery_id).toMatch(/^whd_/);
      const [t1] = await until('test event', async () => (received('/rot').length === 1 ? received('/rot') : null));
      expect(t1!.json).toMatchObject({ object: 'event', type: 'webhook.test', data: { id: ep.json.id } });
      expect(verifies(ep.json.secret, t1!)).toBe(true);

      const rotated = await alice.post(`/api/webhooks/${ep.json.id}/rotate`);
      expect(rotated.status).toBe(200);
      expect(rotated.json.secret).toMatch(/^whsec_/);
      expect(rotated.json.secret).not.toBe(ep.json.secret);
      await alice.post(`/api/webhooks/${ep.json.id}/test`);
      const [, t2] = await until('second test event', async () => (received('/rot').length === 2 ? received('/rot') : null));
      expect(verifies(rotated.json.secret, t2!)).toBe(true);
      expect(verifies(ep.json.secret, t2!)).toBe(false);
      await alice.del(`/api/webhooks/${ep.json.id}`);
    });

    it('completes a video while its endpoint hangs: delivery waits beside the job, never in it', async () => {
      receiver.answer = (r) => (r.path === '/slow' ? 'hang' : 200);
      try {
        const ep = await alice.post('/api/webhooks', { url: `${receiver.url}/slow`, events: ['video.completed'] });
        const a = await alice.post('/v1/videos', ONE_SECOND);
        await waitStatus(alice, a.json.id, (s) => s === 'completed');
        await until('the first delivery hanging', async () => receiver.open() >= 1);
        // The next video is made and completed while the first event's request is still unanswered.
        const b = await alice.post('/v1/videos', ONE_SECOND);
        expect((await waitStatus(alice, b.json.id, (s) => s === 'completed' || s === 'failed')).status).toBe('completed');
        const log = (await alice.get(`/api/webhooks/${ep.json.id}/deliveries`)).json.data;
        expect(log.find((d: any) => d.status === 'delivered')).toBeUndefined();
        expect(received('/slow').map((r) => r.json.data.id)).toContain(a.json.id);
        receiver.release(200);
        await until('both delivered', async () => {
          const l = (await alice.get(`/api/webhooks/${ep.json.id}/deliveries`)).json.data;
          return l.length === 2 && l.every((d: any) => d.status === 'delivered');
        });
        await alice.del(`/api/webhooks/${ep.json.id}`);
      } finally {
        receiver.answer = () => 200;
        receiver.release(200);
      }
    });
  });

  describe(`webhook durability and SSRF on ${db}`, () => {
    it('delivers after a restart what the stopped process had in flight', async () => {
      const receiver = await startReceiver();
      const dataDir = mkdtempSync(join(tmpdir(), 'melies-hooks-'));
      const schema = `t_${randomBytes(6).toString('hex')}`;
      const config = makeConfig({
        port: 0, dataDir, logLevel: 'silent', searchPath: process.env.PATH ?? '', fetch: { allowPrivateNetworks: true },
        webhooks: FAST_HOOKS, jobs: { pollIntervalMs: 50, retryBaseMs: 50, shutdownGraceSeconds: 5 }, sketch: { x264Preset: 'ultrafast' },
        ...(db === 'postgres' ? { databaseUrl: `${postgresUrl}?schema=${schema}` } : {}),
      });
      let running: RunningServer | null = null;
      try {
        running = await startServer(config); // local mode: the one user needs no credentials
        const local = new Caller(running.url);
        receiver.answer = () => 'hang';
        const ep = await local.post('/api/webhooks', { url: `${receiver.url}/restart`, events: ['video.completed'] });
        const video = await local.post('/v1/videos', ONE_SECOND);
        await waitStatus(local, video.json.id, (s) => s === 'completed');
        await until('the delivery in flight', async () => receiver.open() === 1);
        await running.close(); // stops while the request is unanswered
        running = null;
        receiver.answer = () => 200;
        running = await startServer(config);
        const again = new Caller(running.url);
        const [d] = await until('delivered by the next process', async () => {
          const l = (await again.get(`/api/webhooks/${ep.json.id}/deliveries`)).json.data;
          return l[0]?.status === 'delivered' ? l : null;
        });
        const got = received(receiver, '/restart');
        expect(got.length).toBe(2);
        expect(got[0]!.headers['webhook-id']).toBe(got[1]!.headers['webhook-id']);
        expect(got[1]!.json.data).toEqual({ id: video.json.id });
        expect(verifies(ep.json.secret, got[1]!)).toBe(true);
        expect(d).toMatchObject({ attempts: 1, last_status_code: 200 }); // the interrupted attempt was handed back, not counted
      } finally {
        await running?.close();
        await receiver.close();
        rmSync(dataDir, { recursive: true, force: true });
        if (db === 'postgres') {
          const pg = await openPostgres(postgresUrl, { max: 1 });
          await dropSchema(pg, schema);
          await pg.destroy();
        }
      }
    });

    it('refuses private, loopback and metadata addresses at registration with a clear 400', async () => {
      const server = await startAccountServer(db, {}, { workers: false });
      try {
        const admin = await setupAdmin(server);
        const member = await newMember(server, admin, 'pro');
        for (const url of ['http://127.0.0.1/hook', 'http://localhost/hook', 'http://10.1.2.3/hook', 'http://169.254.169.254/latest/meta-data', 'http://[::1]/hook', 'http://192.168.1.1:8080/x', 'ftp://example.org/x', 'http://example.org:6379/x', 'https://user:pw@example.org/x']) {
          const r = await member.post('/api/webhooks', { url, events: ['video.completed'] });
          expect(r.status, url).toBe(400);
          expect(r.json.error).toMatchObject({ code: 'invalid_webhook_url', param: 'url', type: 'invalid_request_error' });
          expect(r.json.error.message).toMatch(/^This webhook URL /);
        }
        expect((await member.get('/api/webhooks')).json.data).toEqual([]);
      } finally {
        await server.stop();
      }
    });
  });
}

function received(receiver: Receiver, path: string) {
  return receiver.received.filter((r) => r.path === path);
}
