// Image limits through an OpenAI-compatible upstream: Sora's (the image must be the video's size)
// and those another Méliès publishes on its cards, within the data-URL cap of the Videos API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudEngine } from '../../src/engines/cloud/cloud-engine.js';
import { OpenAiAdapter } from '../../src/engines/openai/openai.adapter.js';
import { testDownloader, testSettings } from '../fakes/shared/cloud-suite.js';
import { bins } from '../helpers/media.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const adapter = (baseUrl: string) => new OpenAiAdapter({ apiKey: 'k', baseUrl, modelPrefix: '', refreshMs: 3_600_000, reservedIds: () => new Set(['sketch']) });

describe('image limits of OpenAI-compatible upstreams', () => {
  let upstream: TestServer;
  let engine: CloudEngine;
  beforeAll(async () => {
    upstream = await startTestServer({ uploads: { maxPixels: 2048 * 2048 } });
    engine = new CloudEngine(adapter(`${upstream.url}/v1`), testSettings(`${upstream.url}/v1`, { pollIntervalMs: 50 }), { download: testDownloader, media: bins });
    await engine.start();
  });
  afterAll(async () => { await engine?.stop(); await upstream?.stop(); });

  it('Sora needs the image at the video size, sent as a data URL of at most 20971520 characters', () => {
    const sora = adapter('https://api.openai.com/v1').catalogue().find((e) => e.card.id === 'sora-2')!.card;
    expect(sora.imageInput).toMatchObject({ types: ['image/png', 'image/jpeg', 'image/webp'], matchVideoSize: true, maxBytes: 15_728_622 });
  });

  it("takes another Méliès's published limits (its pixel cap), within the data-URL cap", () => {
    const card = engine.models().find((c) => c.id === 'openai/sketch')!;
    expect(card.imageInput).toEqual({
      types: ['image/png', 'image/jpeg', 'image/webp'], maxPixels: 2048 * 2048, maxBytes: 15_728_622,
      via: 'inline as a data URL, which the Videos API caps at 20971520 characters',
    });
  });
});
