// The logger's last pass: whatever is logged (a provider's text quoting a key, an error carrying a
// configured password, a header), the line written has no form of any secret the server holds.
import { describe, expect, it } from 'vitest';
import { makeConfig } from '../config/config.js';
import { serverSecrets } from '../config/secrets.js';
import { Redactor } from '../domain/redaction.js';
import { leaked } from '../../test/helpers/leaks.js';
import { makeLogger } from './stack.js';

describe('the server logger', () => {
  it('writes no form of any server secret, whatever is logged', () => {
    const config = makeConfig({
      logLevel: 'trace',
      providerKeys: { runway: 'key_runway_9f8e7d6c5b4a39', kling_secret: 'sk-kling-secret-0a1b2c3d4e' },
      comfyui: { servers: ['http://gpu:comfy-password-77@10.0.0.5:8188'] },
    });
    const secrets = serverSecrets(config);
    const lines: string[] = [];
    const log = makeLogger(config, new Redactor(secrets), {}, { write: (line: string) => { lines.push(line); } });
    log.warn({ err: new Error(`Runway said: bad key key_runway_9f8e7d6c5b4a39 (${Buffer.from('x:sk-kling-secret-0a1b2c3d4e').toString('base64')})`) }, 'provider failed');
    log.info({ server: 'http://gpu:comfy-password-77@10.0.0.5:8188', echoed: encodeURIComponent('key_runway_9f8e7d6c5b4a39') }, 'comfyui down');
    log.child({ videoId: 'video_1' }).error(`half-masked: ${'key_runway_9f8e7d6c5b4a39'.slice(0, 14)}…`);
    expect(lines).toHaveLength(3);
    expect(lines.every((l) => JSON.parse(l).msg)).toBe(true); // still one JSON object a line
    expect(lines.join('')).toContain('Runway said: bad key [redacted]');
    expect(leaked(lines.join(''), secrets)).toEqual([]);
  });
});
