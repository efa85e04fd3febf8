// `melies generate` as a user runs it: in-process (no server) and against a running server.
import { mkdtempSync, existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { frameHashes } from '../../src/media/frames.js';
import { probe } from '../../src/media/probe.js';
import { bins, solidPng, testPatternClip } from '../helpers/media.js';
import { runMelies, serveProcess } from '../helpers/process.js';

const fast = { MELIES_JOB_POLL_MS: '50', MELIES_SKETCH_X264_PRESET: 'ultrafast' };

describe('melies generate', () => {
  it('renders in-process with progress and writes the MP4, reproducibly with --seed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'melies-cli-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const outputs: string[] = [];
    for (const name of ['a.mp4', 'b.mp4']) {
      const out = join(dir, name);
      const run = runMelies(['generate', 'a lighthouse on a cliff at dusk', '--seconds', '2', '--size', '320x180', '--fps', '12', '--seed', '5', '-o', out, '--data-dir', join(dir, 'data')], fast);
      const { code } = await run.exited;
      expect(code, run.output()).toBe(0);
      expect(run.output()).toMatch(/100% completed/);
      expect(run.output()).toMatch(new RegExp(`Saved ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(320x180, 2s, 12 fps, seed 5`));
      const p = await probe(bins.ffprobe, out);
      expect(p.video).toMatchObject({ codec: 'h264', width: 320, height: 180, frames: 24 });
      outputs.push(out);
    }
    expect(await frameHashes(bins.ffmpeg, outputs[1]!)).toEqual(await frameHashes(bins.ffmpeg, outputs[0]!));
    // No temp files next to the outputs.
    expect(readdirSync(dir).filter((f) => f.includes('.part'))).toEqual([]);
  });

  it('uses a running server with --server, uploading --image', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'melies-cli-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const server = await serveProcess(join(dir, 'server-data'), fast);
    try {
      writeFileSync(join(dir, 'ref.png'), await solidPng('#ff8800', 64, 64));
      const out = join(dir, 'remote.mp4');
      const run = runMelies(['generate', 'a', 'meadow', '--seconds', '1', '--size', '256x256', '--image', join(dir, 'ref.png'), '-o', out, '--server', server.url], fast);
      expect((await run.exited).code, run.output()).toBe(0);
      expect((await probe(bins.ffprobe, out)).video).toMatchObject({ width: 256, height: 256 });
      const list = (await (await fetch(`${server.url}/v1/videos`)).json()) as { data: Array<{ prompt: string }> };
      expect(list.data.map((v) => v.prompt)).toContain('a meadow');
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });

  it('extends an MP4 file in-process and a video by id through --server, and refuses --edit of a file with sketch in plain words', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'melies-cli-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'mine.mp4'), await testPatternClip({ seconds: 2, size: '320x180', fps: 12 }));
    const out = join(dir, 'longer.mp4');
    const local = runMelies(['generate', 'the', 'tide', 'comes', 'in', '--extend', join(dir, 'mine.mp4'), '--seconds', '2', '-o', out, '--data-dir', join(dir, 'data')], fast);
    expect((await local.exited).code, local.output()).toBe(0);
    expect(local.output()).toMatch(/Saved .*longer\.mp4 \(320x180, 4s, 12 fps/);
    const p = await probe(bins.ffprobe, out);
    expect(p.video).toMatchObject({ width: 320, height: 180, fps: 12, frames: 24 + 23 });

    const server = await serveProcess(join(dir, 'server-data'), fast);
    try {
      const made = (await (await fetch(`${server.url}/v1/videos`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prompt: 'a kite over a beach', seconds: '1', size: '320x180', fps: 12 }) })).json()) as { id: string };
      // Only a completed video can be extended: wait for it (a busy machine may still be rendering it).
      await expect.poll(async () => ((await (await fetch(`${server.url}/v1/videos/${made.id}`)).json()) as { status: string }).status, { timeout: 60_000, interval: 200 }).toBe('completed');
      const out2 = join(dir, 'remote.mp4');
      const remote = runMelies(['generate', 'the kite climbs', '--extend', made.id, '--seconds', '1', '-o', out2, '--server', server.url], fast);
      expect((await remote.exited).code, remote.output()).toBe(0);
      expect((await probe(bins.ffprobe, out2)).video).toMatchObject({ width: 320, height: 180, frames: 24 });
      const edit = runMelies(['generate', 'make it night', '--edit', join(dir, 'mine.mp4'), '-o', join(dir, 'never.mp4'), '--server', server.url], fast);
      expect((await edit.exited).code).toBe(1);
      expect(edit.output()).toMatch(/melies: 400: The model sketch edits only videos it made itself.*models that re-make any video: none on this server/);
      expect(existsSync(join(dir, 'never.mp4'))).toBe(false);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });

  it('prints the scene plan of a prompt as JSON, the same for English and French twins', async () => {
    const plans = [];
    for (const prompt of ['a lighthouse on a cliff at dusk, light rain', 'un phare sur une falaise au crépuscule, pluie fine']) {
      const run = runMelies(['plan', prompt, '--seconds', '6'], fast);
      expect((await run.exited).code, run.output()).toBe(0);
      const plan = JSON.parse(run.output());
      expect(plan.shots[0]).toMatchObject({ setting: 'sea', timeOfDay: 'dusk', weather: { kind: 'rain', intensity: 'light' }, seconds: 6 });
      expect(plan.shots[0].subjects.map((s: { kind: string }) => s.kind)).toEqual(['lighthouse', 'cliff']);
      plans.push(plan.shots.map(({ text: _t, ...rest }: Record<string, unknown>) => rest));
    }
    expect(plans[1]).toEqual(plans[0]);
    const unknown = runMelies(['plan', 'x', '--model', 'nope'], fast);
    expect((await unknown.exited).code).toBe(1);
    expect(unknown.output()).toMatch(/unknown model 'nope'/);
  });

  it('explains failures in plain words and exits 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'melies-cli-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const badSize = runMelies(['generate', 'x', '--size', '1000x3', '-o', join(dir, 'x.mp4'), '--data-dir', join(dir, 'data')], fast);
    expect((await badSize.exited).code).toBe(1);
    expect(badSize.output()).toMatch(/melies: Invalid value for 'size': 1000x3 is not supported by sketch/);
    const down = runMelies(['generate', 'x', '--server', 'http://127.0.0.1:9', '-o', join(dir, 'y.mp4')], fast);
    expect((await down.exited).code).toBe(1);
    expect(down.output()).toMatch(/melies: cannot reach http:\/\/127\.0\.0\.1:9/);
    expect(existsSync(join(dir, 'x.mp4')) || existsSync(join(dir, 'y.mp4'))).toBe(false);
  });
});
