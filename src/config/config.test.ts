import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, makeConfig } from './config.js';

describe('config', () => {
  it('has the documented defaults', () => {
    const c = loadConfig({ env: {}, cwd: '/srv/app' });
    expect(c.host).toBe('127.0.0.1');
    expect(c.port).toBe(8080);
    expect(c.dataDir).toBe('/srv/app/data');
    expect(c.databaseUrl).toBeNull();
    expect(Object.isFrozen(c) && Object.isFrozen(c.jobs)).toBe(true);
  });

  it('layers file < env < overrides', () => {
    const dir = mkdtempSync(join(tmpdir(), 'melies-config-'));
    writeFileSync(join(dir, 'melies.config.json'), JSON.stringify({ port: 9000, jobs: { concurrency: 3, maxAttempts: 5 } }));
    const c = loadConfig({
      env: { MELIES_CONFIG: 'melies.config.json', MELIES_PORT: '9100', MELIES_CONCURRENCY: '4' },
      overrides: { jobs: { concurrency: 2 } },
      cwd: dir,
    });
    expect(c.port).toBe(9100);
    expect(c.jobs.concurrency).toBe(2);
    expect(c.jobs.maxAttempts).toBe(5);
  });

  it('names every bad setting', () => {
    expect(() => makeConfig({ port: 70000, databaseUrl: 'mysql://x' })).toThrowError(ConfigError);
    const load = () => loadConfig({ env: { MELIES_PORT: 'abc', DATABASE_URL: 'mysql://x' } });
    expect(load).toThrow(/port/);
    expect(load).toThrow(/databaseUrl/);
  });

  it('reports an unreadable config file clearly', () => {
    expect(() => loadConfig({ env: { MELIES_CONFIG: '/nonexistent/melies.json' } })).toThrow(/cannot be read/);
  });

  it('parses booleans from the environment', () => {
    expect(loadConfig({ env: { MELIES_FETCH_ALLOW_PRIVATE: 'true' } }).fetch.allowPrivateNetworks).toBe(true);
    expect(loadConfig({ env: { MELIES_FETCH_ALLOW_PRIVATE: '0' } }).fetch.allowPrivateNetworks).toBe(false);
  });

  it('refuses a switch that is neither on nor off in every section, instead of reading it as true', () => {
    expect(() => makeConfig({ fetch: { allowPrivateNetworks: 'flase' } } as never)).toThrow(ConfigError);
    expect(() => makeConfig({ comfyui: { bundledTemplates: 'flase' } } as never)).toThrow(/comfyui\.bundledTemplates/);
    expect(makeConfig({ comfyui: { bundledTemplates: 'off', servers: 'http://a:8188, http://b:8188' } } as never).comfyui)
      .toMatchObject({ bundledTemplates: false, servers: [{ url: 'http://a:8188' }, { url: 'http://b:8188' }] });
  });
});
