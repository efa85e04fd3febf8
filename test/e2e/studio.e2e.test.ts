// The studio in a real browser against a real server (`melies serve`, SQLite, sketch engine):
// compose → live progress → play → library → reuse → remix → delete; cancel; a 400 shown as the
// API wrote it; the library after a restart; phone size; accessibility (axe); screenshots.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, serveProcess, type MeliesProcess } from '../helpers/process.js';
import { launchChromium, seriousA11yViolations } from './browser.js';

const SHOTS = join(ROOT, 'docs', 'screenshots');
const ENV = { MELIES_SKETCH_X264_PRESET: 'ultrafast', MELIES_CONCURRENCY: '1' };

let dataDir: string;
let server: MeliesProcess & { url: string };
let browser: Browser;
let desktop: BrowserContext;
let page: Page;

async function startServer() {
  server = await serveProcess(dataDir, ENV, { outlivesTest: true }); // the restart test's server serves the tests after it
}
async function stopServer() {
  server.child.kill('SIGTERM');
  await server.exited;
}

const shot = (p: Page, name: string) => p.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: false });

async function apiJson(path: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${server.url}${path}`);
  return { status: res.status, body: await res.json() };
}

/** Fills the composer and submits; returns the new video's id from the job tray. */
async function compose(p: Page, prompt: string, opts: { size?: string; seconds?: string } = {}): Promise<string> {
  await p.getByLabel('Prompt', { exact: true }).fill(prompt);
  if (opts.size) {
    const [w, h] = opts.size.split('x').map(Number) as [number, number];
    await p.getByRole('radio', { name: w > h ? '16:9' : w < h ? '9:16' : '1:1' }).check();
    await p.getByLabel('Size').selectOption(opts.size);
  }
  if (opts.seconds) await p.getByLabel('Duration').selectOption(opts.seconds);
  const before = await p.locator('.jobs li.job').evaluateAll((els) => els.map((e) => e.getAttribute('data-video-id')));
  await p.getByRole('button', { name: /^Create/ }).click();
  const row = p.locator('.jobs li.job').filter({ hasText: prompt }).first();
  await row.waitFor();
  const id = await row.getAttribute('data-video-id');
  expect(before).not.toContain(id);
  return id!;
}

/** A valid grey PNG of any size (small on disk: its rows compress to nothing). */
function pngOf(width: number, height: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => { let c = n; for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; return c >>> 0; });
  const crc = (b: Buffer) => { let c = 0xffffffff; for (const x of b) c = crcTable[(c ^ x) & 0xff]! ^ (c >>> 8); return (c ^ 0xffffffff) >>> 0; };
  const chunk = (type: string, data: Buffer) => {
    const t = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    const sum = Buffer.alloc(4); sum.writeUInt32BE(crc(t));
    return Buffer.concat([len, t, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0); ihdr.writeUInt32BE(height, 4); ihdr[8] = 8; ihdr[9] = 0; // 8-bit greyscale
  const raw = Buffer.alloc((width + 1) * height, 0x80);
  for (let y = 0; y < height; y++) raw[y * (width + 1)] = 0; // filter byte: none
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/** The main navigation's links that look current (underlined), by text. */
const underlinedNav = (p: Page) => p.locator('header nav a').evaluateAll((els) => els.filter((e) => getComputedStyle(e).boxShadow !== 'none').map((e) => e.textContent));

async function waitCompleted(id: string, timeoutMs = 90_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await apiJson(`/v1/videos/${id}`);
    if (body.status === 'completed') return body;
    if (body.status === 'failed' || Date.now() > end) throw new Error(`video ${id} ended ${body.status}: ${JSON.stringify(body.error)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  dataDir = mkdtempSync(join(tmpdir(), 'melies-e2e-'));
  await startServer();
  browser = await launchChromium();
  desktop = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'dark', bypassCSP: true });
  page = await desktop.newPage();
  page.on('pageerror', (err) => { throw err; });
});

afterAll(async () => {
  await browser?.close();
  if (server) await stopServer();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('studio (desktop)', () => {
  let firstId: string;
  let remixId: string;

  it('opens on designed empty states, passes axe, and the composer follows the model card', async () => {
    await page.goto(server.url);
    await expect.poll(() => page.getByRole('heading', { name: 'New video' }).isVisible()).toBe(true);
    await page.getByText('No videos yet').waitFor();
    expect(await page.getByText('Nothing rendering').isVisible()).toBe(true);
    // Sketch's card: 1 to 20 s, fps 12/24/30, a seed, image input; no negative prompt.
    const seconds = await page.getByLabel('Duration').locator('option').allTextContents();
    expect(seconds[0]).toBe('1 s');
    expect(seconds.at(-1)).toBe('20 s');
    expect(await page.getByLabel('Frame rate').locator('option').allTextContents()).toEqual(['12 fps', '24 fps', '30 fps']);
    expect(await page.getByLabel('Negative prompt').count()).toBe(0);
    expect(await page.getByText('Drop an image here').isVisible()).toBe(true);
    // Sketch takes a last frame too (issue 15 §5): a second drop zone.
    expect(await page.getByText('Last frame: drop an image').isVisible()).toBe(true);
    await page.getByRole('radio', { name: '16:9' }).check();
    const sizes = await page.getByLabel('Size').locator('option').allTextContents();
    expect(sizes).toContain('1280x720');
    expect(sizes).not.toContain('720x1280');
    await page.getByRole('button', { name: 'Roll a random seed' }).click();
    expect(await page.getByLabel('Seed', { exact: true }).inputValue()).toMatch(/^\d+$/);
    await page.getByLabel('Seed', { exact: true }).fill('');
    // The Variations control is as wide as its three choices: no empty box after "4".
    const variations = page.getByRole('group', { name: 'Variations' }).locator('.segmented');
    const four = variations.locator('label', { hasText: '4' });
    const [box, last] = [(await variations.boundingBox())!, (await four.boundingBox())!];
    expect(box.x + box.width - (last.x + last.width)).toBeLessThanOrEqual(2);
    expect(await underlinedNav(page)).toEqual(['Create']);
    await shot(page, 'composer-desktop');
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  it('marks exactly one navigation item as current, even under the mouse', async () => {
    await page.goto(server.url);
    await page.getByRole('heading', { name: 'New video' }).waitFor();
    expect(await page.locator('header nav a[aria-current="page"]').allTextContents()).toEqual(['Create']);
    await page.getByRole('link', { name: 'Library' }).click(); // the mouse stays over it
    await expect.poll(() => page.locator('header nav a[aria-current="page"]').allTextContents()).toEqual(['Library']);
    expect(await underlinedNav(page)).toEqual(['Library']);
    await page.getByRole('link', { name: 'Create' }).click();
    await expect.poll(() => page.locator('header nav a[aria-current="page"]').allTextContents()).toEqual(['Create']);
    expect(await underlinedNav(page)).toEqual(['Create']);
    await page.getByRole('link', { name: 'Settings' }).hover();
    expect(await underlinedNav(page)).toEqual(['Create']);
  });

  it('refuses a file that is not an image before uploading it, in plain words', async () => {
    await page.goto(server.url);
    let posts = 0;
    const count = (r: { method(): string; url(): string }) => { if (r.method() === 'POST' && r.url().endsWith('/v1/videos')) posts++; };
    page.on('request', count);
    await page.getByLabel('Prompt', { exact: true }).fill('a harbour at dawn');
    await page.locator('.composer input[type="file"]').first().setInputFiles({ name: 'holiday.png', mimeType: 'image/png', buffer: Buffer.from('this is a text file, not a picture') });
    const alert = page.locator('.composer [role="alert"]');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/holiday\.png is not a PNG, JPEG or WebP image/);
    expect(await page.locator('.drop img').count()).toBe(0); // no broken preview
    expect(await page.getByRole('button', { name: 'Remove image' }).count()).toBe(0);
    expect(posts).toBe(0); // refused before any upload
    page.off('request', count);
    // An image the browser reads but the server refuses: the server's reason, naming the image, not 'input_reference'.
    await page.locator('.composer input[type="file"]').first().setInputFiles({ name: 'strip.png', mimeType: 'image/png', buffer: pngOf(8200, 16) });
    await page.locator('.drop img').waitFor();
    await page.getByRole('button', { name: /^Create/ }).click();
    await expect.poll(async () => (await alert.textContent()) ?? '').toMatch(/^The image .*8200x16/);
    expect(await alert.textContent()).not.toContain('input_reference');
    await page.getByRole('button', { name: 'Remove image' }).click();
  });

  it('answers an unknown address with a not-found page, not the composer', async () => {
    await page.goto(`${server.url}/no/such/page`);
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    expect(await page.getByLabel('Prompt', { exact: true }).count()).toBe(0);
    expect(await page.locator('header nav a[aria-current="page"]').count()).toBe(0);
    await page.getByRole('link', { name: 'Back to the studio' }).click();
    await page.getByRole('heading', { name: 'New video' }).waitFor();
  });

  it('shows the API\'s own 400 message for an invalid combination', async () => {
    await page.getByLabel('Prompt', { exact: true }).fill('a cat on a roof');
    await page.getByLabel('Size').selectOption('custom');
    await page.getByLabel('Width').fill('333');
    await page.getByLabel('Height').fill('333');
    await page.getByRole('button', { name: /^Create/ }).click();
    const alert = page.locator('.composer [role="alert"]');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/Invalid value for 'size': 333x333 is not supported by sketch/);
    expect((await apiJson('/v1/videos')).body.data).toHaveLength(0);
  });

  it('composes with Ctrl+Enter and shows live progress without layout shift', async () => {
    await page.getByRole('radio', { name: '16:9' }).check();
    await page.getByLabel('Size').selectOption('640x360');
    await page.getByLabel('Duration').selectOption('3');
    await page.getByLabel('Prompt', { exact: true }).fill('a red balloon over the sea at noon');
    await page.evaluate(() => {
      (window as any).__cls = 0;
      new PerformanceObserver((list) => { for (const e of list.getEntries() as any[]) if (!e.hadRecentInput) (window as any).__cls += e.value; })
        .observe({ type: 'layout-shift', buffered: false });
    });
    await page.getByLabel('Prompt', { exact: true }).press('Control+Enter');
    const row = page.locator('.jobs li.job').first();
    await row.waitFor();
    firstId = (await row.getAttribute('data-video-id'))!;
    // Progress arrives over SSE: the bar's value rises above 0 before completion.
    const seen = new Set<number>();
    const end = Date.now() + 60_000;
    while (Date.now() < end) {
      const v = Number(await row.getByRole('progressbar').getAttribute('aria-valuenow'));
      seen.add(v);
      if (v > 0 && v < 100 && seen.size >= 2) break;
      if ((await row.getAttribute('class'))?.includes('completed')) break;
      await page.waitForTimeout(30);
    }
    await shot(page, 'progress-desktop');
    expect([...seen].some((v) => v > 0 && v < 100)).toBe(true);
    await row.locator('.status', { hasText: 'Done' }).waitFor({ timeout: 60_000 });
    expect(await page.evaluate(() => (window as any).__cls)).toBeLessThan(0.05);
    // Completed: it is in the library with a thumbnail.
    const card = page.locator(`.library li.card[data-video-id="${firstId}"][data-status="completed"]`);
    await card.waitFor();
    await expect.poll(() => card.locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  });

  it('scrubs the spritesheet on hover', async () => {
    const card = page.locator(`.library li.card[data-video-id="${firstId}"] a`);
    await card.scrollIntoViewIfNeeded();
    const box = (await card.boundingBox())!;
    const sheet = page.waitForResponse((r) => r.url().includes(`${firstId}/content?variant=spritesheet`));
    await page.mouse.move(box.x + box.width * 0.1, box.y + 20);
    await page.mouse.move(box.x + box.width * 0.9, box.y + 20);
    expect((await sheet).status()).toBe(200);
    const pos = await card.locator('.sprite').evaluate((el) => getComputedStyle(el).backgroundPosition);
    expect(pos).not.toBe('0% 0%'); // far right of the card is a late frame
  });

  it('plays the video at the right size and duration, with parameters and plan', async () => {
    await page.locator(`.library li.card[data-video-id="${firstId}"] a`).click();
    await page.waitForURL(`**/videos/${firstId}`);
    const video = page.locator('video');
    await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.readyState), { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
    const info = await video.evaluate((v: HTMLVideoElement) => ({ w: v.videoWidth, h: v.videoHeight, d: v.duration }));
    expect(info.w).toBe(640);
    expect(info.h).toBe(360);
    expect(Math.abs(info.d - 3)).toBeLessThan(0.1);
    await page.getByRole('button', { name: 'Next frame' }).click();
    await page.getByRole('button', { name: 'Next frame' }).click();
    expect(await page.locator('.frame-no').textContent()).toBe('frame 2');
    expect(await page.locator('.params').textContent()).toContain('3 s at 24 fps');
    await page.getByText('Scene plan').click();
    expect(await page.locator('.plan pre').textContent()).toContain('balloon');
    expect(await page.locator('#snippet').textContent()).toContain(`${server.url}/v1/videos`);
    await page.getByRole('tab', { name: 'openai SDK' }).click();
    expect(await page.locator('#snippet').textContent()).toContain('client.videos.create');
    await page.getByRole('button', { name: /Add to favourites/ }).click();
    await page.getByRole('button', { name: /★ Favourite/ }).waitFor();
    await shot(page, 'detail-desktop');
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  it('reuses settings into the composer', async () => {
    await page.getByRole('button', { name: 'Reuse settings' }).click();
    await page.waitForURL(server.url + '/');
    expect(await page.getByLabel('Prompt', { exact: true }).inputValue()).toBe('a red balloon over the sea at noon');
    expect(await page.getByLabel('Size').inputValue()).toBe('640x360');
    expect(await page.getByLabel('Duration').inputValue()).toBe('3');
    const seed = (await apiJson(`/v1/videos/${firstId}`)).body.seed;
    expect(await page.getByLabel('Seed', { exact: true }).inputValue()).toBe(String(seed));
  });

  it('remixes, shows lineage both ways, and deletes with confirmation', async () => {
    await page.goto(`${server.url}/videos/${firstId}`);
    await page.getByLabel('Remix').fill('a blue balloon over the sea at night');
    await page.getByRole('button', { name: 'Remix', exact: true }).click();
    await page.waitForURL((u) => /\/videos\/video_/.test(u.pathname) && !u.pathname.endsWith(firstId));
    remixId = page.url().split('/').pop()!;
    await waitCompleted(remixId);
    await page.locator('video').waitFor({ timeout: 30_000 });
    expect(await page.locator('.lineage').textContent()).toContain('Remixed from “a red balloon over the sea at noon”');
    await page.locator('.lineage a').click();
    await page.waitForURL(`**/videos/${firstId}`);
    await page.locator('.lineage', { hasText: 'Remixed into' }).waitFor();
    expect(await page.locator('.lineage li').textContent()).toContain('a blue balloon');

    await page.goto(`${server.url}/videos/${remixId}`);
    await page.getByRole('button', { name: 'Delete…' }).click();
    await page.getByRole('group', { name: 'Confirm delete' }).getByRole('button', { name: 'Delete' }).click();
    await page.waitForURL(server.url + '/');
    await page.locator(`.library li.card[data-video-id="${firstId}"]`).waitFor();
    expect(await page.locator(`.library li.card[data-video-id="${remixId}"]`).count()).toBe(0);
    expect((await apiJson(`/v1/videos/${remixId}`)).status).toBe(404);
  });

  it('lists the rendering job first, then the queue in order, and cancels the one asked', async () => {
    const running = await compose(page, 'a long storm over the city at night', { size: '1920x1080', seconds: '20' });
    const row = page.locator(`.jobs li.job[data-video-id="${running}"]`);
    await row.locator('.status', { hasText: 'Rendering' }).waitFor({ timeout: 30_000 });
    const second = await compose(page, 'a quiet street after the rain', { size: '640x360', seconds: '2' });
    const third = await compose(page, 'a tram crossing a bridge at dusk', { size: '640x360', seconds: '2' });
    // One worker: the storm renders while the other two wait, oldest first. Newest-first put the
    // rendering job last, where a user cancelled the wrong one.
    const rows = page.locator('.jobs li.job');
    await expect.poll(() => rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-video-id')))).toEqual([running, second, third]);
    expect(await rows.locator('.status').allTextContents()).toEqual(['Rendering', 'Next in queue', 'Queued, 1 ahead']);
    expect(await page.locator('.jobs h3').allTextContents()).toEqual(['Rendering now', 'Waiting in the queue, next first']);
    await page.locator('.jobs').scrollIntoViewIfNeeded();
    await shot(page, 'queue-desktop');

    // Queue control (issue 15 §7): the third moves to the top of my queue, ahead of the second.
    await rows.nth(2).getByRole('button', { name: 'Move to top of your queue: “a tram crossing a bridge at dusk”' }).click();
    await expect.poll(() => rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-video-id')))).toEqual([running, third, second]);
    expect(await rows.locator('.status').allTextContents()).toEqual(['Rendering', 'Next in queue', 'Queued, 1 ahead']);
    // Paused: the waiting ones lose their places until resumed; the rendering one carries on.
    const toggle = page.getByRole('button', { name: 'Pause my queue' });
    await toggle.click();
    await expect.poll(() => toggle.getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => rows.locator('.status').allTextContents()).toEqual(['Rendering', 'Queued', 'Queued']);
    expect(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-video-id')))).toEqual([running, third, second]);
    expect(await page.locator('.queue-state').textContent()).toContain('Paused');
    await toggle.click();
    await expect.poll(() => toggle.getAttribute('aria-pressed')).toBe('false');
    await expect.poll(() => rows.locator('.status').allTextContents()).toEqual(['Rendering', 'Next in queue', 'Queued, 1 ahead']);

    await row.getByRole('button', { name: 'Cancel' }).click();
    await row.locator('.status', { hasText: 'Cancelled' }).waitFor();
    expect(await row.getByRole('alert').textContent()).toContain('You cancelled it');
    const { body } = await apiJson(`/v1/videos/${running}`);
    expect(body.status).toBe('failed');
    expect(body.error.code).toBe('cancelled');
    // The others were not touched; they finish, and leave the library as this test found it.
    for (const id of [second, third]) {
      expect((await waitCompleted(id)).status).toBe('completed');
      expect((await fetch(`${server.url}/v1/videos/${id}`, { method: 'DELETE' })).status).toBe(200);
    }
    // The cancelled card offers what its hint promises.
    await row.getByRole('button', { name: 'Reuse settings' }).click();
    await expect.poll(() => page.getByLabel('Prompt', { exact: true }).inputValue()).toBe('a long storm over the city at night');
    expect(await page.getByLabel('Size').inputValue()).toBe('1920x1080');
    expect(await page.getByLabel('Duration').inputValue()).toBe('20');
  });

  it('keeps the library across a restart and filters it', async () => {
    const more = await compose(page, 'three white birds flying over a lake at dawn', { size: '640x360', seconds: '2' });
    await waitCompleted(more);
    await stopServer();
    await startServer(); // same data directory, new process (and port)
    await page.goto(server.url);
    await page.locator(`.library li.card[data-video-id="${firstId}"][data-status="completed"]`).waitFor();
    await page.locator(`.library li.card[data-video-id="${more}"]`).waitFor();
    expect(await page.locator('.library li.card').count()).toBe(3); // two made, one cancelled (two more made and deleted)
    await page.locator('#library').scrollIntoViewIfNeeded();
    await page.evaluate(() => document.getElementById('library')!.scrollIntoView());
    await shot(page, 'library-desktop');

    await page.getByLabel('Search prompts').fill('birds');
    await expect.poll(() => page.locator('.library li.card').count()).toBe(1);
    await page.getByLabel('Search prompts').fill('');
    // Wait for the whole library again: the search's one card would otherwise pass for the favourite.
    await expect.poll(() => page.locator('.library li.card').count()).toBe(3);
    await page.getByLabel('Favourites').check();
    const ids = () => page.locator('.library li.card').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-video-id')));
    await expect.poll(ids).toEqual([firstId]);
    await page.getByLabel('Favourites').uncheck();
    await page.getByLabel('Status').selectOption('failed');
    await expect.poll(() => page.locator('.library li.card').count()).toBe(1);
    await page.getByLabel('Status').selectOption('');
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  it('is keyboard reachable with visible focus', async () => {
    await page.goto(server.url);
    await page.getByRole('heading', { name: 'New video' }).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    // Tab reaches the prompt, and focus is drawn.
    for (let i = 0; i < 10 && (await page.evaluate(() => document.activeElement?.id)) !== 'prompt'; i++) await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('prompt');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    expect(outline).not.toBe('none');
  });
});

describe('studio (phone)', () => {
  it('fits a phone screen without sideways scrolling, and passes axe', async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, colorScheme: 'dark', bypassCSP: true });
    const p = await phone.newPage();
    await p.goto(server.url);
    await p.getByRole('heading', { name: 'New video' }).waitFor();
    const overflow = () => p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(await overflow()).toBeLessThanOrEqual(0);
    await shot(p, 'composer-phone');
    expect(await seriousA11yViolations(p)).toEqual([]);

    const id = await compose(p, 'a fox walking through a snowy forest', { size: '480x854', seconds: '2' });
    await p.locator(`.jobs li.job[data-video-id="${id}"]`).scrollIntoViewIfNeeded();
    await shot(p, 'progress-phone');
    await waitCompleted(id);
    await p.locator('#library').scrollIntoViewIfNeeded();
    await p.locator(`.library li.card[data-video-id="${id}"][data-status="completed"]`).waitFor();
    await shot(p, 'library-phone');
    expect(await overflow()).toBeLessThanOrEqual(0);

    await p.goto(`${server.url}/videos/${id}`);
    await expect.poll(() => p.locator('video').evaluate((v: HTMLVideoElement) => v.readyState), { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
    expect(await overflow()).toBeLessThanOrEqual(0);
    await shot(p, 'detail-phone');
    expect(await seriousA11yViolations(p)).toEqual([]);
    await phone.close();
  });

  it('shows in local mode only the admin tools that work there, fits a phone, and says when pauses fail to load', async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, colorScheme: 'dark', bypassCSP: true });
    const p = await phone.newPage();
    await p.goto(`${server.url}/admin`);
    await p.getByRole('heading', { name: 'Pause generation' }).waitFor();
    await p.getByRole('heading', { name: 'Engines' }).waitFor();
    await p.getByRole('heading', { name: 'Audit log' }).waitFor();
    for (const h of ['Users', 'Invites', 'Plans']) expect(await p.getByRole('heading', { name: h, exact: true }).count(), h).toBe(0);
    expect(await p.locator('main').textContent()).toMatch(/local single-user mode.*MELIES_AUTH=multi/s);
    await p.getByText('Everything is running').waitFor();
    expect(await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await shot(p, 'admin-local-phone');
    expect(await seriousA11yViolations(p)).toEqual([]);

    await p.route('**/api/admin/pauses', (r) => r.fulfill({
      status: 500, contentType: 'application/json',
      body: JSON.stringify({ error: { message: 'The database is not answering.', type: 'server_error', param: null, code: 'internal_error' } }),
    }));
    await p.reload();
    const pauses = p.locator('section[aria-labelledby="pauses-h"]');
    await pauses.getByRole('alert').waitFor();
    expect(await pauses.getByRole('alert').textContent()).toContain('The database is not answering.');
    expect(await pauses.getByText('Everything is running').count()).toBe(0);
    await phone.close();
  });

  it('answers an unknown video page with a designed not-found state', async () => {
    const p = await desktop.newPage();
    await p.goto(`${server.url}/videos/video_doesnotexist`);
    await p.getByRole('heading', { name: 'Video not found' }).waitFor();
    await p.close();
  });
});

// Keeps the list of screenshots next to them, so the README can point at stable names.
afterAll(() => {
  writeFileSync(join(SHOTS, 'README.md'), '# Studio screenshots\n\nWritten by `npm run test:e2e` (Chromium, desktop 1280x900 and phone 390x844).\n');
});
