// Which engines this process offers. The built-in sketch engine always; ComfyUI and cloud
// adapters join here as they are configured.
import type { Config } from '../config/config.js';
import { EngineRegistry } from '../engines/registry.js';
import { SketchEngine } from '../engines/sketch/sketch.engine.js';
import { resolveMediaBinaries, type MediaBinaries } from '../media/binaries.js';
import { limitConcurrency } from '../engines/concurrency-limit.js';
import { comfyuiEngine, type EngineLog } from './comfyui.js';

export function mediaBinaries(config: Config): MediaBinaries {
  return resolveMediaBinaries({ ffmpegPath: config.ffmpegPath, ffprobePath: config.ffprobePath, pathEnv: config.searchPath });
}

export function createEngines(config: Config, media: MediaBinaries = mediaBinaries(config), opts: { log?: EngineLog } = {}): EngineRegistry {
  const comfyui = comfyuiEngine(config, media, opts.log);
  const sketch = new SketchEngine({ ffmpeg: media.ffmpeg, x264Preset: config.sketch.x264Preset });
  // With GPU servers there are extra queue workers (workerSlotsFor); the CPU renderer keeps its own limit.
  return new EngineRegistry([comfyui ? limitConcurrency(sketch, config.jobs.concurrency) : sketch, ...(comfyui ? [comfyui] : [])]);
}
