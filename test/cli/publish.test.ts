// `melies publish` and `melies unpublish` (issue 14), on SQLite and PostgreSQL: in-process on the
// server's own data while it runs (the local single user), and through a running server with
// --server. The running server's feed shows the change on its next request.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountBackends } from '../helpers/accounts.js';
import { runMelies, serveProcess, type MeliesProcess } from '../helpers/process.js';
import { waitFor } from '../helpers/server.js';
import { place, type Place } from './settings.js';

for (const backend of await accountBackends()) {
  describe(`melies publish on ${backend}`, () => {
    let p: Place;
    let server: MeliesProcess & { url: string };
    let id: string;

    const melies = async (...args: string[]) => {
      const run = runMelies(args, p.settings, p.cwd);
      const { code } = await run.exited;
      return { code, out: run.output() };
    };
    const feed = async () => (await (await fetch(`${server.url}/api/feed`)).json() as { data: { id: string; title: string; remix: string }[] }).data;

    beforeAll(async () => {
      p = await place(backend);
      server = await serveProcess(p.dataDir, { ...p.settings, MELIES_SKETCH_X264_PRESET: 'ultrafast' });
      const made = await (await fetch(`${server.url}/v1/videos`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prompt: 'a kite over a hill', seconds: '1', size: '320x180', fps: 12 }) })).json() as { id: string };
      id = made.id;
      await waitFor(() => fetch(`${server.url}/v1/videos/${id}`).then((r) => r.json() as Promise<{ status: string }>), (v) => v.status === 'completed');
    });
    afterAll(async () => {
      server?.child.kill('SIGTERM');
      await server?.exited;
      await p?.drop();
    });

    it('publishes in-process with a licence, and the running server shows it at once', async () => {
      const r = await melies('publish', id, '--title', 'CLI kite', '--remix', 'deny');
      expect(r.code, r.out).toBe(0);
      expect(r.out).toContain(`${id} “CLI kite”: published; remix deny, AI training not-allowed`);
      expect(await feed()).toMatchObject([{ id, title: 'CLI kite', remix: 'deny' }]);
    });

    it('unpublishes, then publishes through the server with --server', async () => {
      const off = await melies('unpublish', id);
      expect(off.code, off.out).toBe(0);
      expect(await feed()).toEqual([]);
      const on = await melies('publish', id, '--title', 'Over HTTP', '--server', server.url);
      expect(on.code, on.out).toBe(0);
      expect((await feed()).map((v) => v.title)).toEqual(['Over HTTP']);
    });

    it('says what is wrong, with exit code 1', async () => {
      const bad = await melies('publish', id, '--title', 'x', '--remix', 'maybe');
      expect(bad.code).toBe(1);
      expect(bad.out).toContain("Invalid value for 'remix'");
      const missing = await melies('publish', 'video_00000000000000000000000000000000', '--title', 'x', '--server', server.url);
      expect(missing.code).toBe(1);
      expect(missing.out).toContain('404');
    });
  });
}
