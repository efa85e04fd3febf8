// Canary provider keys for all eight cloud adapters on a real multi-user server process, logging
// at trace level, each adapter making a real video against its fake (so the keys do reach the
// providers) plus failures whose provider answer echoes the key in full: no key appears in any
// response, header, log line, database row or job payload. Also the role-aware message: a bad key
// is explained in full to the admin (redacted) and neutrally to a member.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminAndMemberOfProcess, Caller } from '../helpers/accounts.js';
import { dumpDatabase, Transcript } from '../helpers/canary.js';
import { serveProcess, type MeliesProcess } from '../helpers/process.js';
import { probeBytes } from '../helpers/media.js';
import { startFalFake } from '../fakes/fal/fal.fake.js';
import { startKlingFake } from '../fakes/kling/kling.fake.js';
import { startLumaFake } from '../fakes/luma/luma.fake.js';
import { startMinimaxFake } from '../fakes/minimax/minimax.fake.js';
import { startOpenAiFake } from '../fakes/openai/openai.fake.js';
import { startReplicateFake } from '../fakes/replicate/replicate.fake.js';
import { startRunwayFake } from '../fakes/runway/runway.fake.js';
import { startVeoFake } from '../fakes/veo/veo.fake.js';

const C = {
  openai: 'sk-canary-openai-5c1e0b9a7d3f', veo: 'AIza-canary-veo-8b2d4f6a1c3e', runway: 'key_canary_runway_3e5a7c9b1d2f',
  luma: 'luma-canary-6d8f0a2c4e1b', klingAccess: 'ak-canary-kling-4b6d8f0a', klingSecret: 'sk-canary-kling-secret-1a3c5e7b',
  minimax: 'mm-canary-minimax-9e1c3a5b7d', replicate: 'r8_canary_replicate_2f4b6d8a0c', fal: 'fal-canary-7a9c1e3b5d:0f2d4b6a',
};
const ALL = Object.values(C);

let dataDir: string;
let server: MeliesProcess & { url: string };
let fakes: Record<string, { server: { accepted(r: string): number; faults: { once(route: string, f: { kind: 'auth' }): unknown } }; stop(): Promise<void> }>;
let admin: Caller;
let member: Caller;
const transcript = new Transcript();
const record = (c: Caller, method: string, path: string, body?: unknown) => transcript.record(c, method, path, body);
async function finished(c: Caller, id: string) {
  for (let i = 0; i < 600; i++) {
    const r = await record(c, 'GET', `/v1/videos/${id}`);
    if (r.json.status === 'completed' || r.json.status === 'failed') return r.json;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`video ${id} did not finish`);
}

beforeAll(async () => {
  const f = {
    openai: await startOpenAiFake({ apiKey: C.openai, echoKey: true }),
    veo: await startVeoFake({ apiKey: C.veo }),
    runway: await startRunwayFake({ apiKey: C.runway }),
    luma: await startLumaFake({ apiKey: C.luma }),
    kling: await startKlingFake({ accessKey: C.klingAccess, secretKey: C.klingSecret }),
    minimax: await startMinimaxFake({ apiKey: C.minimax }),
    replicate: await startReplicateFake({ token: C.replicate }),
    fal: await startFalFake({ key: C.fal }),
  };
  fakes = f;
  dataDir = mkdtempSync(join(tmpdir(), 'melies-cloud-canary-'));
  server = await serveProcess(dataDir, {
    MELIES_AUTH: 'multi', MELIES_LOG_LEVEL: 'trace', MELIES_CLOUD_POLL_MS: '50',
    OPENAI_API_KEY: C.openai, OPENAI_BASE_URL: f.openai.baseUrl, GEMINI_API_KEY: C.veo, MELIES_VEO_BASE_URL: f.veo.baseUrl,
    RUNWAY_API_KEY: C.runway, MELIES_RUNWAY_BASE_URL: f.runway.baseUrl, LUMA_API_KEY: C.luma, MELIES_LUMA_BASE_URL: f.luma.baseUrl,
    KLING_ACCESS_KEY: C.klingAccess, KLING_SECRET_KEY: C.klingSecret, MELIES_KLING_BASE_URL: f.kling.baseUrl,
    MINIMAX_API_KEY: C.minimax, MELIES_MINIMAX_BASE_URL: f.minimax.baseUrl, REPLICATE_API_TOKEN: C.replicate, MELIES_REPLICATE_BASE_URL: f.replicate.baseUrl,
    FAL_KEY: C.fal, MELIES_FAL_BASE_URL: f.fal.baseUrl,
  });
  ({ admin, member } = await adminAndMemberOfProcess(server.url, server.output()));
});
afterAll(async () => {
  server?.child.kill('SIGTERM');
  await server?.exited;
  await Promise.all(Object.values(fakes ?? {}).map((f) => f.stop()));
  rmSync(dataDir, { recursive: true, force: true });
});

const ONE_EACH: Array<[string, Record<string, string>]> = [
  ['openai', { model: 'sora-2', seconds: '4', size: '720x1280' }],
  ['veo', { model: 'veo-3.1-fast-generate-preview', seconds: '4' }],
  ['runway', { model: 'runway/gen4.5', seconds: '2' }],
  ['luma', { model: 'luma/ray-flash-2', seconds: '5', size: '960x540' }],
  ['kling', { model: 'kling/kling-v2-5-turbo', seconds: '5', size: '720x720' }],
  ['minimax', { model: 'minimax/MiniMax-Hailuo-02', seconds: '6' }],
  ['replicate', { model: 'replicate/google/veo-3-fast', seconds: '4' }],
  ['fal', { model: 'fal/fal-ai/kling-video/v2.5-turbo/pro/text-to-video', seconds: '5', size: '1080x1080' }],
];

describe('cloud provider keys stay on the server (canaries, all eight adapters)', () => {
  // Eight encodes in a child process: give a busy two-core machine time.
  it('makes a video on every provider with the canary keys, which never come back out', { timeout: 240_000 }, async () => {
    const models = await record(member, 'GET', '/v1/models');
    expect(models.json.data.map((m: { owned_by: string }) => m.owned_by)).toEqual(expect.arrayContaining(ONE_EACH.map(([p]) => p)));
    // The Pro plan runs three videos at a time: three providers at once.
    const ids: string[] = [];
    const done: Array<{ model: string; status: string }> = [];
    for (let i = 0; i < ONE_EACH.length; i += 3) {
      const batch = await Promise.all(ONE_EACH.slice(i, i + 3).map(async ([, body]) => {
        const r = await record(member, 'POST', '/v1/videos', { prompt: 'a harbour at dawn', ...body });
        expect(r.status, JSON.stringify(r.json)).toBe(200);
        return r.json.id as string;
      }));
      ids.push(...batch);
      done.push(...(await Promise.all(batch.map((id) => finished(member, id)))));
    }
    expect(done.map((v) => [v.model, v.status])).toEqual(ONE_EACH.map(([, b]) => [b.model, 'completed']));
    for (const [p] of ONE_EACH) expect(fakes[p]!.server.accepted('create'), p).toBeGreaterThanOrEqual(1); // the keys did reach every provider
    const bytes = await fetch(`${server.url}/v1/videos/${ids[0]}/content`, { headers: { authorization: `Bearer ${member.auth.key}` } });
    expect((await probeBytes(await bytes.arrayBuffer())).video?.codec).toBe('h264');
    for (const id of ids) await record(member, 'GET', `/api/videos/${id}`);
    await record(member, 'GET', '/v1/videos');
  });

  it('explains a refused key in full (redacted) to the admin and neutrally to a member', async () => {
    fakes.openai!.server.faults.once('create', { kind: 'auth' });
    const mine = await record(admin, 'POST', '/v1/videos', { prompt: 'x', model: 'sora-2', seconds: '4', size: '720x1280' });
    const adminView = await finished(admin, mine.json.id);
    expect(adminView.error.code).toBe('engine_misconfigured');
    expect(adminView.error.detail).toMatch(/OPENAI_API_KEY/);
    expect(adminView.error.detail).toContain('[redacted]');
    fakes.openai!.server.faults.once('create', { kind: 'auth' });
    const theirs = await record(member, 'POST', '/v1/videos', { prompt: 'x', model: 'sora-2', seconds: '4', size: '720x1280' });
    const memberView = await finished(member, theirs.json.id);
    expect(memberView.error.code).toBe('engine_misconfigured');
    expect(memberView.error.message).not.toMatch(/OPENAI_API_KEY|HTTP 401|Incorrect/);
    expect(memberView.error.message).toMatch(/operator/);
    for (const path of ['/api/admin/users', '/api/admin/audit?limit=500', '/api/engines']) await record(admin, 'GET', path);
  });

  it('no canary in any response, log line (trace level), database row or job payload', () => {
    const everything = transcript.text();
    expect(everything.length).toBeGreaterThan(5000);
    for (const k of ALL) expect(everything, k).not.toContain(k);
    const out = server.output();
    expect(out).toContain('"msg":"generating"');
    for (const k of ALL) expect(out, k).not.toContain(k);
    const { tables, dump } = dumpDatabase(dataDir);
    expect(tables).toEqual(expect.arrayContaining(['queue_jobs', 'spend_ledger', 'videos']));
    expect(dump).toContain('a harbour at dawn');
    for (const k of ALL) expect(dump, k).not.toContain(k);
  });
});
