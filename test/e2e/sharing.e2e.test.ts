// Sharing on the artists' terms, in a real browser against a real multi-user `melies serve` with
// the publish policy `review` and the public feed on: Ada publishes with "allow, with credit"; the
// admin approves it on the Moderation tab; Ben, not signed in, finds it on /explore, signs in,
// remixes it and publishes the remix; Ada's public page lists the remix, the remix carries her
// credit, and she has a notification; /verify on Ben's downloaded file names Ada's video as an
// ingredient. A video published with remixes denied cannot be remixed: the button is disabled
// with the reason, and the API answers 403.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Caller, sessionFrom, waitStatus } from '../helpers/accounts.js';
import { ROOT, serveProcess, type MeliesProcess } from '../helpers/process.js';
import { launchChromium, seriousA11yViolations } from './browser.js';

const SHOTS = join(ROOT, 'docs', 'screenshots');
const PASSWORD = 'a long enough password';
const ADA = 'ada.lovelace@example.org';
const BEN = 'ben@example.org';

let dataDir: string;
let server: MeliesProcess & { url: string };
let browser: Browser;
let contexts: BrowserContext[] = [];
let adminApi: Caller;
let adaApi: Caller;
let benApi: Caller;
let adminPage: Page;
let adaPage: Page;
let benPage: Page;
let adaVideo: string;
let benVideo: string;

const shot = (p: Page, name: string) => p.screenshot({ path: join(SHOTS, `${name}.png`) });

/** Elements that stick out of a phone screen (a wide table scrolls inside its own box and is not counted). */
const outsideScreen = (p: Page) => p.evaluate(() => [...document.querySelectorAll('main *')].filter((el) => {
  if (el.closest('.table-wrap')) return false;
  const r = el.getBoundingClientRect();
  return r.width > 0 && (r.right > window.innerWidth + 0.5 || r.left < -0.5);
}).map((el) => `${el.tagName}.${el.className}`));

const serious = async (p: Page) => (await seriousA11yViolations(p)).map((v) => `${v.id}: ${v.help} ${JSON.stringify(v.nodes.slice(0, 3))}`);

async function newPage(): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'dark', bypassCSP: true, acceptDownloads: true });
  contexts.push(ctx);
  const p = await ctx.newPage();
  p.on('pageerror', (err) => { throw err; });
  return p;
}

async function signIn(p: Page, email: string, password = PASSWORD) {
  await p.getByLabel('Email').fill(email);
  await p.getByLabel('Password').fill(password);
  await p.getByRole('button', { name: 'Sign in' }).click();
}

/** A finished sketch video of `who`, made through the API (the studio's composer has its own tests). */
async function makeVideo(who: Caller, prompt: string): Promise<string> {
  const r = await who.post('/v1/videos', { model: 'sketch', prompt, seconds: '2', size: '640x360' });
  expect(r.status).toBe(200);
  await waitStatus(who, r.json.id, (s) => s === 'completed' || s === 'failed', 90_000);
  expect((await who.get(`/v1/videos/${r.json.id}`)).json.status).toBe('completed');
  return r.json.id;
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  dataDir = mkdtempSync(join(tmpdir(), 'melies-e2e-sharing-'));
  server = await serveProcess(dataDir, {
    MELIES_AUTH: 'multi', MELIES_PUBLIC_FEED: 'true', MELIES_PUBLISH_POLICY: 'review', MELIES_SKETCH_X264_PRESET: 'ultrafast',
  });
  const token = /\/setup#token=([A-Za-z0-9_-]+)/.exec(server.output())?.[1];
  if (!token) throw new Error(`no setup link in the server's output:\n${server.output()}`);
  const anon = new Caller(server.url);
  adminApi = sessionFrom(server.url, await anon.post('/api/auth/setup', { token, email: 'admin@example.org', password: 'correct horse battery' }));
  const register = async (email: string) => {
    const invite = await adminApi.post('/api/admin/invites', { plan: 'pro', max_uses: 1 });
    return sessionFrom(server.url, await anon.post('/api/auth/register', { email, password: PASSWORD, invite_code: invite.json.code }));
  };
  adaApi = await register(ADA);
  benApi = await register(BEN);
  browser = await launchChromium();
  [adminPage, adaPage, benPage] = [await newPage(), await newPage(), await newPage()];
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  if (server) { server.child.kill('SIGTERM'); await server.exited; }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('publishing, the public feed, remix credit and provenance', () => {
  it('lets Ada choose her public name in Settings (her email is never shown)', async () => {
    await adaPage.goto(`${server.url}/login`);
    await signIn(adaPage, ADA);
    await adaPage.getByRole('link', { name: 'Settings' }).click();
    await adaPage.getByLabel('Handle').fill('ada');
    await adaPage.getByLabel('Display name').fill('Ada L.');
    await adaPage.getByRole('button', { name: 'Save profile' }).click();
    await adaPage.getByText('Saved. Your public page is /u/ada.').waitFor();
    expect(await serious(adaPage)).toEqual([]);
  });

  it('publishes Ada’s video with remixes allowed with credit: it waits for review', async () => {
    adaVideo = await makeVideo(adaApi, 'paper boats drifting on a pond at dusk');
    await adaPage.goto(`${server.url}/videos/${adaVideo}`);
    await adaPage.getByRole('button', { name: 'Publish…' }).click();
    const dialog = adaPage.getByRole('dialog', { name: 'Publish this video' });
    await dialog.getByLabel('Title').fill('Paper boats at dusk');
    await dialog.getByLabel('Description').fill('My first sketch.');
    // The defaults are the artist's: remixes with credit, no AI training.
    expect(await dialog.getByRole('radio', { name: 'Allow, with credit' }).isChecked()).toBe(true);
    expect(await dialog.getByRole('radio', { name: 'Not allowed' }).isChecked()).toBe(true);
    expect(await serious(adaPage)).toEqual([]);
    await shot(adaPage, 'publish-dialog-desktop');
    await dialog.getByRole('button', { name: 'Publish', exact: true }).click();
    await adaPage.locator('.pub-status[data-status="pending_review"]').waitFor();
    expect(await adaPage.locator('.pub-status').textContent()).toContain('Pending review');
    // Not in the public feed before a moderator approves it.
    const feed = await (await fetch(`${server.url}/api/feed?sort=newest`)).json() as { data: { id: string }[] };
    expect(feed.data.map((v) => v.id)).not.toContain(adaVideo);
  });

  it('lets the admin approve it on the Moderation tab (policy: review)', async () => {
    await adminPage.goto(`${server.url}/login`);
    await signIn(adminPage, 'admin@example.org', 'correct horse battery');
    await adminPage.getByRole('link', { name: 'Admin' }).click();
    await adminPage.getByRole('link', { name: 'Moderation' }).click();
    expect(await adminPage.getByLabel('Who decides what appears in the public feed').inputValue()).toBe('review');
    await shot(adminPage, 'moderation-desktop');
    await adminPage.getByRole('button', { name: 'Approve Paper boats at dusk' }).click();
    await adminPage.getByText('Nothing is waiting.').waitFor();
    expect(await serious(adminPage)).toEqual([]);
    await adaPage.reload();
    await adaPage.locator('.pub-status[data-status="published"]').waitFor();
  });

  it('shows it to Ben on /explore before he signs in, without a remix button', async () => {
    await benPage.goto(`${server.url}/explore`);
    const card = benPage.locator(`li.public-card[data-video-id="${adaVideo}"]`);
    await card.waitFor();
    expect(await card.textContent()).toContain('Paper boats at dusk');
    expect(await card.textContent()).toContain('Ada L.');
    expect(await benPage.content()).not.toContain(ADA);
    expect(await serious(benPage)).toEqual([]);
    await shot(benPage, 'explore-desktop');
    await card.getByRole('link', { name: 'Paper boats at dusk' }).click();
    await benPage.getByRole('heading', { name: 'Paper boats at dusk' }).waitFor();
    const about = benPage.locator('.video-side');
    expect(await about.textContent()).toContain('paper boats drifting on a pond at dusk');
    expect(await about.textContent()).toContain('every remix credits the author');
    expect(await about.textContent()).toContain('does not allow using this video to train AI models');
    expect(await benPage.getByRole('button', { name: 'Remix', exact: true }).count()).toBe(0);
    expect(await benPage.content()).not.toContain(ADA);
    expect(await serious(benPage)).toEqual([]);
  });

  it('lets Ben sign in, come back to the video, remix it and publish the remix', async () => {
    await benPage.getByRole('link', { name: 'Sign in to remix or report' }).click();
    await signIn(benPage, BEN);
    await benPage.getByRole('heading', { name: 'Paper boats at dusk' }).waitFor();
    expect(new URL(benPage.url()).pathname).toBe(`/v/${adaVideo}`);
    await benPage.getByRole('button', { name: 'Remix', exact: true }).click();
    await benPage.getByLabel('Remix', { exact: true }).fill('paper boats drifting on a pond at night, lanterns');
    expect(await benPage.locator('form.remix').textContent()).toContain('credits @ada');
    await benPage.getByRole('button', { name: 'Make the remix' }).click();
    await benPage.waitForURL(/\/videos\/[A-Za-z0-9_-]+$/);
    benVideo = new URL(benPage.url()).pathname.split('/').pop()!;
    await waitStatus(benApi, benVideo, (s) => s === 'completed' || s === 'failed', 90_000);
    await benPage.reload();
    await benPage.getByRole('button', { name: 'Publish…' }).click();
    const dialog = benPage.getByRole('dialog', { name: 'Publish this video' });
    await dialog.getByLabel('Title').fill('Paper boats at night');
    await dialog.getByRole('button', { name: 'Publish', exact: true }).click();
    await benPage.locator('.pub-status[data-status="pending_review"]').waitFor();
    // The credit is part of the publication: shown at once, with no way to remove it.
    expect(await benPage.locator('.publish .credit').textContent()).toBe('Remixed from @ada — Paper boats at dusk');
    await adminPage.reload();
    await adminPage.getByRole('button', { name: 'Approve Paper boats at night' }).click();
    await adminPage.getByText('Nothing is waiting.').waitFor();
  });

  it('shows the remix on Ada’s page, her credit on Ben’s, and tells Ada', async () => {
    await adaPage.goto(`${server.url}/v/${adaVideo}`);
    const remixes = adaPage.locator('section.remixes');
    await remixes.locator(`li[data-video-id="${benVideo}"]`).waitFor();
    expect(await remixes.locator('h2').textContent()).toBe('Remixes (1)');
    // Her bell counts the remix (and the approval); the list names the remix.
    const bell = adaPage.locator('header a.bell');
    await expect.poll(() => bell.getAttribute('aria-label')).toMatch(/^Notifications, [1-9]\d* unread$/);
    await bell.click();
    const remixed = adaPage.locator('.note-list li[data-kind="video.remixed"]');
    await remixed.waitFor();
    expect(await serious(adaPage)).toEqual([]);
    await adaPage.getByRole('button', { name: 'Mark all read' }).click();
    await expect.poll(() => bell.getAttribute('aria-label')).toBe('Notifications');

    await benPage.goto(`${server.url}/v/${benVideo}`);
    const credit = benPage.locator('.credit li');
    await credit.waitFor();
    expect(await credit.textContent()).toBe('Remixed from @ada — Paper boats at dusk');
    expect(await credit.getByRole('link', { name: 'Paper boats at dusk' }).getAttribute('href')).toBe(`/v/${adaVideo}`);
    await shot(benPage, 'public-video-desktop');

    await adaPage.goto(`${server.url}/u/ada`);
    await adaPage.getByRole('heading', { name: /Ada L\./ }).waitFor();
    expect(await adaPage.locator('.counts').textContent()).toBe('1 published video · remixed 1 time by others');
  });

  it('verifies Ben’s downloaded file: signed, made here, with Ada’s video as an ingredient', async () => {
    await benPage.goto(`${server.url}/videos/${benVideo}`);
    const [download] = await Promise.all([benPage.waitForEvent('download'), benPage.getByRole('link', { name: 'Download MP4' }).click()]);
    const file = join(dataDir, 'ben-download.mp4');
    await download.saveAs(file);
    // Anyone can verify, signed in or not.
    const visitor = await newPage();
    await visitor.goto(`${server.url}/verify`);
    await visitor.getByLabel('Drop an MP4 here, or choose one').setInputFiles(file);
    const verdict = visitor.locator('.verdict');
    await verdict.waitFor();
    expect(['valid', 'trusted']).toContain(await verdict.getAttribute('data-state'));
    expect(await verdict.textContent()).toMatch(/Made by this server\s*yes/);
    expect(await verdict.textContent()).toMatch(/Altered since signing\s*no/);
    // The parent is named by its id (the manifest's ingredient), linked to its public page.
    const ingredients = verdict.getByRole('list', { name: 'Ingredients' });
    expect(await ingredients.locator(`a[href="/v/${adaVideo}"]`).count()).toBe(1);
    expect(await serious(visitor)).toEqual([]);
    await shot(visitor, 'verify-desktop');
  });

  it('fits the feed, a public video and /verify on a 390 px phone, signed out, and they pass axe', async () => {
    const phone = await newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    for (const [path, ready] of [['/explore', 'li.public-card'], [`/v/${benVideo}`, '.credit li'], ['/verify', '#verify-file']] as const) {
      await phone.goto(`${server.url}${path}`);
      await phone.locator(ready).first().waitFor();
      expect(await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
      expect(await outsideScreen(phone)).toEqual([]);
      expect(await serious(phone)).toEqual([]);
    }
    await shot(phone, 'verify-phone');
    await phone.goto(`${server.url}/v/${benVideo}`);
    await phone.locator('.credit li').waitFor();
    await shot(phone, 'public-video-phone');
  });

  it('refuses remixes of a video published with remixes denied: disabled button with the reason, and a 403', async () => {
    const denied = await makeVideo(adaApi, 'a lighthouse in a storm');
    const pub = await adaApi.post(`/api/videos/${denied}/publish`, { title: 'Lighthouse, mine only', remix: 'deny' });
    expect(pub.status).toBe(201);
    expect((await adminApi.post(`/api/admin/publications/${denied}/approve`)).status).toBeLessThan(300);
    await benPage.goto(`${server.url}/v/${denied}`);
    const button = benPage.getByRole('button', { name: 'Remix', exact: true });
    await button.waitFor();
    expect(await button.isDisabled()).toBe(true);
    expect(await benPage.locator('#remix-blocked').textContent()).toBe('The author does not allow remixes of this video.');
    expect(await benPage.locator('.video-side').textContent()).toContain('The author does not allow remixes of this video.');
    expect(await serious(benPage)).toEqual([]);
    const r = await benApi.post(`/v1/videos/${denied}/remix`, { prompt: 'a lighthouse in a calm sea' });
    expect(r.status).toBe(403);
    expect(r.json.error.code).toBe('remix_not_allowed');
  });
});
