// Studio benchmark: how fast the library becomes usable with 1,000 videos, against the same page
// with 10 videos measured in the same run (machines here are noisy; the ratio is what to read),
// and the initial JavaScript the browser downloads, gzipped, against the 200 KB budget.
//   time to grid:   navigation start → the first page of cards in the DOM
//   thumbnails:     library scrolled into view → its first row of thumbnails decoded
//   search:         typing a word → the grid showing only the matching videos
//   scroll all:     scrolling to the end, every page fetched (shows cursor pages stay fast)
//   long tasks:     main-thread tasks over 50 ms while loading (what makes a page feel stuck)
// Run: npm run bench:studio  (MELIES_BENCH_RUNS=5 by default; needs /usr/bin/chromium)
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { openSqlite } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrator.js';
import { VideoRepo } from '../src/db/video.repo.js';
import { newVideoId } from '../src/domain/ids.js';
import type { Video } from '../src/domain/video.js';
import { launchChromium } from '../test/e2e/browser.js';
import { ROOT, serveProcess } from '../test/helpers/process.js';
import { median } from './common.js';

const RUNS = Number(process.env.MELIES_BENCH_RUNS ?? 5);
const WORDS = ['lighthouse', 'balloon', 'fox', 'city', 'whale', 'train', 'forest', 'desert', 'rocket', 'garden'];

function initialJsKb(): { raw: number; gz: number } {
  const html = readFileSync(join(ROOT, 'web', 'dist', 'index.html'), 'utf8');
  const files = [...html.matchAll(/src="\/(assets\/[^"]+\.js)"/g), ...html.matchAll(/href="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
  let raw = 0, gz = 0;
  for (const f of new Set(files)) {
    const buf = readFileSync(join(ROOT, 'web', 'dist', f));
    raw += buf.length;
    gz += gzipSync(buf, { level: 9 }).length;
  }
  return { raw: raw / 1024, gz: gz / 1024 };
}

/** A data dir with `count` completed videos that share one real rendered video's files. */
async function seed(count: number): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'melies-bench-studio-'));
  const server = await serveProcess(dataDir, { MELIES_SKETCH_X264_PRESET: 'ultrafast' });
  const made = await (await fetch(`${server.url}/v1/videos`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prompt: 'a lighthouse at dusk', seconds: '2', size: '640x360' }) })).json();
  for (;;) {
    const v = await (await fetch(`${server.url}/v1/videos/${made.id}`)).json();
    if (v.status === 'completed') break;
    if (v.status === 'failed') throw new Error(JSON.stringify(v.error));
    await new Promise((r) => setTimeout(r, 100));
  }
  server.child.kill('SIGTERM');
  await server.exited;

  const db = await openSqlite(join(dataDir, 'melies.db'));
  await migrateToLatest(db);
  const repo = new VideoRepo(db);
  const template = (await repo.get(made.id))!;
  const t0 = Date.now() - count * 60_000;
  for (let i = 1; i < count; i++) {
    const w = WORDS[i % WORDS.length]!;
    const v: Video = { ...template, id: newVideoId(), prompt: `a ${w} number ${i} at dusk`, createdAt: t0 + i * 60_000, updatedAt: t0 + i * 60_000, favorite: i % 7 === 0 };
    await repo.insert(v);
  }
  await db.destroy();
  return dataDir;
}

async function measure(dataDir: string, count: number) {
  const server = await serveProcess(dataDir);
  const browser = await launchChromium();
  const grid: number[] = [], thumbs: number[] = [], search: number[] = [], scroll: number[] = [], longTasks: number[] = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await ctx.newPage();
      await page.addInitScript(() => {
        (window as any).__long = 0;
        new PerformanceObserver((l) => { for (const e of l.getEntries()) (window as any).__long += e.duration; }).observe({ type: 'longtask', buffered: true });
      });
      await page.goto(server.url);
      const firstPage = Math.min(48, count);
      await page.waitForFunction((n) => document.querySelectorAll('.library li.card').length >= n, firstPage, { polling: 'raf' });
      grid.push(await page.evaluate(() => performance.now()));
      longTasks.push(await page.evaluate(() => (window as any).__long));
      // Thumbnails load lazily: bring the library into view and time the first row decoding.
      const th0 = Date.now();
      await page.evaluate(() => document.getElementById('library')!.scrollIntoView());
      await page.waitForFunction(() => {
        const imgs = ([...document.querySelectorAll('.library li.card img')] as HTMLImageElement[]).slice(0, 5);
        return imgs.length > 0 && imgs.every((i) => i.complete && i.naturalWidth > 0);
      }, undefined, { polling: 'raf', timeout: 10_000 }).catch(async (e) => {
        console.error(await page.evaluate(() => ([...document.querySelectorAll('.library li.card img')] as HTMLImageElement[]).slice(0, 5).map((i) => `${i.src} ${i.complete} ${i.naturalWidth}`)));
        throw e;
      });
      thumbs.push(Date.now() - th0);

      const t0 = Date.now();
      await page.getByLabel('Search prompts').fill('whale');
      const expected = count >= 10 ? Math.min(48, Math.ceil((count - 4) / 10)) : 0;
      await page.waitForFunction((n) => {
        const cards = [...document.querySelectorAll('.library li.card .card-prompt')];
        return cards.length >= n && cards.every((c) => c.textContent!.includes('whale'));
      }, Math.max(1, expected), { polling: 'raf' });
      search.push(Date.now() - t0 - 250); // minus the deliberate typing debounce
      await page.getByLabel('Search prompts').fill('');
      await page.waitForFunction((n) => document.querySelectorAll('.library li.card').length >= n, firstPage);

      const s0 = Date.now();
      for (;;) {
        const done = await page.evaluate(() => {
          window.scrollTo(0, document.body.scrollHeight);
          return document.querySelector('.library .end') !== null || document.querySelectorAll('.library li.card').length === 0;
        });
        if (done || (await page.locator('.library li.card').count()) >= count) break;
        await page.waitForTimeout(16);
      }
      scroll.push(Date.now() - s0);
      await ctx.close();
    }
  } finally {
    await browser.close();
    server.child.kill('SIGTERM');
    await server.exited;
  }
  return { grid: median(grid), thumbs: median(thumbs), search: median(search), scroll: median(scroll), longTasks: median(longTasks) };
}

async function main() {
  const js = initialJsKb();
  const small = await seed(10);
  const large = await seed(1000);
  try {
    const a = await measure(small, 10);
    const b = await measure(large, 1000);
    const row = (name: string, x: number, y: number) =>
      console.log(`${name.padEnd(22)} ${x.toFixed(0).padStart(7)} ms ${y.toFixed(0).padStart(9)} ms   ${x >= 1 ? `${(y / x).toFixed(2)}x` : '—'}`);
    console.log(`initial JS: ${js.raw.toFixed(1)} KB, ${js.gz.toFixed(1)} KB gzipped (budget 200 KB gzipped)`);
    console.log(`median of ${RUNS} runs        10 videos  1000 videos   ratio`);
    row('time to grid', a.grid, b.grid);
    row('first thumbnails', a.thumbs, b.thumbs);
    row('search a word', a.search, b.search);
    row('scroll to the end', a.scroll, b.scroll);
    row('long tasks (total)', a.longTasks, b.longTasks);
  } finally {
    rmSync(small, { recursive: true, force: true });
    rmSync(large, { recursive: true, force: true });
  }
}

await main();
