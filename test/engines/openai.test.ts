// The OpenAI-compatible adapter, twice: against a fake of OpenAI's Videos API (plain model list,
// Sora cards from public limits; the shared cloud suite), and against a real Méliès server as the
// upstream (its capability cards are discovered; its clashing `sketch` becomes `openai/sketch`).
// Pointed at api.openai.com itself, the Sora cards are published as retired (shut down 2026-09-24).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenAiAdapter } from '../../src/engines/openai/openai.adapter.js';
import { CloudEngine } from '../../src/engines/cloud/cloud-engine.js';
import { runEngineContract } from '../../src/engines/engine.contract.js';
import { FAKE_KEY, runCloudSuite, testDownloader, testSettings } from '../fakes/shared/cloud-suite.js';
import { startOpenAiFake } from '../fakes/openai/openai.fake.js';
import { bins } from '../helpers/media.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const adapter = (apiKey: string, baseUrl: string, reserved: string[] = []) =>
  new OpenAiAdapter({ apiKey, baseUrl, modelPrefix: '', refreshMs: 3_600_000, reservedIds: () => new Set(reserved) });

let fakeBase = '';
runCloudSuite({
  name: 'openai-compatible',
  start: async () => { const f = await startOpenAiFake({ apiKey: FAKE_KEY }); fakeBase = f.baseUrl; return f; },
  adapter: (k) => adapter(k, fakeBase),
  model: 'sora-2',
  refusalText: /blocked by our moderation system/,
  cancel: true,
  discovers: true,
  wire: (h) => describe('openai-compatible wire format', () => {
    it('sent seconds as a string and size as WxH, and no Méliès extensions to a plain upstream', async () => {
      const { bodies } = await h.run('sora-2');
      expect(bodies).toHaveLength(1);
      expect(bodies[0]).toMatchObject({ model: 'sora-2', seconds: expect.stringMatching(/^(4|8|12)$/), size: expect.stringMatching(/^\d+x\d+$/) });
      expect(bodies[0]).not.toHaveProperty('seed');
      expect(bodies[0]).not.toHaveProperty('fps');
    });
  }),
});

describe('openai-compatible adapter', () => {
  it('after a restart with the upstream unreachable, a paid job keeps waiting instead of failing', async () => {
    const base = 'http://127.0.0.1:9/v1'; // nothing listens on the discard port
    const e = new CloudEngine(adapter('sk-x', base), testSettings(base, { retry: { maxAttempts: 1, baseDelayMs: 5, maxDelayMs: 5, maxRetryAfterMs: 10 } }), { download: testDownloader, media: bins });
    await e.start();
    expect(e.models()).toEqual([]);
    const job = { videoId: 'video_x', model: 'studio-model', prompt: 'p', seconds: 4, width: 320, height: 180, fps: 24, seed: 1, inputImagePath: null, providerJobId: 'video_up', negativePrompt: null };
    const workDir = mkdtempSync(join(tmpdir(), 'melies-openai-'));
    try {
      const r = await e.poll(job, { workDir, signal: new AbortController().signal, attempt: 1, reportProgress: () => {} });
      expect(r).toMatchObject({ kind: 'running' });
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
  });

  it('publishes the Sora cards as retired when pointed at api.openai.com, naming the shutdown', () => {
    const e = new CloudEngine(adapter('sk-x', 'https://api.openai.com/v1'), testSettings('https://api.openai.com/v1'), { download: testDownloader, media: bins });
    const cards = e.models();
    expect(cards.map((c) => c.id)).toEqual(['sora-2', 'sora-2-pro']);
    expect(cards.every((c) => !c.available)).toBe(true);
    expect(e.retirement('sora-2')?.message).toMatch(/2026-09-24/);
  });
});

describe('another Méliès as the upstream', () => {
  let upstream: TestServer;
  let engine: CloudEngine;
  beforeAll(async () => {
    upstream = await startTestServer();
    engine = new CloudEngine(adapter('mls_any', `${upstream.url}/v1`, ['sketch']), testSettings(`${upstream.url}/v1`, { pollIntervalMs: 50 }), { download: testDownloader, media: bins });
    await engine.start();
  });
  afterAll(async () => { await engine?.stop(); await upstream?.stop(); });

  it("discovers the upstream's capability cards and renames a clashing id", () => {
    const card = engine.models().find((c) => c.id === 'openai/sketch')!;
    expect(card).toMatchObject({ engine: 'openai', kind: 'cloud', seed: true, fps: [12, 24, 30], available: true });
    expect(card.sizes).toContain('1280x720');
  });

  runEngineContract('openai-compatible → Méliès', () => engine, { ffmpeg: bins.ffmpeg, ffprobe: bins.ffprobe, durationTolerance: 0.05 });
});
