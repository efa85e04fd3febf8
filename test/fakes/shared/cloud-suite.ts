// The suite every cloud adapter passes against its provider fake (one implementation, run eight
// times): the Engine contract, then the faults a real provider throws — 429 with Retry-After, 500s,
// slow and unreadable answers, an expired result URL, a content-policy refusal, a retired model, a
// bad key, an outage that opens the circuit — each checked by what the fake saw (no create is ever
// sent twice) and by the typed error the engine raised. A suite's own wire checks run inside it,
// on the live fake, each reading only the requests its own job caused.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { EngineError } from '../../../src/domain/errors.js';
import { newVideoId } from '../../../src/domain/ids.js';
import type { ModelCard } from '../../../src/domain/model-card.js';
import { parseSize } from '../../../src/domain/video.js';
import type { CloudAdapter, Downloader } from '../../../src/engines/cloud/cloud-adapter.js';
import { CloudEngine, type CloudEngineSettings } from '../../../src/engines/cloud/cloud-engine.js';
import { ModelRetired, ProviderUnavailable } from '../../../src/engines/cloud/errors.js';
import type { EngineContext, EngineJob } from '../../../src/engines/engine.js';
import { runEngineContract, runEngineToFile } from '../../../src/engines/engine.contract.js';
import { probe } from '../../../src/media/probe.js';
import { safeDownload } from '../../../src/net/safe-download.js';
import { bins, solidPng } from '../../helpers/media.js';
import { leaked } from '../../helpers/leaks.js';
import type { CallRecord, FakeServer } from './fake-server.js';
import type { TaskBook } from './task-book.js';
import { fakeMp4 } from './mp4.js';

export const FAKE_KEY = 'sk-fake-provider-key-4d1f9a7c2b';

export interface CloudFake {
  server: FakeServer;
  tasks: TaskBook<any>;
  /** What the adapter's base URL should be (the fake's origin plus the provider's path prefix). */
  baseUrl: string;
  stop(): Promise<void>;
}

export interface CloudSuite {
  name: string;
  start(): Promise<CloudFake>;
  adapter(key: string): CloudAdapter;
  /** The card the fault scenarios use. */
  model: string;
  /** Words of the provider's refusal that must reach the video's error message. */
  refusalText: RegExp;
  /** Cards that need an input image get one. */
  needsImage?: (card: ModelCard) => boolean;
  /** Cards that re-make a video (video to video) get one of their default size and length. */
  needsVideo?: (card: ModelCard) => boolean;
  /** Cards that make a video only of a character (MiniMax S2V-01): the contract's jobs carry one look. */
  needsCharacter?: (card: ModelCard) => boolean;
  cancel?: boolean;
  /** The adapter's key as the fake checks it (Kling signs a JWT from two keys). */
  key?: string;
  /** The adapter reads its model list from the provider in start() (the OpenAI-compatible one). */
  discovers?: boolean;
  /** The provider's own wire checks, declared with describe/it; they run while the fake is up. */
  wire?: (h: WireHarness) => void;
}

/** What the fake saw while one job ran: only that job's requests. */
export interface WireRun {
  calls: CallRecord[];
  /** The JSON bodies of this run's create requests. */
  bodies: Array<Record<string, any>>;
  file: string;
}

export interface WireHarness {
  /** Runs one job of `model` (its card's defaults, an image if it needs one) on a fresh engine. */
  run(model: string, over?: Partial<EngineJob>): Promise<WireRun>;
  /** The fake, for checks the shared shape does not cover. */
  fake(): CloudFake;
}

export function testSettings(baseUrl: string, over: Partial<CloudEngineSettings> = {}): CloudEngineSettings {
  return {
    baseUrl, pollIntervalMs: 20, concurrency: 8, dailyCapUsd: null, prices: {},
    breaker: { failureThreshold: 3, cooldownMs: 400 },
    retry: { maxAttempts: 4, baseDelayMs: 20, maxDelayMs: 100, maxRetryAfterMs: 3000 },
    requestTimeoutMs: 1000, createTimeoutMs: 5000, downloadTimeoutMs: 10_000, maxDownloadBytes: 50 * 1024 * 1024,
    ...over,
  };
}

/** The production downloader, with private addresses refused except on the configured base (the fake). */
export const testDownloader: Downloader = (url, file, o) => safeDownload(url, file, { ...o, allowPrivateNetworks: false });

export function runCloudSuite(s: CloudSuite): void {
  describe(`cloud adapter: ${s.name}`, () => {
    let fake: CloudFake;
    let img: string;
    const videos = new Map<string, string>(); // card id → its source video
    let started: CloudEngine;
    // Scratch folders (the input image, each job's work dir), removed when the suite ends.
    const scratch: string[] = [];
    const tempDir = (prefix: string) => {
      const d = mkdtempSync(join(tmpdir(), prefix));
      scratch.push(d);
      return d;
    };
    beforeAll(async () => {
      fake = await s.start();
      img = join(tempDir('melies-img-'), 'first.png');
      writeFileSync(img, await solidPng('#3070c0', 1280, 720));
      for (const card of engine().models().filter((c) => s.needsVideo?.(c))) {
        const size = parseSize(card.defaultSize)!;
        videos.set(card.id, await fakeMp4({ ...size, seconds: card.defaultSeconds, fps: card.defaultFps }));
      }
      started = engine();
      await started.start();
    });
    afterAll(async () => {
      await fake?.stop();
      for (const d of scratch.splice(0)) rmSync(d, { recursive: true, force: true });
    });
    beforeEach(() => { fake.server.faults.clear(); fake.tasks.release(); });

    const engine = (over: Partial<CloudEngineSettings> = {}, now?: () => number) =>
      new CloudEngine(s.adapter(s.key ?? FAKE_KEY), testSettings(fake.baseUrl, over), { download: testDownloader, media: bins, ...(now ? { now } : {}) });
    const jobFor = (card: ModelCard): Partial<EngineJob> => ({
      ...(s.needsImage?.(card) ? { inputImagePath: img } : {}),
      ...(s.needsCharacter?.(card) ? { characterImages: [img] } : {}),
      // A re-made video has its source's shape.
      ...(videos.has(card.id) ? { inputVideoPath: videos.get(card.id)!, ...parseSize(card.defaultSize)!, seconds: card.defaultSeconds, fps: card.defaultFps } : {}),
    });

    // The contract builds its engines synchronously; one that discovers its cards is started up front.
    runEngineContract(s.name, () => (s.discovers ? started : engine()), { ffmpeg: bins.ffmpeg, ffprobe: bins.ffprobe, durationTolerance: 0.1, jobFor: (c) => jobFor(c) });

    const job = (e: CloudEngine, over: Partial<EngineJob> = {}, model = s.model): EngineJob => {
      const card = e.models().find((c) => c.id === model)!;
      if (!card) throw new Error(`${s.name} has no card ${model}`);
      const size = parseSize(card.defaultSize)!;
      return {
        videoId: newVideoId(), model: card.id, prompt: 'a paper boat drifting down a rain gutter', seed: 11, negativePrompt: null,
        inputImagePath: null, providerJobId: null, width: size.width, height: size.height, seconds: card.defaultSeconds, fps: card.defaultFps,
        ...jobFor(card), ...over,
      };
    };
    const fresh = async (over: Partial<CloudEngineSettings> = {}, now?: () => number) => {
      const e = engine(over, now);
      if (s.discovers) await e.start();
      return e;
    };
    const ctx = (signal = new AbortController().signal): EngineContext => ({ workDir: tempDir(`cloud-${s.name}-`), signal, attempt: 1, reportProgress: () => {} });
    const failure = async (p: Promise<unknown>) => { try { await p; } catch (err) { return err as EngineError; } throw new Error('expected a failure'); };

    it('waits out a 429 with Retry-After and submits exactly once', async () => {
      const e = await fresh();
      fake.server.faults.once('create', { kind: 'rate_limit', retryAfterS: 1 });
      const before = fake.server.count('create');
      const acceptedBefore = fake.server.accepted('create');
      // Every timer armed while the job runs, with the creates the provider had seen when it was
      // armed and when it fired: the wait must sit between the 429 and the create sent again.
      const timers: Array<{ ms: number; armedAfter: number; firedAfter: number | null }> = [];
      const creates = () => fake.server.count('create') - before;
      const real = globalThis.setTimeout;
      const spy = vi.spyOn(globalThis, 'setTimeout').mockImplementation(((fn: (...a: unknown[]) => void, ms?: number, ...rest: unknown[]) => {
        const t = { ms: ms ?? 0, armedAfter: creates(), firedAfter: null as number | null };
        timers.push(t);
        return real(() => { t.firedAfter = creates(); fn(...rest); }, ms);
      }) as typeof setTimeout);
      let file: string;
      try {
        file = await runEngineToFile(e, job(e), ctx());
      } finally {
        spy.mockRestore();
      }
      expect(creates()).toBe(2); // the refused one, and the one the provider took
      expect(fake.server.accepted('create') - acceptedBefore).toBe(1);
      // Retry-After: 1 → a wait of 1 s (plus at most 10% jitter), armed after the 429, over before the retry.
      expect(timers.filter((t) => t.ms >= 1000 && t.ms <= 1100 && t.armedAfter === 1 && t.firedAfter === 1)).toHaveLength(1);
      expect((await probe(bins.ffprobe, file)).video?.codec).toBe('h264');
    });

    it('retries 500s and a slow answer on polls, never resubmitting', async () => {
      const e = await fresh();
      fake.server.faults.once('poll', { kind: 'http', status: 500 }, 2).once('poll', { kind: 'slow', ms: 1300 });
      const before = fake.server.accepted('create');
      await runEngineToFile(e, job(e), ctx());
      expect(fake.server.accepted('create') - before).toBe(1);
    });

    it('retries an unreadable (non-JSON) poll answer', async () => {
      const e = await fresh();
      fake.server.faults.once('poll', { kind: 'malformed' });
      await runEngineToFile(e, job(e), ctx());
    });

    it('never resends a create whose answer was lost (500, unreadable): it fails as uncertain', async () => {
      for (const fault of [{ kind: 'http', status: 500 } as const, { kind: 'malformed' } as const]) {
        const e = await fresh();
        fake.server.faults.once('create', fault);
        const before = fake.server.count('create');
        const err = await failure(e.submit(job(e), ctx()));
        expect(err).toBeInstanceOf(EngineError);
        expect(err.code).toBe('provider_submit_uncertain');
        expect(err.retryable).toBe(false);
        expect(fake.server.count('create') - before).toBe(1);
      }
    });

    it('fetches a fresh result URL when the first one has expired', async () => {
      const e = await fresh();
      fake.server.faults.once('download', { kind: 'expired_output' });
      const before = fake.server.count('download');
      const file = await runEngineToFile(e, job(e), ctx());
      expect(fake.server.count('download') - before).toBe(2);
      expect((await probe(bins.ffprobe, file)).durationSeconds).toBeGreaterThan(0);
    });

    it("fails a refused prompt with content_policy_violation and the provider's reason", async () => {
      const e = await fresh();
      fake.server.faults.once('create', { kind: 'content_policy' });
      const err = await failure(runEngineToFile(e, job(e), ctx()));
      expect(err.code).toBe('content_policy_violation');
      expect(err.retryable).toBe(false);
      expect(err.message).toMatch(s.refusalText);
    });

    it('turns a bad key or billing refusal into engine_misconfigured, without the key in the message', async () => {
      for (const kind of ['auth', 'billing'] as const) {
        const e = await fresh();
        fake.server.faults.once('create', { kind });
        const err = await failure(e.submit(job(e), ctx()));
        expect(err.code).toBe('engine_misconfigured');
        expect(err.retryable).toBe(false);
        expect(err.message).not.toContain(FAKE_KEY);
      }
    });

    it('marks a model the provider no longer has as retired and refuses it without another call', async () => {
      const e = await fresh();
      const card = e.models().find((c) => c.id === s.model)!;
      expect(e.models().find((c) => c.id === s.model)).toBe(card); // published once, not per call
      fake.server.faults.once('create', { kind: 'model_not_found' });
      expect(await failure(e.submit(job(e), ctx()))).toBeInstanceOf(ModelRetired);
      expect(e.models().find((c) => c.id === s.model)!.available).toBe(false);
      expect(e.retirement(s.model)).not.toBeNull();
      const before = fake.server.count('create');
      expect(await failure(e.submit(job(e), ctx()))).toBeInstanceOf(ModelRetired);
      expect(fake.server.count('create')).toBe(before);
    });

    it('opens the circuit after consecutive failures: no calls reach the provider until the cooldown ends', async () => {
      // The engine's clock is the test's: the cooldown passes when the test says so, not when the machine is slow.
      let clock = Date.now();
      const e = await fresh({ breaker: { failureThreshold: 3, cooldownMs: 600 } }, () => clock);
      fake.server.faults.always('*', { kind: 'http', status: 503 });
      const first = await failure(e.submit(job(e), ctx()));
      expect(first).toBeInstanceOf(ProviderUnavailable);
      expect((await e.breaker.snapshot()).state).toBe('open');
      const seen = fake.server.calls.length;
      const again = await failure(e.submit(job(e), ctx()));
      expect((again as ProviderUnavailable).reason).toBe('circuit_open');
      expect(fake.server.calls.length).toBe(seen);
      clock += 599;
      expect((await failure(e.submit(job(e), ctx())) as ProviderUnavailable).reason).toBe('circuit_open');
      expect(fake.server.calls.length).toBe(seen);
      fake.server.faults.clear();
      clock += 1;
      await runEngineToFile(e, job(e), ctx());
      expect((await e.breaker.snapshot()).state).toBe('closed');
    });

    it('keeps the key out of every error when the provider echoes it (plain, base64, URL-encoded, half-masked)', async () => {
      const e = await fresh();
      const secrets = e.adapter.secrets();
      const key = s.key ?? FAKE_KEY;
      const echo = `request from ${key} (basic ${Buffer.from(`api:${key}`).toString('base64')}, ${Buffer.from(key).toString('base64url')}, ?key=${encodeURIComponent(key)}, ${key.slice(0, 14)}…)`;
      // Each provider reads these its own way (a refusal, bad key, policy, a lost create): none may echo the key.
      for (const [status, words] of [[400, 'bad request'], [400, 'flagged by moderation'], [401, 'invalid key'], [500, 'internal error']] as const) {
        fake.server.faults.once('create', { kind: 'http', status, message: `${words}: ${echo}` });
        const err = await failure(e.submit(job(e), ctx()));
        expect(err).toBeInstanceOf(EngineError);
        const text = `${err.message}\n${err.detail ?? ''}`;
        expect(leaked(text, [key, ...secrets]), text).toEqual([]);
        expect(text, `${status} ${words}`).toContain('[redacted]');
      }
    });

    if (s.cancel) {
      it('cancels the job at the provider', async () => {
        const e = await fresh();
        fake.tasks.holdNew = true;
        const j = job(e);
        const known = new Set(fake.tasks.all().map((t) => t.id));
        const r = await e.submit(j, ctx());
        expect(r.kind).toBe('submitted');
        const id = (r as { providerJobId: string }).providerJobId;
        const mine = fake.tasks.all().filter((t) => !known.has(t.id));
        expect(mine).toHaveLength(1);
        expect(id).toContain(mine[0]!.id);
        const cancelledBefore = new Set(fake.tasks.all().filter((t) => t.cancelled).map((t) => t.id));
        await e.cancel({ ...j, providerJobId: id });
        // Exactly this video's task was cancelled at the provider, and no other.
        expect(fake.tasks.all().filter((t) => t.cancelled && !cancelledBefore.has(t.id)).map((t) => t.id)).toEqual([mine[0]!.id]);
      });

      it('cancelling a job the provider no longer knows is not an error', async () => {
        const e = await fresh();
        const j = job(e);
        const before = fake.server.count('cancel');
        await e.cancel({ ...j, providerJobId: 'gone-0000' });
        expect(fake.server.count('cancel') - before).toBe(1);
        expect(fake.server.calls.at(-1)!.status).toBe(404);
      });
    }

    s.wire?.({
      fake: () => fake,
      async run(model, over = {}) {
        const e = await fresh();
        const mark = fake.server.calls.length;
        const file = await runEngineToFile(e, job(e, over, model), ctx());
        const calls = fake.server.calls.slice(mark);
        return { calls, bodies: calls.filter((c) => c.route === 'create').map((c) => c.body as Record<string, any>), file };
      },
    });
  });
}
