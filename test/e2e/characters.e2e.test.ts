// Characters in a real browser against a real multi-user `melies serve` (SQLite, sketch): Ada makes
// a character from a photo in Settings, confirming it is her (the form will not upload without a
// consent answer), shares it with everyone here and makes a video with it from the composer. Bob,
// on his own session, sees it offered in his composer; once Ada narrows it to people she approves,
// Bob's use of it is refused with a message that says whose it is. Axe on the way.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Caller, sessionFrom } from '../helpers/accounts.js';
import { solidPng } from '../helpers/media.js';
import { ROOT, serveProcess, type MeliesProcess } from '../helpers/process.js';
import { launchChromium, seriousA11yViolations } from './browser.js';

let dataDir: string;
let server: MeliesProcess & { url: string };
let browser: Browser;
let ada: Page;
let bob: Page;
let adaApi: Caller;

/** A member registered through an invite, and a browser page signed in with that session. */
async function member(admin: Caller, email: string): Promise<{ page: Page; api: Caller }> {
  const invite = await admin.post('/api/admin/invites', { plan: 'pro', max_uses: 1 });
  const api = sessionFrom(server.url, await new Caller(server.url).post('/api/auth/register', { email, password: 'a long enough password', invite_code: invite.json.code }));
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 1000 }, colorScheme: 'dark', bypassCSP: true });
  const [name, value] = api.auth.cookie!.split('=') as [string, string];
  await ctx.addCookies([{ name, value, url: server.url }]);
  const page = await ctx.newPage();
  page.on('pageerror', (err) => { throw err; });
  return { page, api };
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'melies-e2e-characters-'));
  server = await serveProcess(dataDir, { MELIES_AUTH: 'multi', MELIES_SKETCH_X264_PRESET: 'ultrafast' });
  browser = await launchChromium();
  const token = /\/setup#token=([A-Za-z0-9_-]+)/.exec(server.output())![1];
  const admin = sessionFrom(server.url, await new Caller(server.url).post('/api/auth/setup', { token, email: 'admin@example.org', password: 'correct horse battery' }));
  ({ page: ada, api: adaApi } = await member(admin, 'ada@example.org'));
  ({ page: bob } = await member(admin, 'bob@example.org'));
});

afterAll(async () => {
  await browser?.close();
  if (server) { server.child.kill('SIGTERM'); await server.exited; }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('characters in the studio', () => {
  it('makes a character with a consent answer, shares it, uses it, and refuses someone it no longer allows', async () => {
    // Ada, in Settings: the form waits for a consent answer before it uploads anything.
    await ada.goto(`${server.url}/settings`);
    const form = ada.getByRole('form', { name: 'New character' });
    await form.waitFor();
    await form.getByLabel('Character name').fill('Ada in red');
    await form.getByLabel(/A photo .* or a clip/).setInputFiles({ name: 'ada.png', mimeType: 'image/png', buffer: await solidPng('#cc2222', 256, 256) });
    await form.getByLabel('Who may use it').selectOption('everyone');
    const make = form.getByRole('button', { name: 'Make character' });
    expect(await make.isDisabled()).toBe(true);
    await form.getByLabel('The person shown is me').check();
    await make.click();
    const item = ada.getByRole('listitem', { name: 'Character Ada in red' });
    await item.waitFor();
    expect(await item.textContent()).toContain('Everyone here');
    // The webhooks panel beside it reads its own list the same way (use-optional-list.ts).
    await ada.getByText('No endpoints yet.').waitFor();
    expect(await seriousA11yViolations(ada)).toEqual([]);
    await ada.evaluate(() => document.getElementById('characters-h')!.scrollIntoView());
    await ada.screenshot({ path: join(ROOT, 'docs', 'screenshots', 'characters-desktop.png') });
    const id = /char_[0-9a-f]{32}/.exec((await item.textContent())!)![0];

    // Her composer offers it; a video made with it completes and is listed among its videos.
    await ada.goto(server.url);
    await ada.getByLabel('Prompt', { exact: true }).fill('a woman walking on the beach at dusk');
    await ada.getByRole('checkbox', { name: /Ada in red/ }).check();
    await ada.getByRole('button', { name: /^Create/ }).click();
    await expect.poll(async () => (await adaApi.get(`/api/characters/${id}`)).json.videos?.length ?? 0, { timeout: 30_000 }).toBe(1);

    // Bob sees it offered as shared with him.
    await bob.goto(server.url);
    await bob.getByLabel('Prompt', { exact: true }).fill('a man reading under a tree');
    const offered = bob.getByRole('checkbox', { name: /Ada in red \(shared with you\)/ });
    await offered.waitFor();
    await offered.check();

    // Ada narrows it to people she approves (and approves nobody); Bob's use is refused, saying why.
    await ada.goto(`${server.url}/settings`);
    await ada.getByRole('listitem', { name: 'Character Ada in red' }).getByLabel('Who may use it').selectOption('approved');
    await expect.poll(async () => (await adaApi.get(`/api/characters/${id}`)).json.sharing).toBe('approved');
    await bob.getByRole('button', { name: /^Create/ }).click();
    const refusal = bob.locator('.composer [role="alert"], form [role="alert"]').first();
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/has not allowed you to use the character 'Ada in red'/);
    expect(await seriousA11yViolations(bob)).toEqual([]);
  });
});
