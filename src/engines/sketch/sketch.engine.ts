// The built-in `sketch` engine: reads the prompt into a scene plan (plan/), renders its frames in a
// worker thread (render/) and encodes them with ffmpeg while the next frames are drawn. It needs
// nothing outside this folder, media/ and domain/.
import { join } from 'node:path';
import { EngineError } from '../../domain/errors.js';
import type { VideoParams } from '../../domain/video.js';
import { RawVideoEncoder } from '../../media/encoder.js';
import type { Engine, EngineContext, EngineJob, SubmitResult } from '../engine.js';
import { parsePrompt } from './plan/parse-prompt.js';
import type { ScenePlan } from './plan/scene-plan.js';
import { continuePlan, isScenePlan } from './plan/continue-plan.js';
import { editPlan } from './plan/edit-plan.js';
import { BackdropError, renderFrames } from './render/frame-stream.js';
import { SKETCH_CARD } from './sketch.card.js';
import { crossfadeTo, lastFrameI420 } from './render/backdrop-pair.js';

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

  /** What the engine understands from a request: shown to users and stored with the video. */
  plan(params: Pick<VideoParams, 'prompt' | 'seconds'>): ScenePlan {
    return parsePrompt(params.prompt, params.seconds);
  }

  continuePlan(sourcePlan: unknown, params: { prompt: string; seconds: number; sourceSeconds: number }): ScenePlan | null {
    return continuePlan(sourcePlan, params.prompt, params.seconds, params.sourceSeconds);
  }

  editPlan(sourcePlan: unknown, params: { prompt: string }): ScenePlan | null {
    return editPlan(sourcePlan, params.prompt);
  }

  async submit(job: EngineJob, ctx: EngineContext): Promise<SubmitResult> {
    const output = join(ctx.workDir, 'sketch.mp4');
    // Extensions and edits render the plan stored with the video (an extension from where its source ended).
    const stored = job.storedPlan && isScenePlan(job.storedPlan.plan) ? job.storedPlan : null;
    const plan = stored ? stored.plan as ScenePlan : this.plan(job);
    const firstFrame = stored ? Math.round(stored.fromSeconds * job.fps) : 0;
    // A last frame: the video moves from the first image's scene to this image (render/backdrop-pair.ts).
    const last = job.lastFrameImagePath ? await lastFrameI420(job.lastFrameImagePath, job.width, job.height, { ffmpeg: this.opts.ffmpeg }).catch((err: Error) => {
      throw new EngineError('invalid_input_reference', `The last frame could not be decoded: ${err.message}`, { cause: err });
    }) : null;
    const encoder = new RawVideoEncoder(this.opts.ffmpeg, {
      width: job.width, height: job.height, fps: job.fps, output, preset: this.opts.x264Preset, signal: ctx.signal, input: 'yuv420p',
    });
    const frames = job.seconds * job.fps;
    try {
      let written = 0;
      const drawn = renderFrames({ plan, width: job.width, height: job.height, fps: job.fps, seed: job.seed, backdropPath: job.inputImagePath ?? job.characterImages?.[0] ?? null, ffmpeg: this.opts.ffmpeg, firstFrame }, { signal: ctx.signal });
      const stream = last ? crossfadeTo(drawn, last, frames) : drawn;
      for await (const frame of stream) {
        await encoder.writeFrame(frame);
        ctx.reportProgress(++written / frames);
      }
      if (written !== frames) throw new Error(`rendered ${written} frames, expected ${frames}`);
      await encoder.finish();
    } catch (err) {
      encoder.abort();
      // The abort's own reason (cancel, shutdown, lease lost) tells the caller why it stopped.
      if (ctx.signal.aborted) throw ctx.signal.reason;
      if (err instanceof BackdropError) {
        const what = job.inputImagePath ? 'The reference image' : "The character's look";
        throw new EngineError('invalid_input_reference', `${what} could not be decoded: ${err.message}`, { cause: err });
      }
      throw err;
    }
    return { kind: 'completed', file: output };
  }
}
