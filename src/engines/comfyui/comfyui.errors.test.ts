import { describe, expect, it } from 'vitest';
import { loadTemplates } from './workflow-template.js';
import { executionError, isOutOfMemory, oomHint, refusalError } from './comfyui.errors.js';

const wan = loadTemplates({ bundled: true, dir: null, files: [] }).find((t) => t.id === 'wan2.2-ti2v-5b-t2v')!;

describe('ComfyUI errors for people', () => {
  it('turns node_errors into a non-retryable failure naming node and input', () => {
    const e = refusalError({
      error: { type: 'prompt_outputs_failed_validation', message: 'Prompt outputs failed validation', details: '' },
      node_errors: { '3': { class_type: 'KSampler', errors: [{ type: 'value_not_in_list', message: 'Value not in list', details: "sampler_name: 'x' not in ['euler']", extra_info: { input_name: 'sampler_name' } }] } },
    }, wan.workflow, 'gpu-1', wan.modelId);
    expect(e).toMatchObject({ code: 'invalid_request', retryable: false });
    expect(e.message).toBe("ComfyUI on gpu-1 refused the comfyui/wan2.2-ti2v-5b-t2v workflow: node 3 (KSampler), input 'sampler_name': Value not in list: sampler_name: 'x' not in ['euler'].");
  });

  it('falls back to the top-level error (e.g. a missing node type)', () => {
    const e = refusalError({ error: { type: 'missing_node_type', message: "Node 'Save Video' not found. The custom node may not be installed.", details: "Node ID '#58'" }, node_errors: {} }, wan.workflow, 'gpu-1', wan.modelId);
    expect(e.message).toMatch(/refused the .* workflow: Node 'Save Video' not found\. The custom node may not be installed\.: Node ID '#58'\.$/);
  });

  it('recognises CUDA out-of-memory in its several spellings', () => {
    expect(isOutOfMemory({ exception_type: 'torch.OutOfMemoryError', exception_message: 'Allocation on device 0 would exceed allowed memory.' })).toBe(true);
    expect(isOutOfMemory({ exception_type: 'RuntimeError', exception_message: 'CUDA out of memory. Tried to allocate 2.00 GiB' })).toBe(true);
    expect(isOutOfMemory({ exception_type: 'RuntimeError', exception_message: 'HIP out of memory' })).toBe(true);
    expect(isOutOfMemory({ exception_type: 'ValueError', exception_message: 'bad shape' })).toBe(false);
  });

  it('gives a concrete way out of OOM: a smaller preset, fewer seconds, another model', () => {
    const hint = oomHint(wan.card, { width: 1280, height: 704, seconds: 5 }, ['comfyui/ltx-video']);
    expect(hint).toBe('Try a smaller size such as 832x480 (this was 1280x704), fewer seconds (e.g. 2 instead of 5), another model such as comfyui/ltx-video, or start ComfyUI with --lowvram / close other programs using the GPU.');
    const e = executionError({ node_id: '3', node_type: 'KSampler', exception_type: 'torch.OutOfMemoryError', exception_message: 'out of memory' }, wan.workflow, 'gpu-1', () => hint);
    expect(e).toMatchObject({ code: 'engine_out_of_memory', retryable: false });
    expect(e.message).toBe(`The GPU on gpu-1 ran out of memory in node 3 (KSampler). ${hint}`);
  });

  it('names the failing node and its exception otherwise', () => {
    const e = executionError({ node_id: '8', node_type: 'VAEDecode', exception_type: 'RuntimeError', exception_message: 'expected 5D input' }, wan.workflow, 'gpu-2', () => '');
    expect(e).toMatchObject({ code: 'engine_error', message: 'ComfyUI on gpu-2 failed in node 8 (VAEDecode "VAE Decode"): RuntimeError: expected 5D input' });
  });
});
