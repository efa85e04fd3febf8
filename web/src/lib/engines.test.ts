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
    expect(serverState(server({ running: 1 }))).toBe('Busy (1 of 1 slot)');
    expect(serverState(server({ running: 1, queue_remaining: 3, concurrency: 2 }))).toBe('Busy (3 of 2 slots, 3 in its own queue)');
    expect(serverState(server({ state: 'down', error: 'no answer to GET /system_stats (ECONNREFUSED)' }))).toBe('Unreachable: no answer to GET /system_stats (ECONNREFUSED)');
  });
});
