// The redactor is only as good as its list: every provider key and every credential in a
// configured URL is on it.
import { describe, expect, it } from 'vitest';
import { makeConfig } from './config.js';
import { serverSecrets } from './secrets.js';

describe('serverSecrets', () => {
  it('lists provider keys and the credentials inside configured URLs', () => {
    const config = makeConfig({
      databaseUrl: 'postgres://melies:db-pass%2Fword@127.0.0.1:5432/melies',
      redisUrl: 'redis://:redis-secret-1@127.0.0.1:6379',
      providerKeys: { runway: 'key_runway_123456', kling_access: 'ak-kling-abcdef', kling_secret: 'sk-kling-ghijkl' },
      cloud: { openai: { baseUrl: 'https://proxy:proxy-pass-99@llm.example.org/v1?api_key=query-key-77' } },
      comfyui: { servers: ['http://gpu:comfy-pass-42@10.0.0.5:8188'] },
    });
    expect(serverSecrets(config)).toEqual(expect.arrayContaining([
      'key_runway_123456', 'ak-kling-abcdef', 'sk-kling-ghijkl', 'db-pass%2Fword', 'db-pass/word', 'redis-secret-1',
      'proxy-pass-99', 'query-key-77', 'comfy-pass-42',
    ]));
  });

  it('is empty for a server with nothing secret', () => {
    expect(serverSecrets(makeConfig({}))).toEqual([]);
  });
});
