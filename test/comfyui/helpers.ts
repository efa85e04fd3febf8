// Shared set-up for the ComfyUI tests: fake GPUs, engines on them, the bundled templates, and
// temporary folders that are removed after each test (nothing is left in the system temp folder).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTemplates, type WorkflowTemplate } from '../../src/engines/comfyui/workflow-template.js';
import { ComfyuiEngine, type ComfyuiEngineOptions } from '../../src/engines/comfyui/comfyui.engine.js';
import { FakeComfyUI, type FakeComfyOptions } from '../fakes/comfyui/fake-comfyui.server.js';
import { probe, type ProbeResult } from '../../src/media/probe.js';
import { bins } from '../helpers/media.js';

export const bundled = (): WorkflowTemplate[] => loadTemplates({ bundled: true, dir: null, files: [] });

export function startFake(over: Partial<FakeComfyOptions> = {}): Promise<FakeComfyUI> {
  return FakeComfyUI.start({ ffmpeg: bins.ffmpeg, stepMs: 2, maxSteps: 6, ...over });
}

/** Engines made by a test, stopped after it. */
export const made: ComfyuiEngine[] = [];

export function engineOn(fakes: FakeComfyUI[], over: Partial<ComfyuiEngineOptions> = {}): ComfyuiEngine {
  const e = new ComfyuiEngine({
    servers: fakes.map((f, i) => ({ url: f.url, label: `fake-gpu-${i + 1}`, concurrency: 1, templates: null })),
    templates: bundled(),
    media: bins,
    historyPollMs: 150,
    healthIntervalMs: 150,
    rescheduleAfterMs: 500,
    unavailableAfterMs: 1500,
    requestTimeoutMs: 2000,
    ...over,
  });
  made.push(e);
  return e;
}

export async function stopEngines(): Promise<void> {
  for (const e of made.splice(0)) await e.stop();
}

const temps: string[] = [];

/** A new folder in the system temp folder, removed by removeTempDirs(). */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** ffprobe facts of downloaded bytes; the file it needs is gone again before this returns. */
export async function probeBytes(data: Buffer | ArrayBuffer): Promise<ProbeResult> {
  const dir = mkdtempSync(join(tmpdir(), 'comfy-probe-'));
  try {
    const file = join(dir, 'video.mp4');
    writeFileSync(file, Buffer.from(data as ArrayBuffer));
    return await probe(bins.ffprobe, file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
