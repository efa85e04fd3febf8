// POST /v1/videos/edits (issue 15 §2): a new video, the source re-made with a described change, at
// its size, length and seed. Only models that can edit do it (`edit` on the card): sketch re-renders
// its own stored plan with the change; a video-to-video model (`inputs` has 'video', e.g. Runway
// Aleph 2) re-makes the source file itself, whoever made it; engines without either are refused
// with a 400 naming the models that can (derived-video.ts). An edit sketch cannot read anything
// from is refused too, rather than made as a copy of the source. An uploaded clip (source-clip.ts)
// has no plan, so only video-to-video models edit one.
import { randomInt } from 'node:crypto';
import { ApiError } from '../domain/errors.js';
import { newVideoId } from '../domain/ids.js';
import { canEdit, requestRefusal } from '../domain/model-card.js';
import type { Principal } from '../domain/account.js';
import type { EditVideoRequest } from '../domain/video-request.js';
import { MAX_SEED, type Video } from '../domain/video.js';
import { shapeOf } from '../engines/request-shape.js';
import { copyReference, derivationCard, derivationSource, modelsThat, writeDerived, type DerivedVideoHost } from './derived-video.js';
import { shapeForClip } from './source-clip.js';
import type { VideoServiceDeps } from './video.service.js';

const shotsOf = (plan: unknown) => JSON.stringify((plan as { shots?: unknown } | null)?.shots ?? null);

export async function editVideo(host: DerivedVideoHost, deps: VideoServiceDeps, who: Principal, req: EditVideoRequest, now: () => number): Promise<Video> {
  const from = await derivationSource(host, deps, who, req.source, 'edited');
  try {
    const { video: source, clip } = from;
    const { card, param } = derivationCard(deps, from, req.model, canEdit, 'edit a video', 'it has no video-to-video');
    const videoToVideo = card.inputs.includes('video');
    // A plan-editing engine re-renders its own plans; a video another engine made, or an uploaded clip, has none.
    const plan = videoToVideo || !source ? null : card.id === source.model ? (deps.models.editPlan?.(card.id, source.plan, { prompt: req.prompt }) ?? null) : null;
    if (!videoToVideo && !plan) {
      const made = source ? `${source.id} was made by ${source.model}` : `an uploaded video has none; models that re-make any video: ${modelsThat(deps.models.cards(), (c) => canEdit(c) && c.inputs.includes('video'))}`;
      throw ApiError.badRequest(`The model ${card.id} edits only videos it made itself (it re-renders their scene plan); ${made}.`, param, 'unsupported_parameter');
    }
    if (source && plan && shotsOf(plan) === shotsOf(source.plan)) {
      const ignored = ((plan as { ignored?: string[] }).ignored ?? []).slice(((source.plan as { ignored?: string[] } | null)?.ignored ?? []).length);
      throw ApiError.badRequest(`Nothing in the prompt changes the video for ${card.id}${ignored.length ? ` (words it does not know: ${ignored.join(', ')})` : ''}; describe the change, e.g. "make it night", "add rain", "three more birds".`, 'prompt', 'edit_not_understood');
    }
    // An uploaded clip is re-made at its size and rate when the card allows them, else at the card's closest.
    const { width, height, fps } = source ?? shapeForClip(card, clip!);
    const seconds = source ? source.seconds : clip!.seconds;
    const problem = deps.models.requestProblem?.(card.id, shapeOf({ seconds, width, height, fps, prompt: req.prompt, sourceVideo: true }));
    if (problem) throw ApiError.badRequest(problem.message, problem.param, 'unsupported_parameter');
    const refusal = requestRefusal(card, shapeOf({ seconds, width, height, fps, prompt: req.prompt, sourceVideo: true }));
    if (refusal) throw ApiError.badRequest(`The video being edited is ${source ? seconds : clip!.durationSeconds.toFixed(1)} s, ${width}x${height} at ${fps} fps, and the edit is made the same: ${refusal.message}`, refusal.param, refusal.code);
    await host.checkAllowed(who, card, { seconds, width, height });

    const id = newVideoId();
    return await writeDerived(host, deps, who, card, from, id, seconds, async (sourceFile) => {
      const inputReferenceKey = source ? await copyReference(deps, source, id) : null;
      const at = now();
      return {
        id, ownerId: who.userId, model: card.id, engine: card.engine, status: 'queued', progress: 0, prompt: req.prompt,
        // Someone else's published video lends its plan, never its private negative prompt (as remix).
        seconds, width, height, fps, seed: source ? source.seed : randomInt(0, MAX_SEED), negativePrompt: source?.ownerId === who.userId ? source.negativePrompt : null, favorite: false, inputReferenceKey,
        remixedFromVideoId: null, kind: 'edit', sourceVideoId: source?.id ?? null, ...(sourceFile ? { sourceFile } : {}), error: null, providerJobId: null, madeByModel: null, costUsdMicros: null,
        output: null, plan, createdAt: at, startedAt: null, completedAt: null, expiresAt: null, updatedAt: at,
      };
    });
  } finally {
    await from.clip?.dispose();
  }
}
