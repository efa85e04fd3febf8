// Extending and editing from the studio, in a real browser against a real server (`melies serve`,
// SQLite, sketch engine): on a finished video's page the Extend form adds seconds (only durations
// that keep within the card's limit are offered), opens the new video, and it finishes as one MP4
// of both lengths (ffprobe); the Edit form makes the same video with a described change. The
// studio's "From a clip of yours" panel extends an MP4 from disk. Axe on the way.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { probeBytes, testPatternClip } from '../helpers/media.js';
import { seriousA11yViolations } from './browser.js';
import { useStudioSession } from './studio-session.js';

const ENV = { MELIES_SKETCH_X264_PRESET: 'ultrafast' };
const studio = useStudioSession('melies-e2e-extend-', ENV);

const api = async (path: string, init?: RequestInit) => (await fetch(`${studio.server.url}${path}`, init)).json() as Promise<any>;
const finished = async (id: string) => {
  await expect.poll(async () => (await api(`/v1/videos/${id}`)).status, { timeout: 120_000, interval: 250 }).toMatch(/completed|failed/);
  return api(`/v1/videos/${id}`);
};

describe('a finished video\'s page', () => {
  it('extends it by the seconds chosen and opens the longer video, which plays both parts', async () => {
    const { page, server } = studio;
    const source = await api('/v1/videos', {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'sketch', prompt: 'a red kite over green hills at noon', seconds: '2', size: '320x180', fps: 12 }),
    });
    expect((await finished(source.id)).status).toBe('completed');

    await page.goto(`${server.url}/videos/${source.id}`);
    const form = page.locator('form').filter({ has: page.getByRole('heading', { name: 'Extend' }) });
    await form.waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await form.getByLabel('What happens next').fill('the kite climbs into the clouds');
    await form.getByLabel('Seconds to add').selectOption('3');
    await form.getByRole('button', { name: 'Extend' }).click();

    // The studio opens the new video; its id is in the address.
    await page.waitForURL((u) => u.pathname.startsWith('/videos/') && !u.pathname.endsWith(source.id));
    const extendedId = new URL(page.url()).pathname.split('/').pop()!;
    const extended = await finished(extendedId);
    expect(extended).toMatchObject({ status: 'completed', seconds: '5' });
    await page.getByRole('heading', { name: 'Extend' }).waitFor(); // the longer one may be extended again
    const probed = await probeBytes(await (await fetch(`${server.url}/v1/videos/${extendedId}/content`)).arrayBuffer());
    expect(probed.durationSeconds).toBeCloseTo(5, 0);
    expect(probed.video).toMatchObject({ codec: 'h264', width: 320, height: 180 });
  });

  it('edits it with a described change into a new video', async () => {
    const { page, server } = studio;
    const source = await api('/v1/videos', {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'sketch', prompt: 'a lighthouse by the sea at noon', seconds: '1', size: '320x180', fps: 12 }),
    });
    expect((await finished(source.id)).status).toBe('completed');
    await page.goto(`${server.url}/videos/${source.id}`);
    await page.getByLabel('Edit', { exact: true }).fill('make it night, add rain');
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    await page.waitForURL((u) => u.pathname.startsWith('/videos/') && !u.pathname.endsWith(source.id));
    const editedId = new URL(page.url()).pathname.split('/').pop()!;
    const edited = await finished(editedId);
    expect(edited).toMatchObject({ status: 'completed', seconds: '1' });
    const plan = (await api(`/api/videos/${editedId}`)).plan;
    expect(plan.shots[0]).toMatchObject({ timeOfDay: 'night', weather: { kind: 'rain' } });
  });
});

describe('the studio\'s "From a clip of yours" panel', () => {
  it('extends an MP4 from disk: the new video opens, finishes as the clip then the new seconds, and names the upload', async () => {
    const { page, server, dataDir } = studio;
    const clipPath = join(dataDir, 'seaside.mp4');
    writeFileSync(clipPath, await testPatternClip({ seconds: 2, size: '320x180', fps: 12 }));
    await page.goto(`${server.url}/`);
    const panel = page.locator('section').filter({ has: page.getByRole('heading', { name: 'From a clip of yours' }) });
    await panel.waitFor();
    // Closed until wanted; opened from its heading.
    expect(await panel.getByLabel('MP4 clip').isVisible()).toBe(false);
    await panel.locator('summary').click();
    expect(await seriousA11yViolations(page)).toEqual([]);
    // Sketch is the only model here, and it cannot edit someone's upload: the panel says why.
    await expect.poll(() => panel.getByLabel('Edit it').isDisabled()).toBe(true);
    await panel.getByLabel('MP4 clip').setInputFiles(clipPath);
    await panel.getByLabel('What happens next').fill('the tide comes in over the sand');
    await panel.getByLabel('Seconds to add').selectOption('2');
    await panel.getByRole('button', { name: 'Extend the clip' }).click();
    await page.waitForURL(/\/videos\/video_[0-9a-f]{32}$/);
    const id = page.url().split('/').pop()!;
    const done = await finished(id);
    expect(done).toMatchObject({ status: 'completed', seconds: '4', size: '320x180', kind: 'extension' });
    const bytes = await (await fetch(`${server.url}/v1/videos/${id}/content`)).arrayBuffer();
    const p = await probeBytes(bytes);
    expect(p.video).toMatchObject({ codec: 'h264', width: 320, height: 180, fps: 12, frames: 24 + 23 });
    await page.reload();
    await expect.poll(() => page.getByText('Extended from your upload seaside.mp4').count(), { timeout: 10_000 }).toBe(1);
  });
});
