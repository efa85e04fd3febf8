// The one-time link that creates the first admin is printed for people to open: behind a proxy
// it must be the public address (MELIES_PUBLIC_URL), not the loopback one the server listens on.
import { describe, expect, it } from 'vitest';
import { startAccountServer } from '../helpers/accounts.js';

describe('setup link', () => {
  it('uses MELIES_PUBLIC_URL when set, the listen address otherwise', async () => {
    const behindProxy = await startAccountServer('sqlite', { publicUrl: 'https://melies.example.org/' });
    try {
      expect(behindProxy.setupUrl).toMatch(/^https:\/\/melies\.example\.org\/setup#token=[A-Za-z0-9_-]+$/);
    } finally {
      await behindProxy.stop();
    }
    const local = await startAccountServer('sqlite');
    try {
      expect(local.setupUrl?.startsWith(`${local.url}/setup#token=`)).toBe(true);
    } finally {
      await local.stop();
    }
  });
});
