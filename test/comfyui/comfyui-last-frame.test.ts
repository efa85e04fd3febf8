// A first-last-frame ComfyUI template against a fake GPU (issue 15 §5): the mapping's `last_frame`
// LoadImage gets the job's last frame, uploaded beside the first, and the graph the fake accepts
// names both uploads; without a last frame the optional node is left out.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { newVideoId } from '../../src/domain/ids.js';
import { loadTemplate, type WorkflowTemplate } from '../../src/engines/comfyui/workflow-template.js';
import type { EngineJob } from '../../src/engines/engine.js';
import { runEngineToFile } from '../../src/engines/engine.contract.js';
import type { FakeComfyUI } from '../fakes/comfyui/fake-comfyui.server.js';
import { solidPng } from '../helpers/media.js';
import { bundled, engineOn, removeTempDirs, startFake, stopEngines, tempDir } from './helpers.js';

const fakes: FakeComfyUI[] = [];
afterEach(async () => {
  await stopEngines();
  for (const f of fakes.splice(0)) await f.stop();
  removeTempDirs();
});

/** The bundled Wan image-to-video graph with a second LoadImage as the latent's end image, mapped as `last_frame`. */
function firstLastTemplate(): WorkflowTemplate {
  const dir = tempDir('comfy-flf-');
  const wan = bundled().find((t) => t.id === 'wan2.2-ti2v-5b-i2v')!;
  const workflow: WorkflowTemplate['workflow'] = { ...structuredClone(wan.workflow), '60': { class_type: 'LoadImage', inputs: { image: 'end.png' } } };
  const [w, m] = [join(dir, 'wan-flf.workflow.json'), join(dir, 'wan-flf.mapping.json')];
  writeFileSync(w, JSON.stringify(workflow));
  writeFileSync(m, JSON.stringify({ ...wan.mapping, inputs: { ...wan.mapping.inputs, last_frame: { node: '60', input: 'image' } } }));
  return loadTemplate(w, m);
}

describe('ComfyUI first-last-frame templates', () => {
  it('uploads the last frame beside the first and names it in the mapped LoadImage', async () => {
    const gpu = await startFake();
    fakes.push(gpu);
    const template = firstLastTemplate();
    const engine = engineOn([gpu], { templates: [...bundled(), template] });
    await engine.start();
    expect(engine.models().find((c) => c.id === 'comfyui/wan-flf')).toMatchObject({ lastFrame: true, available: true });

    const dir = tempDir('comfy-flf-job-');
    const [first, last] = [join(dir, 'first.png'), join(dir, 'last.png')];
    writeFileSync(first, await solidPng('#cc3333', 256, 256));
    writeFileSync(last, await solidPng('#3333cc', 256, 256));
    const job: EngineJob = {
      videoId: newVideoId(), model: 'comfyui/wan-flf', prompt: 'a kite over dunes', seconds: 1, width: 256, height: 256, fps: 24, seed: 3,
      negativePrompt: null, inputImagePath: first, lastFrameImagePath: last, providerJobId: null,
    };
    await runEngineToFile(engine, job, { workDir: tempDir('comfy-flf-work-'), signal: new AbortController().signal, attempt: 1, reportProgress: () => {} });
    expect(gpu.stats.uploads).toEqual([`melies_${job.videoId}.png`, `melies_${job.videoId}_last.png`]);
    const graphOf = (promptId: string) => (gpu.history[promptId] as { prompt: [number, string, WorkflowTemplate['workflow']] }).prompt[2];
    const graph = graphOf(gpu.stats.accepted.at(-1)!);
    expect(graph['56']!.inputs.image).toBe(`melies_${job.videoId}.png`);
    expect(graph['60']!.inputs.image).toBe(`melies_${job.videoId}_last.png`);

    await runEngineToFile(engine, { ...job, videoId: newVideoId(), lastFrameImagePath: null }, { workDir: tempDir('comfy-flf-work-'), signal: new AbortController().signal, attempt: 1, reportProgress: () => {} });
    expect(graphOf(gpu.stats.accepted.at(-1)!)['60']).toBeUndefined();
  });
});
