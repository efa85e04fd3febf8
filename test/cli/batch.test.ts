// `melies batch` as a user runs it, in-process (no server): a list becomes one zip of MP4s and a
// manifest, with the batch's progress shown as it goes.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { parseCsv } from '../../src/domain/csv.js';
import { probeBytes } from '../helpers/media.js';
import { runMelies, serveProcess } from '../helpers/process.js';
import { unzip } from '../helpers/zip.js';

const fast = { MELIES_JOB_POLL_MS: '50', MELIES_SKETCH_X264_PRESET: 'ultrafast' };

describe('melies batch', () => {
  it('makes every prompt of a list in-process and saves one zip with a manifest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'melies-cli-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'shots.jsonl'), '{"prompt":"a lighthouse at dusk","seed":7}\n{"prompt":"a fox in the snow","variations":2}\n');
    const out = join(dir, 'shots.zip');
    const run = runMelies(['batch', join(dir, 'shots.jsonl'), '--seconds', '1', '--size', '320x180', '--fps', '12', '-o', out, '--data-dir', join(dir, 'data')], fast);
    const { code } = await run.exited;
    expect(code, run.output()).toBe(0);
    expect(run.output()).toMatch(/Batch batch_[0-9a-f]{32}: 3 videos/);
    expect(run.output()).toMatch(/Saved .*shots\.zip \(3 completed of 3;/);
    const files = await unzip(readFileSync(out));
    const mp4s = [...files.keys()].filter((n) => n.endsWith('.mp4'));
    expect(mp4s).toHaveLength(3);
    for (const name of mp4s) expect((await probeBytes(files.get(name)!)).video).toMatchObject({ codec: 'h264', width: 320, height: 180 });
    const rows = parseCsv(files.get('manifest.csv')!.toString('utf8').replace(/^\uFEFF/, '')).records.filter((r) => r.fields.length > 1).slice(1);
    expect(rows.map((r) => [r.fields[2], r.fields[3], r.fields[9]])).toEqual([['1', 'a lighthouse at dusk', 'completed'], ['2', 'a fox in the snow', 'completed'], ['2', 'a fox in the snow', 'completed']]);
    expect(rows[0]!.fields[8]).toBe('7');
    expect(readdirSync(dir).filter((f) => f.includes('.part'))).toEqual([]);
  });

  it('uses a running server with --server: the list uploaded, the progress followed over SSE, the zip downloaded', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'melies-cli-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const server = await serveProcess(join(dir, 'server-data'), fast);
    try {
      writeFileSync(join(dir, 'list.csv'), 'prompt,seconds,size,fps\n"a kite, red",1,320x180,12\na meadow,1,320x180,12\n');
      const out = join(dir, 'remote.zip');
      const run = runMelies(['batch', join(dir, 'list.csv'), '-o', out, '--server', server.url], fast);
      expect((await run.exited).code, run.output()).toBe(0);
      const files = await unzip(readFileSync(out));
      expect([...files.keys()].filter((n) => n.endsWith('.mp4'))).toHaveLength(2);
      const list = (await (await fetch(`${server.url}/api/batches`)).json()) as { data: Array<{ name: string; counts: { completed: number } }> };
      expect(list.data).toEqual([expect.objectContaining({ name: 'list.csv', counts: expect.objectContaining({ completed: 2 }) })]);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });
});
