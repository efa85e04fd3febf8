// One studio session for a browser test file: a real `melies serve` on a fresh data folder (SQLite,
// sketch), Chromium with one desktop page (dark, 1280x900; a page error fails the test), all
// removed after the file's tests. Call it at the top of the file; read `s.server` and `s.page` in tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { serveProcess, type MeliesProcess } from '../helpers/process.js';
import { launchChromium } from './browser.js';

export interface StudioSession {
  dataDir: string;
  server: MeliesProcess & { url: string };
  page: Page;
}

export function useStudioSession(prefix: string, env: Record<string, string> = {}, context: { acceptDownloads?: boolean } = {}): StudioSession {
  const s = {} as StudioSession;
  let browser: Browser | undefined;
  beforeAll(async () => {
    s.dataDir = mkdtempSync(join(tmpdir(), prefix));
    s.server = await serveProcess(s.dataDir, env);
    browser = await launchChromium();
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'dark', bypassCSP: true, ...context });
    s.page = await ctx.newPage();
    s.page.on('pageerror', (err) => { throw err; });
  });
  afterAll(async () => {
    await browser?.close();
    if (s.server) {
      s.server.child.kill('SIGTERM');
      await s.server.exited;
    }
    if (s.dataDir) rmSync(s.dataDir, { recursive: true, force: true });
  });
  return s;
}
