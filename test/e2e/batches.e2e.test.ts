// The studio's Batch panel in a real browser against a real server (`melies serve`, SQLite, sketch
// engine): a 5-row CSV dropped in, its rows and a bad line shown as the server read them, then a
// good list started, followed live to the end, and downloaded as a zip of 5 MP4s; axe on the way.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { unzip } from '../helpers/zip.js';
import { seriousA11yViolations } from './browser.js';
import { useStudioSession } from './studio-session.js';

const ENV = { MELIES_SKETCH_X264_PRESET: 'ultrafast' };
const studio = useStudioSession('melies-e2e-', ENV, { acceptDownloads: true });
const GOOD = 'prompt,seconds,size,fps\n"a red kite, at dusk",1,320x180,12\na fox in the snow,1,320x180,12\nrain on a window,1,320x180,12\na lighthouse,1,320x180,12\na quiet lake,1,320x180,12\n';

describe('the Batch panel', () => {
  it('previews a list with its bad lines, runs a 5-row CSV live to the end and downloads the zip', async () => {
    const { page, server } = studio;
    await page.goto(server.url);
    await page.getByRole('heading', { name: 'Batch', exact: true }).waitFor();
    const input = page.getByLabel('Drop a list here (.txt, .csv, .jsonl), or choose one');

    await input.setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('prompt,seconds\nfine,1\nlong,999\n') });
    const alert = page.locator('.batch [role="alert"]');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/Line 3: .*seconds/);
    expect(await page.getByRole('button', { name: /^Start/ }).count()).toBe(0);

    await input.setInputFiles({ name: 'shots.csv', mimeType: 'text/csv', buffer: Buffer.from(GOOD) });
    const table = page.getByRole('table', { name: /The videos this list makes/ });
    await table.waitFor();
    expect(await table.locator('tbody tr').count()).toBe(5);
    expect(await table.locator('tbody tr').first().textContent()).toContain('a red kite, at dusk');
    expect(await seriousA11yViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Start 5 videos' }).click();
    const status = page.locator('.batch-progress [role="status"]');
    await status.waitFor();
    await expect.poll(() => status.textContent(), { timeout: 120_000, interval: 250 }).toBe('5 of 5 done');
    await page.locator('.batch-progress[data-status="completed"]').waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);

    // The finished batch is also in the list of recent ones, which a reload brings back.
    await page.reload();
    const recent = page.getByRole('list', { name: 'Recent batches' });
    await recent.waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(await recent.getByRole('listitem').first().textContent()).toMatch(/shots\.csv .* completed · 5 of 5 done/);
    const [download] = await Promise.all([page.waitForEvent('download'), recent.getByRole('link', { name: 'Download shots.csv (zip)' }).click()]);
    const files = await unzip(readFileSync(await download.path()));
    expect([...files.keys()].filter((n) => n.endsWith('.mp4'))).toHaveLength(5);
    expect(files.has('manifest.csv')).toBe(true);
  });
});
