// The video row a text-only create would insert, after every check that needs a model card and
// the caller's plan's per-request limits (VideoService.create makes the same checks, interleaved
// with reading a reference image). Synchronous and side-effect free, so a batch drafts all its
// rows first and reports every bad one by its line before anything is stored.
import { randomInt } from 'node:crypto';
import { ApiError } from '../domain/errors.js';
import type { Principal } from '../domain/account.js';
import { requestRefusal, type ModelCard } from '../domain/model-card.js';
import { MAX_SEED, parseSize, type Video } from '../domain/video.js';
import type { CreateVideoRequest } from '../domain/video-request.js';
import { shapeOf } from '../engines/request-shape.js';
import { checkRequestAgainstPlan } from './accounts/quota.js';
import { refuse } from './reference-input.js';
import type { ModelCatalog } from './video.service.js';

export interface VideoDraft {
  video: Video;
  card: ModelCard;
  /** The model, then the operator's fallbacks that can honour it (what a spend cap is checked against). */
  routes: ModelCard[];
}

export function draftVideo(models: ModelCatalog, defaultModel: string, who: Principal, req: CreateVideoRequest, now: number, id: string): VideoDraft {
  const modelId = req.model ?? defaultModel;
  const card = models.card(modelId);
  if (!card) {
    throw new ApiError(400, `Unknown model '${modelId}'. Available models: ${models.cards().map((c) => c.id).join(', ')}.`, { param: 'model', code: 'model_not_found' });
  }
  const retired = models.retirement?.(modelId);
  if (retired) {
    const alternatives = retired.alternatives.length ? ` Use one of: ${retired.alternatives.join(', ')}.` : '';
    throw new ApiError(400, `The model '${modelId}' has been retired: ${retired.message}${alternatives}`, { param: 'model', code: 'model_retired' });
  }
  if (!card.available) throw new ApiError(400, `The model '${modelId}' is not available right now.`, { param: 'model', code: 'model_unavailable' });
  if (req.inputReference) throw ApiError.badRequest('A batch row cannot carry a reference image.', 'input_reference', 'unsupported_parameter');
  if (req.characters?.length) throw ApiError.badRequest('A batch row cannot name characters yet: make those videos one at a time with POST /v1/videos.', 'characters', 'unsupported_parameter');
  const seconds = req.seconds ?? card.defaultSeconds;
  const { width, height } = req.size ?? parseSize(card.defaultSize)!;
  const fps = req.fps ?? card.defaultFps;
  const shape = shapeOf({ seconds, width, height, fps, prompt: req.prompt, negativePrompt: req.negativePrompt, inputReferenceKey: null });
  refuse(requestRefusal(card, shape));
  if (req.seed !== undefined && !card.seed) {
    throw ApiError.badRequest(`The model ${card.id} does not take a seed; leave 'seed' out.`, 'seed', 'unsupported_parameter');
  }
  const problem = models.requestProblem?.(card.id, shape);
  if (problem) throw ApiError.badRequest(problem.message, problem.param, 'unsupported_combination');
  if (who.plan) checkRequestAgainstPlan(who.plan, card, { seconds, width, height });
  const video: Video = {
    id, ownerId: who.userId, model: card.id, engine: card.engine, status: 'queued', progress: 0, prompt: req.prompt,
    seconds, width, height, fps, seed: req.seed ?? randomInt(0, MAX_SEED), negativePrompt: req.negativePrompt ?? null, favorite: false,
    inputReferenceKey: null, remixedFromVideoId: null, error: null, providerJobId: null, output: null,
    plan: models.plan(card.id, { prompt: req.prompt, seconds }),
    createdAt: now, startedAt: null, completedAt: null, expiresAt: null, updatedAt: now,
  };
  return { video, card, routes: models.routes?.(card.id, shape).map((r) => r.card) ?? [card] };
}
