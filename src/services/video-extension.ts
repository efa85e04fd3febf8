// POST /v1/videos/extensions (issue 15 §1): a new video made of a completed one's frames followed
// by new seconds, on the source's model unless the caller names another (derived-video.ts: who may
// extend what, which model). Limits are OpenAI's (6 extensions in a chain, 120 s in all) unless
// the model's card states lower ones. The source may also be an uploaded MP4 (source-clip.ts): its
// new part starts from its last frame, at its size and frame rate when the card allows them, else
// at the card's closest (the clip is fitted into that frame at the join). A model that extends
// natively (Luma) continues its own provider's job instead, so it takes only videos it made.
import { randomInt } from 'node:crypto';
import { ApiError } from '../domain/errors.js';
import { newVideoId } from '../domain/ids.js';
import { canExtend, extendLimitsOf, extendsNatively, requestRefusal } from '../domain/model-card.js';
import type { Principal } from '../domain/account.js';
import type { ExtendVideoRequest } from '../domain/video-request.js';
import { MAX_SEED, type Video } from '../domain/video.js';
import type { VideoRepo } from '../db/video.repo.js';
import { shapeOf } from '../engines/request-shape.js';
import { copyReference, derivationCard, derivationSource, modelsThat, writeDerived, type DerivedVideoHost } from './derived-video.js';
import { shapeForClip } from './source-clip.js';
import type { VideoServiceDeps } from './video.service.js';

/** How many extensions lead to `video` (0 for an original). A deleted link ends the count; the 120 s cap still holds. */
export async function extensionDepth(videos: VideoRepo, video: Video): Promise<number> {
  let depth = 0;
  let v: Video | null = video;
  while (v && v.kind === 'extension' && v.sourceVideoId && depth < 100) {
    depth++;
    v = await videos.get(v.sourceVideoId);
  }
  return depth;
}

export async function extendVideo(host: DerivedVideoHost, deps: VideoServiceDeps, who: Principal, req: ExtendVideoRequest, now: () => number): Promise<Video> {
  const from = await derivationSource(host, deps, who, req.source, 'extended');
  try {
    const { video: source, clip } = from;
    const { card, param } = derivationCard(deps, from, req.model, canExtend, 'extend a video', 'it takes no first frame');
    // A native extension continues the source's job at the same provider, so only that provider's videos qualify.
    const native = extendsNatively(card);
    if (native && !(source && source.engine === card.engine && source.providerJobId)) {
      const what = source ? `${source.id} was made by ${source.engine === 'sketch' ? 'sketch' : source.model}` : 'an uploaded video has no provider job';
      const any = modelsThat(deps.models.cards(), (c) => canExtend(c) && !extendsNatively(c));
      throw ApiError.badRequest(`The model ${card.id} extends only videos its provider made (through the provider's own extend call); ${what}. Models that extend any video: ${any}.`, param, 'unsupported_parameter');
    }

    // The new seconds are made at the source's size and frame rate, so the card must allow both
    // (an uploaded clip's new part is made at the card's closest instead).
    const { width, height, fps } = source ?? shapeForClip(card, clip!);
    const sourceSeconds = source ? source.seconds : clip!.seconds;
    const what = source ? 'The video being extended' : `The uploaded video (${clip!.width}x${clip!.height} at ${+clip!.fps.toFixed(2)} fps) is made`;
    const refusal = requestRefusal(card, shapeOf({ seconds: req.seconds, width, height, fps, prompt: req.prompt }));
    if (refusal) {
      const about = refusal.param === 'seconds' ? '' : source ? `${what} is ${width}x${height} at ${fps} fps, and the new part is made the same. ` : `${what} ${width}x${height} at ${fps} fps for ${card.id}. `;
      throw ApiError.badRequest(`${about}${refusal.message}`, refusal.param, refusal.code);
    }
    const limits = extendLimitsOf(card);
    const total = sourceSeconds + req.seconds;
    const named = source ? `${source.id} (${source.seconds} s)` : `the uploaded video (${clip!.durationSeconds.toFixed(1)} s)`;
    if (total > limits.maxTotalSeconds) {
      throw ApiError.badRequest(`Extending ${named} by ${req.seconds} s would make ${total} s; with ${card.id} a video may be extended to at most ${limits.maxTotalSeconds} s in all.`, 'seconds', 'extension_too_long');
    }
    const depth = source ? await extensionDepth(deps.videos, source) : 0;
    if (depth >= limits.maxExtensions) {
      throw ApiError.badRequest(`${source!.id} already ends a chain of ${depth} extension${depth === 1 ? '' : 's'}; with ${card.id} a video may be extended at most ${limits.maxExtensions} times.`, 'video', 'extension_limit_reached');
    }
    const problem = deps.models.requestProblem?.(card.id, shapeOf({ seconds: req.seconds, width, height, fps, prompt: req.prompt, inputReferenceKey: native ? null : 'last-frame' }));
    if (problem) throw ApiError.badRequest(problem.message, problem.param, 'unsupported_combination');
    // The plan pays for what is made: the new seconds (the source's were paid for when it was made).
    await host.checkAllowed(who, card, { seconds: req.seconds, width, height });

    const id = newVideoId();
    return await writeDerived(host, deps, who, card, from, id, req.seconds, async (sourceFile) => {
      // Sketch carries its own plan on (same world and seed); other engines, and any uploaded clip, start from the last frame.
      const plan = source && card.id === source.model ? (deps.models.continuePlan?.(card.id, source.plan, { prompt: req.prompt, seconds: req.seconds, sourceSeconds: source.seconds }) ?? null) : null;
      // A continued plan may crossfade from the source's first shot, drawn on its reference image.
      const inputReferenceKey = plan && source ? await copyReference(deps, source, id) : null;
      const at = now();
      return {
        id, ownerId: who.userId, model: card.id, engine: card.engine, status: 'queued', progress: 0, prompt: req.prompt,
        seconds: total, width, height, fps, seed: source ? source.seed : randomInt(0, MAX_SEED), negativePrompt: null, favorite: false, inputReferenceKey,
        remixedFromVideoId: null, kind: 'extension', sourceVideoId: source?.id ?? null, ...(sourceFile ? { sourceFile } : {}), error: null, providerJobId: null, madeByModel: null, costUsdMicros: null,
        output: null, plan, createdAt: at, startedAt: null, completedAt: null, expiresAt: null, updatedAt: at,
      };
    });
  } finally {
    await from.clip?.dispose();
  }
}
