// Queue control in the studio (issue 15 §7, and its Proof: "reorder the queue"), in a real browser
// against a real server (`melies serve`, SQLite, sketch engine): with the queue paused, three
// waiting videos show in the tray in the order they will start; "Move to top" on the last puts it
// first (the tray and GET /api/queue agree); resumed from the tray's toggle, it is the first to
// start. Axe on the way (it found the Move to top button's name lacking its visible words).
import { describe, expect, it } from 'vitest';
import { seriousA11yViolations } from './browser.js';
import { useStudioSession } from './studio-session.js';

const studio = useStudioSession('melies-e2e-queue-', { MELIES_SKETCH_X264_PRESET: 'ultrafast' });
const api = async (path: string, init?: RequestInit) => (await fetch(`${studio.server.url}${path}`, init)).json() as Promise<any>;
const post = (path: string, body?: unknown) => api(path, { method: 'POST', ...(body ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}) });

describe('the In progress tray', () => {
  it('moves a waiting video to the top of a paused queue, and it starts first once resumed', async () => {
    const { page, server } = studio;
    expect((await post('/api/queue/pause')).paused).toBe(true);
    const ids: Record<string, string> = {};
    for (const name of ['A', 'B', 'C']) {
      ids[name] = (await post('/v1/videos', { model: 'sketch', prompt: `queue ${name}: a paper boat on a pond`, seconds: '1', size: '320x180', fps: 12 })).id;
    }
    await page.goto(`${server.url}/`);
    const queued = page.locator('.job-group.queued li.job');
    await expect.poll(() => queued.count(), { timeout: 15_000 }).toBe(3);
    // The paused state arrives with the tray's first read of GET /api/queue, a moment after the list.
    await expect.poll(() => page.getByRole('button', { name: 'Pause my queue' }).getAttribute('aria-pressed'), { timeout: 10_000 }).toBe('true');
    const order = () => queued.evaluateAll((els) => els.map((e) => e.getAttribute('data-video-id')));
    expect(await order()).toEqual([ids.A, ids.B, ids.C]);
    expect(await seriousA11yViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Move to top of your queue: “queue C: a paper boat on a pond”' }).click();
    await expect.poll(order, { timeout: 10_000 }).toEqual([ids.C, ids.A, ids.B]);
    expect((await api('/api/queue')).data.map((d: any) => d.video.id)).toEqual([ids.C, ids.A, ids.B]);

    // Resume from the tray: C goes first.
    await page.getByRole('button', { name: 'Pause my queue' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Pause my queue' }).getAttribute('aria-pressed')).toBe('false');
    const done = async (id: string) => {
      await expect.poll(async () => (await api(`/api/videos/${id}`)).status, { timeout: 120_000, interval: 250 }).toBe('completed');
      return api(`/api/videos/${id}`);
    };
    const [a, b, c] = [await done(ids.A!), await done(ids.B!), await done(ids.C!)];
    // Whatever the worker count, the moved video started no later than A and before B.
    expect(c.started_at).toBeLessThanOrEqual(a.started_at);
    expect(c.started_at).toBeLessThan(b.started_at);
  });
});
