import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { allowsSeconds, allowsSize, cardProblems } from '../../domain/model-card.js';
import type { EngineJob } from '../engine.js';
import { buildPrompt, framesFor, loadTemplate, loadTemplates, type WorkflowTemplate } from './workflow-template.js';

const dirs: string[] = [];
const tempDir = () => { const d = mkdtempSync(join(tmpdir(), 'tpl-')); dirs.push(d); return d; };
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

const bundled = () => loadTemplates({ bundled: true, dir: null, files: [] });
const byId = (id: string) => bundled().find((t) => t.id === id)!;
const job = (over: Partial<EngineJob> = {}): EngineJob => ({
  videoId: 'video_x', model: 'comfyui/wan2.2-ti2v-5b-t2v', prompt: 'a heron on one leg', seconds: 5, width: 832, height: 480, fps: 24, seed: 1234,
  negativePrompt: null, inputImagePath: null, providerJobId: null, ...over,
});

function writeTemplate(dir: string, id: string, workflow: unknown, mapping: unknown): [string, string] {
  const w = join(dir, `${id}.workflow.json`), m = join(dir, `${id}.mapping.json`);
  writeFileSync(w, JSON.stringify(workflow));
  writeFileSync(m, JSON.stringify(mapping));
  return [w, m];
}

describe('workflow templates', () => {
  it('bundles Wan 2.2 TI2V 5B (text and image to video) and LTX-Video with honest, consistent cards', () => {
    const ts = bundled();
    expect(ts.map((t) => t.modelId).sort()).toEqual(['comfyui/ltx-video', 'comfyui/wan2.2-ti2v-5b-i2v', 'comfyui/wan2.2-ti2v-5b-t2v']);
    for (const t of ts) {
      expect(cardProblems(t.card)).toEqual([]);
      expect(t.card).toMatchObject({ engine: 'comfyui', kind: 'local-model', seed: true, negativePrompt: true, audio: false });
      expect(t.card.description.length).toBeGreaterThan(100);
      // Sizes snapped to the latent nodes' 32-pixel step.
      for (const s of t.card.sizes) for (const side of s.split('x')) expect(Number(side) % 32).toBe(0);
      expect(t.card.sizeRange?.multipleOf).toBe(32);
    }
    const wan = byId('wan2.2-ti2v-5b-t2v').card;
    expect(wan).toMatchObject({ fps: [24], defaultSize: '1280x704', inputs: ['text'], defaultSeconds: 5 });
    expect(allowsSeconds(wan, 5)).toBe(true);
    expect(allowsSeconds(wan, 6)).toBe(false);
    expect(allowsSize(wan, 1280, 720)).toBe(false); // 720 is off the 32 step
    expect(byId('wan2.2-ti2v-5b-i2v').card.inputs).toEqual(['text', 'image']);
    expect(byId('ltx-video').card).toMatchObject({ fps: [24, 25], defaultFps: 25, defaultSize: '768x512' });
  });

  it('asks the latent node for the least step·n+1 frames that cover the request', () => {
    expect(framesFor(4, 5, 24)).toBe(121); // Wan's recommended 121 frames
    expect(framesFor(4, 1, 24)).toBe(25);
    expect(framesFor(8, 4, 25)).toBe(105); // 100 wanted; 97 is too few
    expect(framesFor(8, 1, 25)).toBe(25);
    expect(framesFor(1, 3, 30)).toBe(90);
    for (const [step, s, fps] of [[4, 3, 24], [8, 7, 24], [8, 3, 25]] as const) {
      const f = framesFor(step, s, fps);
      expect((f - 1) % step).toBe(0);
      expect(f).toBeGreaterThanOrEqual(s * fps);
      expect(f - step).toBeLessThan(s * fps);
    }
  });

  it('writes prompt, negative prompt, seed, size, frames and fps into the mapped inputs', () => {
    const t = byId('ltx-video');
    const g = buildPrompt(t, job({ model: t.modelId, negativePrompt: 'blur', width: 768, height: 512, seconds: 4, fps: 25 }), null);
    expect(g['6']!.inputs.text).toBe('a heron on one leg');
    expect(g['7']!.inputs.text).toBe('blur');
    expect(g['72']!.inputs.noise_seed).toBe(1234);
    expect(g['70']!.inputs).toMatchObject({ width: 768, height: 512, length: 105 });
    expect(g['69']!.inputs.frame_rate).toBe(25);
    expect(g['78']!.inputs.fps).toBe(25);
    // The template itself is untouched, and without a negative prompt its own stays.
    expect(t.workflow['6']!.inputs.text).not.toBe('a heron on one leg');
    expect(buildPrompt(t, job({ model: t.modelId }), null)['7']!.inputs.text).toMatch(/low quality/);
  });

  it('puts the uploaded image into LoadImage, or drops the optional node and its link without one', () => {
    const t = byId('wan2.2-ti2v-5b-i2v');
    const withImage = buildPrompt(t, job(), 'melies_video_x.png');
    expect(withImage['56']!.inputs.image).toBe('melies_video_x.png');
    expect(withImage['55']!.inputs.start_image).toEqual(['56', 0]);
    const without = buildPrompt(t, job(), null);
    expect(without['56']).toBeUndefined();
    expect(without['55']!.inputs).not.toHaveProperty('start_image');
  });

  it('a first-last-frame template (mapping `last_frame`) says so on its card and gets the second upload, or drops that node without one', () => {
    const dir = tempDir();
    const wan = byId('wan2.2-ti2v-5b-i2v');
    // A second LoadImage wired as the latent's end image, as Wan's first-last-frame graphs do.
    const workflow: WorkflowTemplate['workflow'] = { ...structuredClone(wan.workflow), '60': { class_type: 'LoadImage', inputs: { image: 'end.png' } } };
    (workflow['55']!.inputs as Record<string, unknown>).end_image = ['60', 0];
    const [w, m] = writeTemplate(dir, 'wan-flf', workflow, { ...wan.mapping, inputs: { ...wan.mapping.inputs, last_frame: { node: '60', input: 'image' } } });
    const t = loadTemplate(w, m);
    expect(t.card.lastFrame).toBe(true);
    expect(wan.card.lastFrame).toBeUndefined();
    const both = buildPrompt(t, job(), 'melies_video_x.png', 'melies_video_x_last.png');
    expect(both['56']!.inputs.image).toBe('melies_video_x.png');
    expect(both['60']!.inputs.image).toBe('melies_video_x_last.png');
    expect(both['55']!.inputs.end_image).toEqual(['60', 0]);
    const firstOnly = buildPrompt(t, job(), 'melies_video_x.png');
    expect(firstOnly['60']).toBeUndefined();
    expect(firstOnly['55']!.inputs).not.toHaveProperty('end_image');
  });

  it('refuses a job without an image when the mapping requires one', () => {
    const t: WorkflowTemplate = structuredClone(byId('wan2.2-ti2v-5b-i2v'));
    t.mapping.inputs.image!.optional = false;
    expect(() => buildPrompt(t, job(), null)).toThrow(/needs an input image/);
  });

  it('loads an operator template (API format + mapping) and lets it replace a bundled one', () => {
    const dir = tempDir();
    const wan = byId('wan2.2-ti2v-5b-t2v');
    writeTemplate(dir, 'wan2.2-ti2v-5b-t2v', wan.workflow, { ...wan.mapping, label: 'Our tuned Wan' });
    const ts = loadTemplates({ bundled: true, dir, files: [] });
    expect(ts).toHaveLength(3);
    expect(ts.find((t) => t.id === 'wan2.2-ti2v-5b-t2v')!.card.label).toBe('Our tuned Wan');
  });

  it('names the file and the problem when a template is broken', () => {
    const dir = tempDir();
    const wan = byId('wan2.2-ti2v-5b-t2v');
    const [w1, m1] = writeTemplate(dir, 'ui-format', { nodes: [], links: [] }, wan.mapping);
    expect(() => loadTemplate(w1, m1)).toThrow(/UI-format workflow; export it with "Export \(API\)"/);
    const [w2, m2] = writeTemplate(dir, 'typo', wan.workflow, { ...wan.mapping, inputs: { ...wan.mapping.inputs, frames: { node: '55', input: 'lenght' } } });
    expect(() => loadTemplate(w2, m2)).toThrow(/mapping 'frames' names input 'lenght' of node 55 \(Wan22ImageToVideoLatent\)/);
    const [w3, m3] = writeTemplate(dir, 'nonode', wan.workflow, { ...wan.mapping, inputs: { ...wan.mapping.inputs, seed: { node: '99', input: 'seed' } } });
    expect(() => loadTemplate(w3, m3)).toThrow(/names node 99, which is not in the workflow/);
    const [w4, m4] = writeTemplate(dir, 'nocard', wan.workflow, { inputs: wan.mapping.inputs });
    expect(() => loadTemplate(w4, m4)).toThrow(new RegExp(`${m4.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is invalid:\\n  card`));
    const [w5, m5] = writeTemplate(dir, 'Bad Name', wan.workflow, wan.mapping);
    expect(() => loadTemplate(w5, m5)).toThrow(/the id 'Bad Name'/);
  });
});
