// The webhook delivery loop on real SQLite and PostgreSQL, a real HTTP receiver verifying with the
// standardwebhooks library, and the real SSRF-guarded POST. The clock is the test's own (passes are
// run one at a time with runOnce), so backoff and the 72 h window are checked without waiting.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AuditRepo } from '../db/audit.repo.js';
import type { Database } from '../db/database.js';
import { testDatabases } from '../db/test-databases.js';
import { VideoRepo } from '../db/video.repo.js';
import { WebhookRepo } from '../db/webhook.repo.js';
import type { Principal } from '../domain/account.js';
import { videoEventId } from '../domain/webhook.js';
import { safePost } from '../net/safe-post.js';
import { AuditLog } from '../services/accounts/audit-log.js';
import { WebhookService } from '../services/webhook.service.js';
import { startReceiver, verifies, type Receiver } from '../../test/helpers/webhook-receiver.js';
import { backoffMs, makeWebhookDelivery, type DeliverWebhookDeps } from './deliver-webhook.job.js';

const BASE = 1000;
const WINDOW = 30_000;
const TIMEOUT = 2000;
const owner = (userId: string): Principal => ({ userId, role: 'member', scopes: ['videos:read', 'videos:write'], plan: null, via: 'session' });

describe('backoffMs', () => {
  it('doubles from the base, caps, and keeps half of each delay random', () => {
    expect([1, 2, 3, 4].map((n) => backoffMs(n, 1000, 1e9, () => 1))).toEqual([1000, 2000, 4000, 8000]);
    expect([1, 2, 3].map((n) => backoffMs(n, 1000, 1e9, () => 0))).toEqual([500, 1000, 2000]);
    expect(backoffMs(30, 1000, 60_000, () => 1)).toBe(60_000);
  });
});

for (const backend of await testDatabases()) {
  describe(`webhook delivery on ${backend.name}`, () => {
    let opened: { db: Database; close(): Promise<void> };
    let receiver: Receiver;
    let clock: number;
    const stops: (() => Promise<void>)[] = [];

    beforeAll(async () => {
      opened = await backend.open();
      receiver = await startReceiver();
    });
    afterAll(async () => {
      await receiver?.close();
      await opened?.close();
    });
    afterEach(async () => {
      for (const s of stops.splice(0)) await s();
      receiver.answer = () => 200;
      receiver.received.length = 0;
    });

    function setup(over: Partial<DeliverWebhookDeps> = {}) {
      const repo = new WebhookRepo(opened.db);
      const audit = new AuditLog(new AuditRepo(opened.db), () => clock);
      const service = new WebhookService({ repo, audit, checkUrl: async () => null, log: () => {}, retryWindowMs: WINDOW, now: () => clock });
      const loop = makeWebhookDelivery({
        repo,
        post: (url, body, headers, signal) => safePost(url, body, headers, { allowPrivateNetworks: true, timeoutMs: TIMEOUT, signal }),
        onDisabled: (id, reason) => service.endpointDisabled(id, reason),
        recoverMissed: () => service.recoverMissed(),
        log: () => {},
        now: () => clock,
        timeoutMs: TIMEOUT, concurrency: 4, pollIntervalMs: 20, retryBaseMs: BASE, retryWindowMs: WINDOW,
        ...over,
      });
      stops.push(() => loop.stop());
      return { repo, service, loop, audit };
    }

    it('signs with Standard Webhooks, retries failures with growing delays under one webhook-id, and records each attempt', async () => {
      clock = Date.now();
      const { service, loop } = setup();
      const who = owner(`usr_a_${backend.name}`);
      const ep = await service.create(who, { url: `${receiver.url}/hook`, events: ['video.completed'] });
      expect(ep.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      let n = 0;
      receiver.answer = () => (++n <= 2 ? 500 : 200);
      const eventId = await service.emit(who.userId, 'video.completed', { id: 'video_1' });

      const times: number[] = [];
      for (let i = 0; i < 3; i++) {
        const [pending] = await service.deliveries(who, ep.id);
        times.push(clock);
        expect(await loop.runOnce()).toBe(1);
        expect(await loop.runOnce()).toBe(0); // nothing else is due at this instant
        const [after] = await service.deliveries(who, ep.id);
        expect(after!.attempts).toBe(pending!.attempts + 1);
        if (after!.status === 'pending') {
          // The delay before the next attempt: base·2^(n−1), its second half random.
          const delay = after!.next_attempt_at! * 1000 - Math.floor(clock / 1000) * 1000;
          const full = BASE * 2 ** i;
          expect(delay).toBeGreaterThanOrEqual(full / 2 - 1000);
          expect(delay).toBeLessThanOrEqual(full + 1000);
          expect(after).toMatchObject({ last_status_code: 500, last_error: 'answered HTTP 500' });
          clock += full;
        }
      }
      const [done] = await service.deliveries(who, ep.id);
      expect(done).toMatchObject({ status: 'delivered', attempts: 3, last_status_code: 200, last_error: null, event_id: eventId, event_type: 'video.completed' });
      expect(done!.last_latency_ms).toBeGreaterThanOrEqual(0);
      expect(receiver.received).toHaveLength(3);
      for (const r of receiver.received) {
        expect(r.headers['webhook-id']).toBe(eventId);
        expect(verifies(ep.secret, r)).toBe(true);
        expect(r.json).toEqual({ object: 'event', id: eventId, type: 'video.completed', created_at: expect.any(Number), data: { id: 'video_1' } });
      }
      expect(new Set(receiver.received.map((r) => r.body)).size).toBe(1);
      // A tampered body fails the library's check.
      expect(verifies(ep.secret, { ...receiver.received[0]!, body: receiver.received[0]!.body.replace('video_1', 'video_2') })).toBe(false);
    });

    it('gives up after the retry window: the endpoint is disabled with its reason and in the audit log; what waited fails with it', async () => {
      clock = Date.now();
      // The jitter fixed at its middle: when the last retry falls (and so how much of the window
      // passed before giving up) no longer depends on chance (a random draw once gave up at 14.4 s).
      const { service, loop, audit, repo } = setup({ random: () => 0.5 });
      const who = owner(`usr_b_${backend.name}`);
      const ep = await service.create(who, { url: `${receiver.url}/down`, events: ['video.completed', 'video.failed'] });
      receiver.answer = () => 503;
      await service.emit(who.userId, 'video.completed', { id: 'video_1' });
      const started = clock;
      for (let i = 0; i < 50 && (await service.list(who))[0]!.status === 'active'; i++) {
        await loop.runOnce();
        const [d] = await service.deliveries(who, ep.id);
        if (d!.status === 'pending') clock = Math.max(clock, d!.next_attempt_at! * 1000 + 1000);
        // A later event, emitted while the first is still being retried.
        if (i === 2) await service.emit(who.userId, 'video.failed', { id: 'video_2' }, { at: clock });
      }
      const [endpoint] = await service.list(who);
      expect(endpoint).toMatchObject({ status: 'disabled', disabled_reason: expect.stringMatching(/^deliveries failed for 30 s \(\d+ attempts; last: answered HTTP 503\)$/) });
      expect(clock - started).toBeGreaterThan(WINDOW / 2);
      const log = await service.deliveries(who, ep.id);
      expect(log.map((d) => d.status)).toEqual(['failed', 'failed']);
      // Whichever ran out of time first disabled the endpoint; the other failed with it.
      const attempts = Math.max(...log.map((d) => d.attempts));
      expect(attempts).toBeGreaterThan(3);
      expect(receiver.received.filter((r) => r.path === '/down').length).toBeGreaterThanOrEqual(attempts);
      const events = (await audit.list({ limit: 50 })).data.filter((e) => e.action === 'webhook.disabled' && e.targetId === ep.id);
      expect(events).toHaveLength(1);
      expect(events[0]!.details).toMatchObject({ owner: who.userId, reason: endpoint!.disabled_reason });
      // Disabled: nothing new is queued for it; re-enabled, it gets what comes next only.
      await service.emit(who.userId, 'video.completed', { id: 'video_3' });
      expect(await service.deliveries(who, ep.id)).toHaveLength(2);
      expect(await repo.due(clock + WINDOW, 10, [])).toEqual([]);
      await service.update(who, ep.id, { enabled: true });
      await service.emit(who.userId, 'video.completed', { id: 'video_4' });
      expect((await service.deliveries(who, ep.id)).map((d) => d.status)).toEqual(['pending', 'failed', 'failed']);
    });

    it('stops at once on 410 Gone; what waited for the endpoint fails, unsent', async () => {
      clock = Date.now();
      const { service, loop } = setup({ perEndpoint: 1 });
      const who = owner(`usr_c_${backend.name}`);
      const ep = await service.create(who, { url: `${receiver.url}/gone`, events: ['video.completed'] });
      receiver.answer = () => 410;
      await service.emit(who.userId, 'video.completed', { id: 'video_1' });
      await service.emit(who.userId, 'video.completed', { id: 'video_2' }); // waits behind the first
      expect(await loop.runOnce()).toBe(1);
      expect((await service.list(who))[0]).toMatchObject({ status: 'disabled', disabled_reason: 'the endpoint answered 410 Gone' });
      const log = await service.deliveries(who, ep.id);
      const first = log.find((d) => d.attempts === 1);
      const waited = log.find((d) => d.attempts === 0);
      expect(first).toMatchObject({ status: 'failed', attempts: 1, last_status_code: 410 });
      expect(waited).toMatchObject({ status: 'failed', attempts: 0, last_error: 'Not sent: the endpoint was disabled (the endpoint answered 410 Gone)' });
      expect(receiver.received.filter((r) => r.path === '/gone')).toHaveLength(1);
    });

    it('sends again a delivery whose sender died mid-request, once its claim lapses; two loops never send one row twice', async () => {
      clock = Date.now();
      const { service, repo, loop } = setup();
      const other = setup().loop;
      const who = owner(`usr_d_${backend.name}`);
      const ep = await service.create(who, { url: `${receiver.url}/d`, events: ['video.published'] });
      await service.emit(who.userId, 'video.published', { id: 'video_dead' });
      // A process claims it and dies before any answer is recorded.
      const [row] = await repo.due(clock, 10, []);
      expect(await repo.claim(row!.id, 'dead-process', clock, TIMEOUT + 30_000)).not.toBeNull();
      expect(await loop.runOnce()).toBe(0);
      clock += TIMEOUT + 30_000;
      for (let i = 0; i < 6; i++) await service.emit(who.userId, 'video.published', { id: `video_${i}` });
      const sent = await Promise.all([loop.runOnce(), other.runOnce(), loop.runOnce(), other.runOnce()]);
      await Promise.all([loop.runOnce(), other.runOnce()]);
      expect(sent.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
      const log = await service.deliveries(who, ep.id);
      expect(log.map((d) => d.status)).toEqual(Array(7).fill('delivered'));
      const ids = receiver.received.filter((r) => r.path === '/d').map((r) => r.json.data.id);
      expect(ids.sort()).toEqual(['video_0', 'video_1', 'video_2', 'video_3', 'video_4', 'video_5', 'video_dead']);
      expect(log.find((d) => d.attempts === 2)).toBeDefined(); // the dead process's attempt counts
    });

    it('lets a slow endpoint hold only its own slots: the others are delivered meanwhile', async () => {
      clock = Date.now();
      const { service, loop } = setup({ concurrency: 4, perEndpoint: 2 });
      const who = owner(`usr_e_${backend.name}`);
      const slow = await service.create(who, { url: `${receiver.url}/slow`, events: ['video.completed'] });
      const fast = await service.create(who, { url: `${receiver.url}/fast`, events: ['video.failed'] });
      receiver.answer = (r) => (r.path === '/slow' ? 'hang' : 200);
      for (let i = 0; i < 5; i++) await service.emit(who.userId, 'video.completed', { id: `video_s${i}` });
      const pass = loop.runOnce(); // claims two of the slow ones; they hang
      for (let i = 0; i < 400 && receiver.open() < 2; i++) await new Promise((r) => setTimeout(r, 25));
      expect(receiver.open()).toBe(2);
      await service.emit(who.userId, 'video.failed', { id: 'video_f' });
      await loop.runOnce();
      expect((await service.deliveries(who, fast.id))[0]).toMatchObject({ status: 'delivered' });
      expect(receiver.open()).toBe(2); // the slow endpoint still has its two, and only two
      receiver.release(200);
      await pass;
      expect((await service.deliveries(who, slow.id)).filter((d) => d.status === 'delivered')).toHaveLength(2);
    });

    it('recovers an event a crash kept from being emitted, under the same event id, once', async () => {
      clock = Date.now();
      const { service, loop } = setup();
      const who = owner(`usr_f_${backend.name}`);
      const ep = await service.create(who, { url: `${receiver.url}/r`, events: ['video.completed'] });
      // The row is completed by a plain repository: the process "died" before emitting.
      const videos = new VideoRepo(opened.db, () => clock + 10);
      const id = `video_${backend.name}_${'0'.repeat(20)}`;
      await videos.insert({
        id, ownerId: who.userId, model: 'sketch', engine: 'sketch', status: 'queued', progress: 0, prompt: 'x', seconds: 1, width: 320, height: 180, fps: 12,
        seed: 1, inputReferenceKey: null, remixedFromVideoId: null, error: null, providerJobId: null, plan: null, negativePrompt: null, favorite: false,
        output: null, createdAt: clock, startedAt: null, completedAt: null, expiresAt: null, updatedAt: clock,
      });
      const done = await videos.complete(id, { videoKey: 'a', thumbnailKey: 'b', spritesheetKey: 'c', bytes: 1, sha256: 'd' }, { expiresAt: null });
      expect(await service.recoverMissed()).toBe(1);
      expect(await service.recoverMissed()).toBe(0);
      await service.videoFinished(done!); // the emission that was lost, arriving late: still one event
      const log = await service.deliveries(who, ep.id);
      expect(log).toHaveLength(1);
      expect(log[0]!.event_id).toBe(videoEventId('video.completed', id));
      await loop.runOnce();
      expect(receiver.received.filter((r) => r.path === '/r').map((r) => r.json.data)).toEqual([{ id }]);
    });
  });
}
