import { describe, expect, it } from 'vitest';
import { gpuName, serverState, vramLine, type ComfyServer } from './engines';

const server = (over: Partial<ComfyServer> = {}): ComfyServer => ({
  url: 'http://gpu-1:8188', label: 'gpu-1', state: 'up', error: null, checked_at: 1, down_since: null, version: '0.3.66', devices: [],
  concurrency: 1, running: 0, queue_remaining: 0, templates: [], ...over,
});

describe('engines panel words', () => {
  it('shows VRAM use and a readable GPU name', () => {
    const d = { name: 'cuda:0 NVIDIA GeForce RTX 4090 : cudaMallocAsync', type: 'cuda', vram_total: 24e9, vram_free: 5.8e9 };
    expect(vramLine(d)).toBe('18.2 of 24.0 GB used');
    expect(gpuName(d)).toBe('NVIDIA GeForce RTX 4090');
    expect(vramLine({ ...d, vram_total: null })).toBe('VRAM unknown');
    expect(gpuName({ name: null, type: 'mps', vram_total: null, vram_free: null })).toBe('mps');
  });

  it('says whether a server is idle, busy or unreachable', () => {
    expect(serverState(server())).toBe('Idle');
    expect(serverState(server({ running: 1 }))).toBe('1 of 1 Méliès slot in use');
    // ComfyUI's queue also holds other people's prompts: never counted as our slots.
    expect(serverState(server({ running: 1, queue_remaining: 3, concurrency: 2 }))).toBe("1 of 2 Méliès slots in use; 3 in ComfyUI's queue");
    expect(serverState(server({ running: 0, queue_remaining: 2 }))).toBe("0 of 1 Méliès slot in use; 2 in ComfyUI's queue");
    expect(serverState(server({ state: 'down', error: 'no answer to GET /system_stats (ECONNREFUSED)' }))).toBe('Unreachable: no answer to GET /system_stats (ECONNREFUSED)');
  });
});
