// The ComfyUI engine passes the shared engine contract against the fake ComfyUI: honest cards, a
// real H.264 MP4 of the asked size and duration for every bundled template, rising progress,
// prompt abort.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll } from 'vitest';
import { runEngineContract } from '../../src/engines/engine.contract.js';
import type { FakeComfyUI } from '../fakes/comfyui/fake-comfyui.server.js';
import { bins } from '../helpers/media.js';
import { engineOn, startFake, stopEngines, tempDir } from './helpers.js';

let fake: FakeComfyUI;
// The contract makes its work folders in the system temp folder and leaves them: point that at a
// folder of this file's own (os.tmpdir() reads TMPDIR each time; vitest runs each file apart).
const tmp = { before: process.env.TMPDIR, dir: '' };
beforeAll(async () => {
  tmp.dir = tempDir('comfy-contract-');
  process.env.TMPDIR = tmp.dir;
  fake = await startFake();
});
afterAll(async () => {
  await stopEngines();
  await fake?.stop();
  if (tmp.before === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = tmp.before;
  rmSync(tmp.dir, { recursive: true, force: true });
});

runEngineContract('comfyui (fake GPU)', () => engineOn([fake]), {
  ffmpeg: bins.ffmpeg,
  ffprobe: bins.ffprobe,
  jobFor: () => ({ width: 256, height: 256, seconds: 1 }),
  durationTolerance: 0.05,
});
