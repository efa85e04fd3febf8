// The "make it again" snippets are run for real: the curl command in a shell and the SDK script in
// Node against a running server, and each must reproduce the video (same model, size, seed).
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, serveProcess, type MeliesProcess } from '../../../test/helpers/process';
import { curlSnippet, sdkSnippet } from './snippets';
import type { Video } from './types';

const run = promisify(execFile);
let server: MeliesProcess & { url: string };
let dataDir: string;

const source: Video = {
  id: 'video_x', object: 'video', model: 'sketch', status: 'completed', progress: 100, created_at: 0, completed_at: 0,
  prompt: "the captain's boat at dusk\nshot 2: a lighthouse", size: '320x180', seconds: '1', fps: 12, seed: 4242,
  remixed_from_video_id: null, error: null,
};

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'melies-snippet-'));
  server = await serveProcess(dataDir, { MELIES_SKETCH_X264_PRESET: 'ultrafast' });
});
afterAll(async () => {
  server?.child.kill('SIGTERM');
  await server?.exited;
  rmSync(dataDir, { recursive: true, force: true });
});

describe('API snippets', () => {
  it('curl: the command creates the same video (quotes in the prompt survive the shell)', async () => {
    const { stdout } = await run('sh', ['-c', curlSnippet(source, server.url)]);
    const made = JSON.parse(stdout);
    expect(made).toMatchObject({ model: 'sketch', prompt: source.prompt, size: '320x180', seconds: '1', fps: 12, seed: 4242 });
  });

  it('openai SDK: the script runs, waits, and writes the MP4', async () => {
    // Inside the repository, so `import 'openai'` finds our node_modules.
    const dir = join(ROOT, '.tmp', `snippet-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    try {
      writeFileSync(join(dir, 'make-video.mjs'), sdkSnippet(source, server.url));
      await run(process.execPath, ['make-video.mjs'], { cwd: dir, timeout: 60_000 });
      const { stdout } = await run(process.execPath, ['-e', "process.stdout.write(String(require('fs').statSync('video.mp4').size))"], { cwd: dir });
      expect(Number(stdout)).toBeGreaterThan(1000);
      const list = await (await fetch(`${server.url}/v1/videos`)).json();
      // Two videos now (curl's and the SDK's), both the same recipe; the SDK waited for its own.
      expect(list.data).toHaveLength(2);
      for (const v of list.data) expect(v).toMatchObject({ prompt: source.prompt, seed: 4242, size: '320x180' });
      expect(list.data.some((v: Video) => v.status === 'completed')).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
