// API keys' shape and checksum: keys already handed out keep working when the code changes.
import { describe, expect, it } from 'vitest';
import { isWellFormedApiKey, newApiKey, sha256Hex } from './secrets.js';

describe('API key checksum', () => {
  it('accepts keys issued before the checksum was computed without BigInt, and refuses a mistyped one', () => {
    // Made by the earlier code (BigInt base62), which issued the keys in people's scripts today.
    const issued = 'mls_9nrIM8XnsT8TFH2X1XZaHmvxoOdznZGLxH6Yxs4fthV_07Z5wm';
    expect(isWellFormedApiKey(issued)).toBe(true);
    expect(isWellFormedApiKey(issued.replace('_07Z5wm', '_07Z5wn'))).toBe(false);
    expect(isWellFormedApiKey(issued.replace('9nrIM', '9nrIN'))).toBe(false);
    expect(isWellFormedApiKey(`${issued} `)).toBe(false);
  });

  it('makes keys that check, stored only as their SHA-256', () => {
    for (let i = 0; i < 200; i++) {
      const k = newApiKey();
      expect(k.secret).toMatch(/^mls_[0-9A-Za-z]{43}_[0-9A-Za-z]{6}$/);
      expect(isWellFormedApiKey(k.secret)).toBe(true);
      expect(k.hash).toBe(sha256Hex(k.secret));
      expect(k.secret.startsWith(k.prefix)).toBe(true);
    }
  });
});
