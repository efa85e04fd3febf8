// ComfyUI through the real HTTP API, driven by the official openai SDK: Méliès (SQLite, embedded
// queue, real ffmpeg) in front of two fake GPUs speaking ComfyUI's protocol. Covers the cards,
// text and image to video, the engines panel data, and every failure a person must understand.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { promptIdFor } from '../../src/engines/comfyui/job-id.js';
import { noFaults, type FakeComfyUI } from '../fakes/comfyui/fake-comfyui.server.js';
import { bins, solidPng, tempFile } from '../helpers/media.js';
import { decodeFrameRgb, frameHashes } from '../../src/media/frames.js';
import { serverBackends, startTestServer, waitFor, type TestServer } from '../helpers/server.js';
import { probeBytes, startFake } from './helpers.js';

for (const db of await serverBackends()) {
  describe(`ComfyUI through the API on ${db}`, () => {
    let gpu1: FakeComfyUI;
    let gpu2: FakeComfyUI;
    let server: TestServer;
    let client: OpenAI;
    type Wire = Awaited<ReturnType<OpenAI['videos']['retrieve']>> & { error: { code: string; message: string } | null };

    beforeAll(async () => {
      gpu1 = await startFake({ deviceName: 'cuda:0 NVIDIA GeForce RTX 4090 : cudaMallocAsync' });
      gpu2 = await startFake({ deviceName: 'cuda:0 NVIDIA RTX A6000 : cudaMallocAsync', vramTotal: 51_527_024_640 });
      server = await startTestServer({
        comfyui: {
          servers: [{ url: gpu1.url, label: 'gpu-1' }, { url: gpu2.url, label: 'gpu-2' }],
          healthIntervalMs: 150, historyPollMs: 150, rescheduleAfterMs: 400, unavailableAfterMs: 1500, requestTimeoutMs: 2000,
        },
      }, { db });
      client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'local', maxRetries: 0 });
    });
    afterAll(async () => {
      await server?.stop();
      await gpu1?.stop();
      await gpu2?.stop();
    });
    beforeEach(async () => {
      for (const g of [gpu1, gpu2]) {
        Object.assign(g.faults, noFaults());
        Object.assign(g.opts, { stepMs: 2, maxSteps: 6 });
        await g.comeUp();
      }
      // Both GPUs healthy and idle again (a prompt left on a GPU that went away finishes there once
      // released) and the previous test's job off the queue (a video reads `completed` a moment
      // before its queue row is gone), before the next test.
      await waitFor(async () => [gpu1, gpu2].every((g) => !g.worker.running && g.queue.length === 0), Boolean, 30_000, 20);
      // Méliès follows both live again: ComfyUI does not replay progress sent while its socket was away.
      await waitFor(async () => [gpu1, gpu2].every((g) => g.sockets.size === 1), Boolean, 30_000, 20);
      await waitFor(() => api('/api/engines'), (r) => r.queue.active + r.queue.queued === 0 && r.data.find((e: any) => e.engine === 'comfyui').status.servers.every((s: any) => s.state === 'up'), 30_000, 50);
    });

    async function api(path: string, init?: RequestInit): Promise<any> {
      return (await fetch(`${server.url}${path}`, init)).json();
    }
    const finished = (id: string, timeoutMs = 60_000) =>
      waitFor(() => client.videos.retrieve(id) as Promise<Wire>, (v) => v.status === 'completed' || v.status === 'failed', timeoutMs, 50);
    const small = { model: 'comfyui/wan2.2-ti2v-5b-t2v', prompt: 'a fox running through snow at dawn', seconds: '2', size: '256x256' } as const;
    const posts = () => gpu1.stats.promptPosts + gpu2.stats.promptPosts;

    describe('ComfyUI engine through the API', () => {
      it('lists the bundled templates as honest local-model cards, available on the fake GPUs', async () => {
        const models: any[] = [];
        for await (const m of client.models.list()) models.push(m);
        const wan = models.find((m) => m.id === 'comfyui/wan2.2-ti2v-5b-t2v');
        const i2v = models.find((m) => m.id === 'comfyui/wan2.2-ti2v-5b-i2v');
        const ltx = models.find((m) => m.id === 'comfyui/ltx-video');
        expect(wan).toMatchObject({ kind: 'local-model', available: true, fps: [24], inputs: ['text'], seed: true, negative_prompt: true, seconds: { min: 1, max: 5, step: 1 } });
        expect(i2v).toMatchObject({ kind: 'local-model', available: true, inputs: ['text', 'image'] });
        expect(ltx).toMatchObject({ kind: 'local-model', available: true, fps: [24, 25], default_fps: 25 });
        for (const m of [wan, i2v, ltx]) for (const s of m.sizes as string[]) for (const side of s.split('x')) expect(Number(side) % 32).toBe(0);
        // A size off the model's 32-pixel step is a client mistake: 400 in OpenAI's envelope.
        const bad = await fetch(`${server.url}/v1/videos`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...small, size: '1280x720' }) });
        expect(bad.status).toBe(400);
        expect(((await bad.json()) as any).error).toMatchObject({ param: 'size', type: 'invalid_request_error' });
      });

      it('makes Wan 2.2 text to video: rising progress, an H.264 MP4 of exactly the size and seconds asked', async () => {
        const before = posts();
        // The sampler stops after step 3 of 6 until the test has seen the progress in between (half
        // of sampling, which is 85% of the bar: over 40%).
        for (const g of [gpu1, gpu2]) g.faults.holdAtStep = 3;
        const created = await client.videos.create({ ...small, seconds: '2' } as any);
        const progress: number[] = [];
        const seen = (v: Wire) => { progress.push(v.progress); return v.status === 'completed' || v.status === 'failed'; };
        await waitFor(() => client.videos.retrieve(created.id) as Promise<Wire>, (v) => seen(v) || v.progress > 30, 30_000, 20);
        for (const g of [gpu1, gpu2]) g.faults.holdAtStep = null;
        const done = await waitFor(() => client.videos.retrieve(created.id) as Promise<Wire>, seen, 60_000, 20);
        expect(done.error).toBeNull();
        expect(done.status).toBe('completed');
        expect(progress.every((p, i) => i === 0 || p >= progress[i - 1]!)).toBe(true);
        expect(progress.some((p) => p > 30 && p < 90)).toBe(true);
        const p = await probeBytes(await (await client.videos.downloadContent(created.id)).arrayBuffer());
        // The latent node made 49 frames (4n+1); the card promised 2 s at 24 fps: 48.
        expect(p.video).toMatchObject({ codec: 'h264', pixFmt: 'yuv420p', width: 256, height: 256, fps: 24, frames: 48 });
        expect(p.durationSeconds).toBeCloseTo(2, 2);
        expect(posts() - before).toBe(1);
      });

      it('makes LTX-Video at 25 fps (8n+1 latent frames trimmed to 4 s)', async () => {
        const created = await client.videos.create({ model: 'comfyui/ltx-video', prompt: 'a long descriptive prompt about a lighthouse', seconds: '4', size: '256x256' } as any);
        const done = await finished(created.id);
        expect(done.status).toBe('completed');
        const p = await probeBytes(await (await client.videos.downloadContent(created.id)).arrayBuffer());
        expect(p.video).toMatchObject({ width: 256, height: 256, fps: 25, frames: 100 });
      });

      it('image to video: uploads the reference image and wires it into LoadImage', async () => {
        const uploadsBefore = gpu1.stats.uploads.length + gpu2.stats.uploads.length;
        const created = await client.videos.create({
          model: 'comfyui/wan2.2-ti2v-5b-i2v', prompt: 'the red square starts to spin', seconds: '1', size: '256x256',
          input_reference: await toFile(await solidPng('#ff0000', 320, 240), 'start.png', { type: 'image/png' }),
        } as any);
        const done = await finished(created.id);
        expect(done.status).toBe('completed');
        const uploads = [...gpu1.stats.uploads, ...gpu2.stats.uploads];
        expect(uploads.length).toBe(uploadsBefore + 1);
        expect(uploads.at(-1)).toBe(`melies_${created.id}.png`);
        // The fake validates LoadImage's choice against its input folder: the uploaded name was used.
        const gpu = gpu1.stats.uploads.includes(`melies_${created.id}.png`) ? gpu1 : gpu2;
        const item = (gpu.history[promptIdFor(created.id, 1)] as any).prompt;
        expect(item[2]['56'].inputs.image).toBe(`melies_${created.id}.png`);
        expect(item[2]['55'].inputs.start_image).toEqual(['56', 0]);
      });

      it('extends an image-to-video video from its real last frame (issue 15 §1): that frame goes to LoadImage, and its repeat is dropped at the join', async () => {
        const source = await client.videos.create({
          model: 'comfyui/wan2.2-ti2v-5b-i2v', prompt: 'the blue square starts to spin', seconds: '2', size: '256x256',
          input_reference: await toFile(await solidPng('#2040c0', 256, 256), 'start.png', { type: 'image/png' }),
        } as any);
        expect((await finished(source.id)).status).toBe('completed');
        const ext = await client.videos.extend({ video: { id: source.id }, prompt: 'and it keeps spinning', seconds: '2' as never });
        expect(ext).toMatchObject({ model: 'comfyui/wan2.2-ti2v-5b-i2v', seconds: '4', size: '256x256' });
        const done = await finished(ext.id);
        expect(done.status, JSON.stringify(done.error)).toBe('completed');
        // The image ComfyUI was given is the source's last decoded frame, pixel for pixel.
        const gpu = gpu1.stats.uploads.includes(`melies_${ext.id}.png`) ? gpu1 : gpu2;
        const sent = join(gpu.dir, 'input', `melies_${ext.id}.png`);
        const src = tempFile(await (await client.videos.downloadContent(source.id)).arrayBuffer());
        const srcFrames = await frameHashes(bins.ffmpeg, src);
        const size = { width: 256, height: 256 };
        const [a, b] = [await decodeFrameRgb(bins.ffmpeg, sent, 0, size), await decodeFrameRgb(bins.ffmpeg, src, srcFrames.length - 1, size)];
        expect(a.reduce((sum, x, i) => sum + Math.abs(x - b[i]!), 0) / a.length).toBeLessThan(1);
        // Source frames, then ComfyUI's 2 s less the frame that repeats the source's last.
        const out = tempFile(await (await client.videos.downloadContent(ext.id)).arrayBuffer());
        const p = await probeBytes(readFileSync(out));
        expect(p.video).toMatchObject({ codec: 'h264', width: 256, height: 256, fps: 24 });
        expect(await frameHashes(bins.ffmpeg, out)).toHaveLength(srcFrames.length + 2 * 24 - 1);
      });

      it('shows operators each GPU with its VRAM, load and templates at GET /api/engines', async () => {
        const r = await api('/api/engines');
        const comfy = r.data.find((e: any) => e.engine === 'comfyui').status;
        expect(comfy.kind).toBe('comfyui');
        expect(comfy.servers.map((s: any) => s.label)).toEqual(['gpu-1', 'gpu-2']);
        expect(comfy.servers[1]).toMatchObject({ state: 'up', concurrency: 1, devices: [{ name: 'cuda:0 NVIDIA RTX A6000 : cudaMallocAsync', vram_total: 51_527_024_640 }] });
        expect(comfy.servers[0].templates.every((t: any) => t.ok && t.problems.length === 0)).toBe(true);
        expect(r.queue).toEqual({ queued: 0, active: 0 });
        expect(r.data.find((e: any) => e.engine === 'sketch')).toEqual({ engine: 'sketch', status: null });
      });

      it('node_errors on submit: the video fails at once, naming the node and the input', async () => {
        for (const g of [gpu1, gpu2]) g.faults.nodeErrors = { classType: 'KSampler', input: 'sampler_name', details: "sampler_name: 'uni_pc' not in ['euler', 'heun']" };
        const created = await client.videos.create(small as any);
        const done = await finished(created.id);
        expect(done.status).toBe('failed');
        expect(done.error!.code).toBe('invalid_request');
        expect(done.error!.message).toMatch(/node 3 \(KSampler\), input 'sampler_name': Value not in list: sampler_name: 'uni_pc' not in/);
      });

      it('CUDA out of memory: engine_out_of_memory with a concrete hint', async () => {
        for (const g of [gpu1, gpu2]) g.faults.oomOnce = true;
        const created = await client.videos.create({ ...small, size: '1280x704', seconds: '4' } as any);
        const done = await finished(created.id);
        expect(done.status).toBe('failed');
        expect(done.error!.code).toBe('engine_out_of_memory');
        expect(done.error!.message).toMatch(/ran out of memory in node 3 \(KSampler\)/);
        expect(done.error!.message).toMatch(/smaller size such as 832x480 \(this was 1280x704\)/);
        expect(done.error!.message).toMatch(/fewer seconds \(e\.g\. 2 instead of 4\)/);
        expect(done.error!.message).toMatch(/comfyui\/ltx-video/);
      });

      it('cancel mid-run: ComfyUI is told, the video ends cancelled and no file is kept', async () => {
        // The sampler stays at step 5 of 20: the prompt is surely running when the user cancels.
        for (const g of [gpu1, gpu2]) Object.assign(g.opts, { maxSteps: 20 });
        for (const g of [gpu1, gpu2]) g.faults.holdAtStep = 5;
        const created = await client.videos.create(small as any);
        await waitFor(() => client.videos.retrieve(created.id), (v) => v.status === 'in_progress' && v.progress >= 10, 30_000, 20);
        const res = await fetch(`${server.url}/api/videos/${created.id}/cancel`, { method: 'POST' });
        expect(res.status).toBe(200);
        const promptId = promptIdFor(created.id, 1);
        await waitFor(async () => [...gpu1.stats.executions, ...gpu2.stats.executions].find((e) => e.promptId === promptId), (e) => e?.outcome === 'interrupted', 30_000, 20);
        expect([...gpu1.stats.jobCancels, ...gpu2.stats.jobCancels]).toContain(promptId);
        const done = await finished(created.id);
        expect(done).toMatchObject({ status: 'failed', error: { code: 'cancelled' } });
        expect((await fetch(`${server.url}/v1/videos/${created.id}/content`)).status).toBe(400);
        // Nothing of it in the store, nor in the work folder.
        const stored = join(server.dataDir, 'blobs', 'videos', created.id);
        expect(existsSync(stored) ? readdirSync(stored, { recursive: true }) : []).toEqual([]);
        await waitFor(async () => existsSync(join(server.dataDir, 'work', created.id)), (exists) => !exists, 30_000, 20);
      });

      it('a GPU that stops answering mid-run: the job is rescheduled on the other one', async () => {
        // Held at step 3 where it first runs, so it cannot finish there before that GPU goes away.
        for (const g of [gpu1, gpu2]) g.faults.holdAtStep = 3;
        const created = await client.videos.create(small as any);
        const promptId = promptIdFor(created.id, 1);
        const first = await waitFor(async () => [gpu1, gpu2].find((g) => g.worker.running?.item[1] === promptId), Boolean, 20_000, 10);
        const other = first === gpu1 ? gpu2 : gpu1;
        other.faults.holdAtStep = null;
        await first!.goDown();
        const done = await finished(created.id);
        expect(done.status).toBe('completed');
        expect(other.stats.accepted).toContain(promptIdFor(created.id, 2));
        const p = await probeBytes(await (await client.videos.downloadContent(created.id)).arrayBuffer());
        expect(p.video).toMatchObject({ width: 256, height: 256, frames: 48 });
      });

      it('no GPU reachable for the bounded wait: engine_unavailable', async () => {
        // Held at step 3: the prompt is running, and stays so, when both GPUs go away.
        for (const g of [gpu1, gpu2]) g.faults.holdAtStep = 3;
        const created = await client.videos.create(small as any);
        await waitFor(() => client.videos.retrieve(created.id), (v) => v.status === 'in_progress' && v.progress >= 5, 20_000, 10);
        await gpu1.goDown();
        await gpu2.goDown();
        const done = await finished(created.id, 30_000);
        expect(done.status).toBe('failed');
        expect(done.error!.code).toBe('engine_unavailable');
        expect(done.error!.message).toMatch(/unreachable/);
      });

      it('ComfyUI restarting mid-job: submitted once more, and completes', async () => {
        for (const g of [gpu1, gpu2]) Object.assign(g.opts, { stepMs: 30, maxSteps: 8 });
        const before = posts();
        // Held at the first step until the restart is armed for this video's prompt (its id is known once created).
        for (const g of [gpu1, gpu2]) g.faults.hold = true;
        const created = await client.videos.create(small as any);
        for (const g of [gpu1, gpu2]) Object.assign(g.faults, { restartAtStep: { step: 3, downMs: 100, prompts: [promptIdFor(created.id, 1)] }, hold: false });
        const done = await finished(created.id);
        expect(done.status).toBe('completed');
        expect(posts() - before).toBe(2);
        expect([...gpu1.stats.accepted, ...gpu2.stats.accepted]).toContain(promptIdFor(created.id, 2));
      });

      it('ComfyUI losing the job twice: fails clearly after the one resubmission', async () => {
        for (const g of [gpu1, gpu2]) Object.assign(g.opts, { stepMs: 30, maxSteps: 8 });
        const before = posts();
        for (const g of [gpu1, gpu2]) g.faults.hold = true;
        const created = await client.videos.create(small as any);
        for (const g of [gpu1, gpu2]) Object.assign(g.faults, { restartAtStep: { step: 3, downMs: 100, prompts: [promptIdFor(created.id, 1), promptIdFor(created.id, 2)] }, hold: false });
        const done = await finished(created.id);
        expect(done.status).toBe('failed');
        expect(done.error!.code).toBe('engine_lost_job');
        expect(done.error!.message).toMatch(/submitted it a second time/);
        expect(posts() - before).toBe(2);
      });
    });
  });
}
