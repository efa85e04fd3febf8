// Veo adapter against its fake: the shared cloud suite, plus the Gemini API's wire: the key only in
// x-goog-api-key (never the URL), no seed, the authenticated file link that redirects to storage.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { VeoAdapter } from '../../src/engines/veo/veo.adapter.js';
import { FAKE_KEY, runCloudSuite } from '../fakes/shared/cloud-suite.js';
import { startVeoFake } from '../fakes/veo/veo.fake.js';
import { solidPng, tempFile } from '../helpers/media.js';

runCloudSuite({
  name: 'veo',
  start: () => startVeoFake({ apiKey: FAKE_KEY }),
  adapter: (k) => new VeoAdapter(k),
  model: 'veo-3.1-fast-generate-preview',
  refusalText: /You have not been charged/,
  wire: (h) => describe('veo wire format', () => {
    it('sent instances/parameters without a seed, and downloaded through the keyed file link', async () => {
      const { bodies, calls } = await h.run('veo-3.1-fast-generate-preview');
      expect(bodies).toHaveLength(1);
      const b = bodies[0]!;
      expect(b.instances[0].prompt).toEqual(expect.any(String));
      expect(b.parameters).toMatchObject({ durationSeconds: expect.any(Number), aspectRatio: expect.stringMatching(/^(16:9|9:16)$/), resolution: expect.stringMatching(/^(720|1080)p$/) });
      expect(b.parameters.seed).toBeUndefined();
      expect(calls.filter((c) => c.route === 'file')).toHaveLength(1);
      expect(calls.map((c) => `${c.path}${c.search}`).filter((u) => u.includes(FAKE_KEY))).toEqual([]);
      expect(b.instances[0].referenceImages).toBeUndefined();
    });

    it("sends characters' looks as Veo 3.1 reference images (asset), beside no first frame", async () => {
      const look = await solidPng('#ff0000', 32, 32);
      const { bodies } = await h.run('veo-3.1-fast-generate-preview', { characterImages: [tempFile(look, 'character-0.png'), tempFile(look, 'character-1.png')], seconds: 8 });
      const refs = bodies[0]!.instances[0].referenceImages;
      expect(refs).toEqual([
        { image: { bytesBase64Encoded: look.toString('base64'), mimeType: 'image/png' }, referenceType: 'asset' },
        { image: { bytesBase64Encoded: look.toString('base64'), mimeType: 'image/png' }, referenceType: 'asset' },
      ]);
      expect(bodies[0]!.instances[0].image).toBeUndefined();
    });
    it('sends a last frame as instances[0].lastFrame beside image, on Veo 3.1 (issue 15 §5)', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'veo-flf-'));
      onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
      const [first, last] = [join(dir, 'first.png'), join(dir, 'last.png')];
      writeFileSync(first, await solidPng('#cc3333', 320, 180));
      writeFileSync(last, await solidPng('#3333cc', 320, 180));
      const { bodies } = await h.run('veo-3.1-fast-generate-preview', { inputImagePath: first, lastFrameImagePath: last });
      const inst = bodies[0]!.instances[0];
      expect(inst.image).toMatchObject({ mimeType: 'image/png', bytesBase64Encoded: expect.any(String) });
      expect(inst.lastFrame).toEqual({ mimeType: 'image/png', bytesBase64Encoded: (await solidPng('#3333cc', 320, 180)).toString('base64') });
      expect(h.fake().tasks.all().at(-1)!.params.lastFrame).toBe(true);
    });
  }),
});

describe('veo requests refused before any call', () => {
  it('refuses 1080p at less than 8 seconds before any call', () => {
    const a = new VeoAdapter('k');
    const e = a.catalogue()[0]!;
    expect(a.requestProblem(e, { seconds: 4, width: 1920, height: 1080, fps: 24, hasImage: false, hasNegativePrompt: false, promptLength: 5 })?.param).toBe('seconds');
    expect(a.requestProblem(e, { seconds: 8, width: 1920, height: 1080, fps: 24, hasImage: false, hasNegativePrompt: false, promptLength: 5 })).toBeNull();
  });

  it('takes characters only on Veo 3.1, and only at 8 seconds', () => {
    const a = new VeoAdapter('k');
    const byId = new Map(a.catalogue().map((e) => [e.card.id, e]));
    expect([...byId.values()].filter((e) => e.card.characters).map((e) => e.card.id)).toEqual(['veo-3.1-generate-preview', 'veo-3.1-fast-generate-preview']);
    const shape = { width: 1280, height: 720, fps: 24, hasImage: false, hasNegativePrompt: false, promptLength: 5, characters: 1 };
    expect(a.requestProblem(byId.get('veo-3.1-generate-preview')!, { ...shape, seconds: 4 })?.message).toMatch(/only at 8 seconds/);
    expect(a.requestProblem(byId.get('veo-3.1-generate-preview')!, { ...shape, seconds: 8 })).toBeNull();
  });

  it('takes a last frame only on Veo 3.1, and only with a first', () => {
    const a = new VeoAdapter('k');
    const cards = Object.fromEntries(a.catalogue().map((e) => [e.card.id, e]));
    expect(cards['veo-3.1-generate-preview']!.card.lastFrame).toBe(true);
    expect(cards['veo-3.0-generate-001']!.card.lastFrame).toBeUndefined();
    const shape = { seconds: 8, width: 1280, height: 720, fps: 24, hasNegativePrompt: false, promptLength: 5, hasLastFrame: true };
    expect(a.requestProblem(cards['veo-3.1-generate-preview']!, { ...shape, hasImage: false })?.param).toBe('last_frame');
    expect(a.requestProblem(cards['veo-3.1-generate-preview']!, { ...shape, hasImage: true })).toBeNull();
  });
});
