import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, makeConfig } from './config.js';

describe('comfyui config', () => {
  it('is off by default and takes one URL, or several, from COMFYUI_URLS, without trailing slashes', () => {
    expect(makeConfig({}).comfyui.servers).toEqual([]);
    const c = loadConfig({ env: { COMFYUI_URLS: 'http://gpu-1:8188, http://gpu-2:8188/' } });
    expect(c.comfyui.servers).toEqual([
      { url: 'http://gpu-1:8188', label: null, concurrency: 1, templates: null },
      { url: 'http://gpu-2:8188', label: null, concurrency: 1, templates: null },
    ]);
    expect(makeConfig({ comfyui: { servers: [{ url: 'https://box.lan/comfy//' }] } }).comfyui.servers[0]!.url).toBe('https://box.lan/comfy');
  });

  it('takes labelled servers with their own concurrency and templates from the config file shape', () => {
    const c = makeConfig({ comfyui: { servers: [{ url: 'https://box.lan/comfy', label: 'RTX 4090', concurrency: 2, templates: ['ltx-video'] }, 'http://127.0.0.1:8188'], templatesDir: './my-workflows' } });
    expect(c.comfyui.servers[0]).toEqual({ url: 'https://box.lan/comfy', label: 'RTX 4090', concurrency: 2, templates: ['ltx-video'] });
    expect(c.comfyui).toMatchObject({ templatesDir: './my-workflows', bundledTemplates: true, healthIntervalMs: 10_000, unavailableAfterMs: 300_000 });
  });

  it('names a bad setting', () => {
    expect(() => makeConfig({ comfyui: { servers: ['gpu-1:8188'] } })).toThrow(ConfigError);
    expect(() => makeConfig({ comfyui: { servers: [{ url: 'http://x:1', concurrency: 0 }] } })).toThrow(/comfyui\.servers\[0\]\.concurrency/);
  });
});
