// Which engines this process offers. The built-in sketch engine always; ComfyUI and cloud
// adapters join here as they are configured.
import type { Config } from '../config/config.js';
import { EngineRegistry } from '../engines/registry.js';
import { SketchEngine } from '../engines/sketch/sketch.engine.js';
import { resolveMediaBinaries, type MediaBinaries } from '../media/binaries.js';

export function mediaBinaries(config: Config): MediaBinaries {
  return resolveMediaBinaries({ ffmpegPath: config.ffmpegPath, ffprobePath: config.ffprobePath, pathEnv: config.searchPath });
}

export function createEngines(config: Config, media: MediaBinaries = mediaBinaries(config)): EngineRegistry {
  return new EngineRegistry([new SketchEngine({ ffmpeg: media.ffmpeg, x264Preset: config.sketch.x264Preset })]);
}
