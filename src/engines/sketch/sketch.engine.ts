// The built-in `sketch` engine: renders frames on the CPU and encodes them with ffmpeg. It needs
// nothing outside this folder, media/ and domain/.
import { join } from 'node:path';
import { CancelledError, EngineError } from '../../domain/errors.js';
import { RawVideoEncoder } from '../../media/encoder.js';
import type { Engine, EngineContext, EngineJob, SubmitResult } from '../engine.js';
import { SKETCH_CARD } from './sketch.card.js';
import { buildScene, SketchRenderer } from './sketch.renderer.js';

export interface SketchEngineOptions {
  ffmpeg: string;
  x264Preset?: string;
}

export class SketchEngine implements Engine {
  readonly id = 'sketch';

  constructor(private readonly opts: SketchEngineOptions) {}

  models() {
    return [SKETCH_CARD];
  }

  async submit(job: EngineJob, ctx: EngineContext): Promise<SubmitResult> {
    const output = join(ctx.workDir, 'sketch.mp4');
    const frames = job.seconds * job.fps;
    let renderer: SketchRenderer;
    try {
      renderer = await SketchRenderer.create(buildScene(job.prompt, job.seed), job.width, job.height, job.inputImagePath);
    } catch (err) {
      throw new EngineError('invalid_input_reference', `The reference image could not be decoded: ${(err as Error).message}`, { cause: err });
    }
    const encoder = new RawVideoEncoder(this.opts.ffmpeg, {
      width: job.width, height: job.height, fps: job.fps, output, preset: this.opts.x264Preset, signal: ctx.signal,
    });
    try {
      for (let i = 0; i < frames; i++) {
        if (ctx.signal.aborted) throw new CancelledError();
        await encoder.writeFrame(renderer.render(frames === 1 ? 0 : i / (frames - 1)));
        ctx.reportProgress((i + 1) / frames);
        // Let the API answer between frames: rendering shares the event loop with it.
        await new Promise((r) => setImmediate(r));
      }
      await encoder.finish();
    } catch (err) {
      encoder.abort();
      if (ctx.signal.aborted) throw new CancelledError();
      throw err;
    }
    return { kind: 'completed', file: output };
  }
}
