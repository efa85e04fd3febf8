import { describe, expect, it } from 'vitest';
import { loadConfig, makeConfig } from './config.js';

describe('cloud config', () => {
  it('maps provider base URLs and the poll interval from the environment; adapters default to on, no caps', () => {
    const c = loadConfig({ env: { OPENAI_BASE_URL: 'http://10.0.0.5:8080/v1', MELIES_RUNWAY_BASE_URL: 'https://proxy.example/runway', MELIES_CLOUD_POLL_MS: '250' } });
    expect(c.cloud.openai.baseUrl).toBe('http://10.0.0.5:8080/v1');
    expect(c.cloud.runway.baseUrl).toBe('https://proxy.example/runway');
    expect(c.cloud.pollIntervalMs).toBe(250);
    expect(c.cloud.veo).toMatchObject({ enabled: true, dailyCapUsd: null, concurrency: 4, prices: {} });
  });

  it('takes fallbacks as lists or "a,b" strings, caps and prices as numbers, and refuses nonsense', () => {
    const c = makeConfig({ cloud: { fallbacks: { 'runway/gen4_turbo': 'luma/ray-2, veo-3.1-fast-generate-preview', 'luma/ray-2': ['runway/gen4.5'] }, minimax: { dailyCapUsd: '12.5' as never, enabled: 'off' as never, prices: { 'minimax/MiniMax-Hailuo-02': { usdPerSecond: 0.05, checkedAt: '2026-11-01' } } } } });
    expect(c.cloud.fallbacks).toEqual({ 'runway/gen4_turbo': ['luma/ray-2', 'veo-3.1-fast-generate-preview'], 'luma/ray-2': ['runway/gen4.5'] });
    expect(c.cloud.minimax).toMatchObject({ dailyCapUsd: 12.5, enabled: false });
    expect(() => makeConfig({ cloud: { runway: { baseUrl: 'not a url' } } })).toThrow(/cloud.runway.baseUrl/);
    expect(() => makeConfig({ cloud: { veo: { dailyCapUsd: -1 } } })).toThrow(/cloud.veo.dailyCapUsd/);
  });
});
