// Which engines this process offers. The built-in sketch engine always; ComfyUI and cloud
// adapters join here as they are configured.
import type { Config } from '../config/config.js';
import { EngineRegistry } from '../engines/registry.js';
import { SketchEngine } from '../engines/sketch/sketch.engine.js';
import { resolveMediaBinaries, type MediaBinaries } from '../media/binaries.js';
import { limitConcurrency } from '../engines/concurrency-limit.js';
import { comfyuiEngine, type EngineLog } from './comfyui.js';
import { cloudEngines } from './cloud.js';
import type { Coordination } from '../coordination/coordination.js';

export function mediaBinaries(config: Config): MediaBinaries {
  return resolveMediaBinaries({ ffmpegPath: config.ffmpegPath, ffprobePath: config.ffprobePath, pathEnv: config.searchPath });
}

export function createEngines(config: Config, media: MediaBinaries = mediaBinaries(config), opts: { log?: EngineLog; spentTodayMicros?: (engine: string) => Promise<number>; coordination?: Coordination } = {}): EngineRegistry {
  const comfyui = comfyuiEngine(config, media, opts.log, opts.coordination);
  const sketch = new SketchEngine({ ffmpeg: media.ffmpeg, x264Preset: config.sketch.x264Preset });
  const local = [sketch, ...(comfyui ? [comfyui] : [])];
  const cloud = cloudEngines(config, { media, log: opts.log, spentTodayMicros: opts.spentTodayMicros, reservedIds: () => new Set(local.flatMap((e) => e.models().map((c) => c.id))), coordination: opts.coordination });
  // With GPU servers or cloud engines there are extra queue workers (workerSlotsFor, cloudWorkerSlots); the CPU renderer keeps its own limit.
  const extraWorkers = Boolean(comfyui) || cloud.length > 0;
  return new EngineRegistry([extraWorkers ? limitConcurrency(sketch, config.jobs.concurrency) : sketch, ...(comfyui ? [comfyui] : []), ...cloud], { fallbacks: config.cloud.fallbacks });
}
