// The ComfyUI engine passes the shared engine contract against the fake ComfyUI: honest cards, a
// real H.264 MP4 of the asked size and duration for every bundled template, rising progress,
// prompt abort.
import { afterAll, beforeAll } from 'vitest';
import { runEngineContract } from '../../src/engines/engine.contract.js';
import type { FakeComfyUI } from '../fakes/comfyui/fake-comfyui.server.js';
import { bins } from '../helpers/media.js';
import { engineOn, startFake, stopEngines } from './helpers.js';

let fake: FakeComfyUI;
beforeAll(async () => { fake = await startFake(); });
afterAll(async () => { await stopEngines(); await fake?.stop(); });

runEngineContract('comfyui (fake GPU)', () => engineOn([fake]), {
  ffmpeg: bins.ffmpeg,
  ffprobe: bins.ffprobe,
  jobFor: () => ({ width: 256, height: 256, seconds: 1 }),
  durationTolerance: 0.05,
});
