// Video use cases shared by the HTTP API and the CLI: create (validate against the model card,
// store the reference image, insert the row, enqueue its id), read, list, remix, delete, open
// content, watch for updates.
import { videoContent, type ContentVariant, type VideoContent } from './video-content.js';
import { randomInt } from 'node:crypto';
import { ApiError, storageFull } from '../domain/errors.js';
import { newVideoId, isVideoId } from '../domain/ids.js';
import { canUseCharacters, requestRefusal, type ModelCard } from '../domain/model-card.js';
import type { Character } from '../domain/character.js';
import { cardImageRefusal, serverRefusal, sizeForImage, type Refusal } from '../domain/reference-image.js';
import { DEFAULT_IMAGE_LIMITS, fileImageReader, loadReference, readBlob, referenceFacts, refuse, storeReference, withServerLimits } from './reference-input.js';
import { MAX_SEED, inputKeysOf, isTerminal, kindOf, parentIdOf, parseSize, type Video } from '../domain/video.js';
import type { CreateVideoRequest, EditVideoRequest, ExtendVideoRequest, RemixVideoRequest } from '../domain/video-request.js';
import { extendVideo } from './video-extension.js';
import { editVideo } from './video-edit.js';
import type { ListResult, SearchOptions } from '../db/video.repo.js';
import type { Principal } from '../domain/account.js';
import { admitVideo, checkRequestAgainstPlan, costMicros } from './accounts/quota.js';
import { shapeOf } from '../engines/request-shape.js';
import { BlobNotFoundError } from '../storage/blob-store.js';
import type { VideoServiceDeps } from './video.deps.js';
import { asLastFrame, copyLastFrame, lastFrameUnsupported, loadLastFrame, storeLastFrame } from './last-frame.js';
import { supportsLastFrame } from '../domain/model-card.js';

export type { ModelCatalog, RemixSharing, VideoServiceDeps } from './video.deps.js';

export type { ContentVariant, VideoContent } from './video-content.js';

const AUDIT_ACTION = { generation: 'video.create', remix: 'video.remix', extension: 'video.extend', edit: 'video.edit' } as const;

export class VideoService {
  private readonly now: () => number;

  constructor(private readonly deps: VideoServiceDeps) {
    this.now = deps.now ?? Date.now;
  }

  models(): ModelCard[] {
    return this.deps.models.cards().map((c) => withServerLimits(c, this.imageLimits));
  }

  model(id: string): ModelCard {
    const card = this.deps.models.card(id);
    if (!card) throw ApiError.notFound(`The model '${id}' does not exist.`, 'model');
    return withServerLimits(card, this.imageLimits);
  }

  private get imageLimits() {
    return this.deps.imageLimits ?? DEFAULT_IMAGE_LIMITS;
  }

  async create(who: Principal, req: CreateVideoRequest, opts: { priority?: number } = {}): Promise<Video> {
    const modelId = req.model ?? this.deps.defaultModel;
    const card = this.deps.models.card(modelId);
    if (!card) {
      const known = this.deps.models.cards().map((c) => c.id).join(', ');
      throw new ApiError(400, `Unknown model '${modelId}'. Available models: ${known}.`, { param: 'model', code: 'model_not_found' });
    }
    const retired = this.deps.models.retirement?.(modelId);
    if (retired) {
      const alternatives = retired.alternatives.length ? ` Use one of: ${retired.alternatives.join(', ')}.` : '';
      throw new ApiError(400, `The model '${modelId}' has been retired: ${retired.message}${alternatives}`, { param: 'model', code: 'model_retired' });
    }
    if (!card.available) throw new ApiError(400, `The model '${modelId}' is not available right now.`, { param: 'model', code: 'model_unavailable' });
    const characterIds = req.characters ?? [];
    if (characterIds.length) this.checkCharacterModel(card, Boolean(req.inputReference));

    // The reference is read (and its header checked) first: its aspect chooses the default size.
    const reference = req.inputReference && card.inputs.includes('image') ? await loadReference(req.inputReference, this.deps.fetchImage, fileImageReader(this.deps.files, who)) : null;
    if (reference) refuse(serverRefusal(reference.facts, this.imageLimits.maxPixels));
    if (req.lastFrame && !supportsLastFrame(card)) throw lastFrameUnsupported(this.deps.models.cards(), card);
    const lastFrame = req.lastFrame ? await loadLastFrame(req.lastFrame, this.deps.fetchImage, this.deps.files, who) : null;
    if (lastFrame) refuse(asLastFrame(serverRefusal(lastFrame.facts, this.imageLimits.maxPixels)));
    const seconds = req.seconds ?? card.defaultSeconds;
    // With only a last frame (sketch), its aspect chooses instead.
    const framing = reference ?? lastFrame;
    const { width, height } = req.size ?? (framing ? sizeForImage(card, framing.facts) : parseSize(card.defaultSize)!);
    const fps = req.fps ?? card.defaultFps;
    const shape = shapeOf({ seconds, width, height, fps, prompt: req.prompt, negativePrompt: req.negativePrompt, inputReferenceKey: req.inputReference ? 'given' : null, lastFrameKey: lastFrame ? 'given' : null }, characterIds.length);
    refuse(requestRefusal(card, shape));
    if (req.seed !== undefined && !card.seed) {
      throw ApiError.badRequest(`The model ${card.id} does not take a seed; leave 'seed' out.`, 'seed', 'unsupported_parameter');
    }
    const problem = this.deps.models.requestProblem?.(card.id, shape);
    if (problem) throw ApiError.badRequest(problem.message, problem.param, 'unsupported_combination');
    if (reference) refuse(cardImageRefusal(card, reference.facts, { width, height }));
    if (lastFrame) refuse(asLastFrame(cardImageRefusal(card, lastFrame.facts, { width, height })));
    await this.checkAllowed(who, card, { seconds, width, height });
    // Each character: there, not revoked, consent confirmed, and shared with the caller.
    const cast = characterIds.length ? await this.deps.characters!.forCreate(who, characterIds) : [];

    const id = newVideoId();
    // Before anything is stored or sent: refused here (429) when every provider that could make it is at its daily cap.
    const routes = this.deps.models.routes?.(card.id, shape).map((r) => r.card) ?? [card];
    await this.deps.spendCaps?.admit(id, seconds, routes);
    let lastFrameKey: string | null = null;
    try {
      const inputReferenceKey = reference ? await storeReference(this.deps.storage, id, reference) : null;
      lastFrameKey = lastFrame ? await storeLastFrame(this.deps.storage, id, lastFrame) : null;
      const now = this.now();
      const video: Video = {
        id, ownerId: who.userId, model: card.id, engine: card.engine, status: 'queued', progress: 0, prompt: req.prompt,
        seconds, width, height, fps, seed: req.seed ?? randomInt(0, MAX_SEED), negativePrompt: req.negativePrompt ?? null, favorite: false,
        inputReferenceKey, remixedFromVideoId: null, error: null, providerJobId: null, output: null,
        ...(lastFrameKey ? { lastFrameKey } : {}),
        plan: this.deps.models.plan(card.id, { prompt: req.prompt, seconds }),
        createdAt: now, startedAt: null, completedAt: null, expiresAt: null, updatedAt: now,
      };
      return await this.insertWithCast(who, card, video, cast, opts.priority);
    } catch (err) {
      await this.deps.spendCaps?.release(id).catch(() => {});
      // insertAndEnqueue removes what it was given; a failure before it leaves nothing behind either.
      if (lastFrameKey) await this.deps.storage.delete(lastFrameKey).catch(() => {});
      throw err;
    }
  }

  /** Refuses characters on a model that cannot use them (naming those that can), or beside a reference image. */
  private checkCharacterModel(card: ModelCard, hasReference: boolean): void {
    if (!this.deps.characters) throw ApiError.badRequest("'characters' is not supported by this server.", 'characters', 'unsupported_parameter');
    if (!canUseCharacters(card)) {
      const can = this.deps.models.cards().filter((c) => c.available && canUseCharacters(c)).map((c) => c.id);
      throw ApiError.badRequest(`The model ${card.id} cannot make videos with characters. ${can.length ? `Models on this server that can: ${can.join(', ')}.` : 'No model on this server can right now.'}`, 'characters', 'unsupported_parameter');
    }
    if (hasReference) {
      throw ApiError.badRequest("'characters' and 'input_reference' cannot be used together: each character's look is given to the engine as its reference image. Leave one of them out.", 'characters', 'unsupported_combination');
    }
  }

  /** The video's characters are recorded before its job can run (the job reads them), and forgotten if it is never queued. */
  private async insertWithCast(who: Principal, card: ModelCard, video: Video, cast: Character[], priority?: number, newSeconds = video.seconds): Promise<Video> {
    if (cast.length === 0) return this.insertAndEnqueue(who, card, video, priority, newSeconds);
    await this.deps.characters!.recordUse(video.id, cast);
    try {
      return await this.insertAndEnqueue(who, card, video, priority, newSeconds);
    } catch (err) {
      await this.deps.characters!.forgetUse(video.id).catch(() => {});
      throw err;
    }
  }

  /** Operator pauses, room on disk and the caller's plan limits for one request (before anything is stored). Also used by extend. */
  async checkAllowed(who: Principal, card: ModelCard, v: { seconds: number; width: number; height: number }): Promise<void> {
    const pause = await this.deps.pauseFor(card.engine);
    if (pause) {
      throw new ApiError(503, `Generation with ${card.id} is paused by the operator: ${pause.message}`, { code: 'generation_paused', type: 'server_error', headers: { 'retry-after': '300' } });
    }
    // Refused up front rather than failing half-way through a job with nowhere to write the video.
    if (await this.deps.storageProblem?.()) throw storageFull();
    if (who.plan) checkRequestAgainstPlan(who.plan, card, v);
  }

  /** POST /v1/videos/extensions: a new video, the source's frames followed by new ones (services/video-extension.ts). */
  async extend(who: Principal, req: ExtendVideoRequest): Promise<Video> {
    return extendVideo(this, this.deps, who, req, this.now);
  }

  /** POST /v1/videos/edits: a new video, the source re-made with a described change (services/video-edit.ts). */
  async edit(who: Principal, req: EditVideoRequest): Promise<Video> {
    return editVideo(this, this.deps, who, req, this.now);
  }

  async remix(who: Principal, sourceId: string, req: RemixVideoRequest): Promise<Video> {
    const { video: source, credit } = this.deps.sharing ? await this.deps.sharing.remixSource(who, sourceId) : { video: await this.get(who, sourceId), credit: null };
    if (source.status !== 'completed') {
      throw new ApiError(400, `Video ${source.id} is ${source.status}; only a completed video can be remixed.`, { param: 'video_id', code: 'video_not_ready' });
    }
    const card = this.deps.models.card(source.model);
    if (!card) throw new ApiError(400, `The model '${source.model}' that made this video is no longer available, so it cannot be remixed.`, { param: 'video_id', code: 'model_not_found' });
    if (!card.remix) throw new ApiError(400, `The model ${card.id} does not support remixing.`, { param: 'video_id', code: 'unsupported_parameter' });
    await this.checkAllowed(who, card, source);
    // A remix is made with its source's characters, which the remixer must be allowed to use too.
    const sourceCast = this.deps.characters ? await this.deps.characters.usedBy(source.id) : [];
    const cast = sourceCast.length ? await this.deps.characters!.forCreate(who, sourceCast) : [];
    const id = newVideoId();
    let inputReferenceKey: string | null = null;
    if (source.inputReferenceKey) {
      // The parent's reference may predate today's caps or limits: it is held to them like a new upload.
      let data: Buffer;
      try {
        data = await readBlob(await this.deps.storage.get(source.inputReferenceKey));
      } catch (err) {
        if (err instanceof BlobNotFoundError) throw ApiError.notFound(`No video found with id '${sourceId}'.`, 'video_id');
        throw err;
      }
      const reference = referenceFacts(data);
      const inherited = (r: Refusal | null) => r && { ...r, message: `The video being remixed keeps its reference image, and ${r.message.replace(/^'input_reference' is/, 'it is')}` };
      refuse(inherited(serverRefusal(reference.facts, this.imageLimits.maxPixels)));
      refuse(inherited(cardImageRefusal(withServerLimits(card, this.imageLimits), reference.facts, source)));
      // The remix keeps its own copy, so deleting the source never breaks it.
      inputReferenceKey = source.inputReferenceKey.replace(source.id, id);
      await this.deps.storage.put(inputReferenceKey, data);
    }
    // A remix keeps the source's image, so it keeps the frame it ends on too.
    const lastFrameKey = await copyLastFrame(this.deps.storage, source, id);
    const now = this.now();
    const video: Video = {
      ...source, id, ownerId: who.userId, prompt: req.prompt, status: 'queued', progress: 0, inputReferenceKey, lastFrameKey, remixedFromVideoId: source.id, kind: 'remix', sourceVideoId: null, favorite: false, madeByModel: null, costUsdMicros: null, provenance: null,
      negativePrompt: source.ownerId === who.userId ? source.negativePrompt : null,
      plan: this.deps.models.plan(source.model, { prompt: req.prompt, seconds: source.seconds }),
      error: null, providerJobId: null, output: null, createdAt: now, startedAt: null, completedAt: null, expiresAt: null, updatedAt: now,
    };
    // The credit is written before the job can finish, so the remix is never public without it.
    if (credit) await this.deps.sharing!.recordCredit(id, credit);
    return this.insertWithCast(who, card, video, cast);
  }

  /**
   * Extensions and edits are made with their source's characters (the creator sees them among the
   * character's videos, and revoking it fails them), which the caller must be allowed to use too.
   */
  async insertDerived(who: Principal, card: ModelCard, video: Video, sourceId: string | null, newSeconds: number): Promise<Video> {
    const ids = this.deps.characters && sourceId ? await this.deps.characters.usedBy(sourceId) : [];
    const cast = ids.length ? await this.deps.characters!.forCreate(who, ids) : [];
    return this.insertWithCast(who, card, video, cast, undefined, newSeconds);
  }

  /** `newSeconds`: what the engine makes (an extension's new part; the whole video otherwise), which the plan pays for. Also used by extend. */
  async insertAndEnqueue(who: Principal, card: ModelCard, video: Video, priority?: number, newSeconds = video.seconds): Promise<Video> {
    const plan = who.plan;
    try {
      if (plan) await this.deps.transact((tx) => admitVideo(tx, who, plan, video, costMicros(card, newSeconds), this.now(), newSeconds));
      else await this.deps.videos.insert(video);
    } catch (err) {
      await this.removeInputs(video);
      throw err;
    }
    try {
      await this.deps.queue.enqueue(video.id, { priority: priority ?? plan?.priority, group: video.ownerId, lane: video.engine });
    } catch (err) {
      // Without a job the row would wait until the next restart's recovery; undo and say so.
      await this.deps.videos.delete(video.id).catch(() => {});
      await this.removeInputs(video);
      throw new ApiError(503, `The job queue is unavailable (${(err as Error).message}); nothing was created, try again.`, { code: 'queue_unavailable', type: 'server_error' });
    }
    await this.deps.audit.record({ actor: who.via === 'local' ? null : who, action: AUDIT_ACTION[kindOf(video)], target: { type: 'video', id: video.id }, details: { model: video.model, seconds: video.seconds, size: `${video.width}x${video.height}` } });
    return video;
  }

  /** What a video that was never queued had stored (reference, last frame, source clip). */
  private async removeInputs(video: Video): Promise<void> {
    await Promise.all(inputKeysOf(video).map((k) => this.deps.storage.delete(k).catch(() => {})));
  }

  /** A video the caller owns; anyone else's is a 404, exactly like one that does not exist. */
  async get(who: Principal, id: string): Promise<Video> {
    const video = isVideoId(id) ? await this.deps.videos.get(id) : null;
    if (!video || video.ownerId !== who.userId) throw ApiError.notFound(`No video found with id '${id}'.`, 'video_id');
    return video;
  }

  async list(who: Principal, opts: { after?: string; limit?: number; order?: 'asc' | 'desc' }): Promise<ListResult> {
    if (opts.after && !(await this.deps.videos.get(opts.after).then((v) => v?.ownerId === who.userId))) return { data: [], hasMore: false };
    return this.deps.videos.list({ ownerId: who.userId, after: opts.after, limit: opts.limit ?? 20, order: opts.order ?? 'desc' });
  }

  /** The studio's library: filters and text search over prompts, newest first. */
  async search(who: Principal, opts: Omit<SearchOptions, 'limit' | 'ownerId'> & { limit?: number }): Promise<ListResult> {
    if (opts.after && !(await this.deps.videos.get(opts.after).then((v) => v?.ownerId === who.userId))) return { data: [], hasMore: false };
    return this.deps.videos.search({ ...opts, ownerId: who.userId, limit: opts.limit ?? 48 });
  }

  /** Where a video came from and what was made from it. A deleted parent shows as its id only. */
  async lineage(video: Video): Promise<{ parent: Video | null; parentId: string | null; children: Video[] }> {
    // Since others may remix a published video, either side may be someone else's: those are shown
    // by id only here (their public side, with credit, is the feed's), never their private fields.
    const parentId = parentIdOf(video);
    const parent = parentId ? await this.deps.videos.get(parentId) : null;
    const children = (await this.deps.videos.listRemixesOf(video.id)).filter((v) => v.ownerId === video.ownerId);
    return { parent: parent?.ownerId === video.ownerId ? parent : null, parentId, children };
  }

  async setFavorite(who: Principal, id: string, favorite: boolean): Promise<Video> {
    const video = await this.get(who, id);
    const updated = await this.deps.videos.setFavorite(video.id, favorite);
    if (!updated) throw ApiError.notFound(`No video found with id '${id}'.`, 'video_id');
    return updated;
  }

  /**
   * Stops a queued or running video: its job is removed (a running one is aborted, and its partial
   * files removed by the job), and the row ends failed with code 'cancelled'. Cancelling a video
   * that already finished is a 400 that says so; its content stays.
   */
  async cancel(who: Principal, id: string): Promise<Video> {
    const video = await this.get(who, id);
    if (isTerminal(video.status)) {
      throw new ApiError(400, `Video ${video.id} is already ${video.status}; only a queued or running video can be cancelled.`, { param: 'video_id', code: 'video_not_cancellable' });
    }
    await this.deps.queue.cancel(video.id);
    const failed = await this.deps.videos.fail(video.id, { code: 'cancelled', message: 'Cancelled before it finished; nothing was kept.' });
    if (failed) {
      this.deps.events.publish(failed);
      return failed;
    }
    return this.get(who, video.id); // it finished (or was deleted) in the meantime
  }

  /** Cancels every queued or running video of one user (suspension); returns how many. */
  async cancelAllOf(userId: string, reason: string): Promise<number> {
    let n = 0;
    for (const id of await this.deps.videos.listActiveIds(userId)) {
      await this.deps.queue.cancel(id);
      const failed = await this.deps.videos.fail(id, { code: 'cancelled', message: reason });
      if (failed) { this.deps.events.publish(failed); n++; }
    }
    return n;
  }

  /**
   * A hint for the answer, never a reason to fail it: a create whose row is written must not be
   * answered 500 (the client would send it again) because the queue could not be counted.
   */
  async queuePosition(id: string): Promise<number | null> {
    try {
      return await this.deps.queue.position(id);
    } catch (err) {
      this.deps.log?.('could not read a queue position', { videoId: id, err: String(err) });
      return null;
    }
  }

  /**
   * Cancels any running work and makes the video a tombstone (gone for every read at once), then
   * removes its files and the row. A store that refuses to delete (read-only, unreachable) leaves
   * the tombstone, which sweepDeleted() finishes later: never a row without files, never files
   * without a row to find them by. The owner sees it deleted either way.
   */
  async delete(who: Principal, id: string): Promise<void> {
    const video = await this.get(who, id);
    await this.deps.queue.cancel(video.id);
    const gone = await this.deps.videos.markDeleted(video.id);
    if (!gone) throw ApiError.notFound(`No video found with id '${id}'.`, 'video_id'); // deleted meanwhile
    await this.deps.audit.record({ actor: who.via === 'local' ? null : who, action: 'video.delete', target: { type: 'video', id: video.id }, details: { status: video.status } });
    await this.deps.sharing?.forgetDeleted(video.id);
    // A run still writing when the row went removes its own files (generate-video.job.ts).
    await this.removeFiles(gone);
  }

  /** Finishes deletions whose files could not be removed at the time; returns how many are still left. */
  async sweepDeleted(batch = 100): Promise<{ removed: number; left: number }> {
    let removed = 0;
    let left = 0;
    for (const v of await this.deps.videos.listDeleted(batch)) {
      if (await this.removeFiles(v)) removed++;
      else left++;
    }
    return { removed, left };
  }

  private async removeFiles(video: Video): Promise<boolean> {
    const keys = [...inputKeysOf(video), video.output?.videoKey, video.output?.thumbnailKey, video.output?.spritesheetKey].filter((k): k is string => !!k);
    try {
      await Promise.all(keys.map((k) => this.deps.storage.delete(k)));
    } catch (err) {
      this.deps.log?.('could not remove a deleted video\'s files; the sweeper will try again', { videoId: video.id, err: String(err) });
      return false;
    }
    await this.deps.videos.purge(video.id);
    return true;
  }

  async content(who: Principal, id: string, variant: ContentVariant): Promise<VideoContent> {
    const video = await this.get(who, id);
    if (video.status === 'failed') {
      throw new ApiError(400, `Video ${video.id} failed (${video.error?.message ?? 'unknown error'}), so it has no content.`, { param: 'video_id', code: 'video_failed' });
    }
    if (video.status !== 'completed' || !video.output) {
      throw new ApiError(400, `Video ${video.id} is ${video.status} (${video.progress}%); download it once its status is 'completed'.`, { param: 'video_id', code: 'video_not_ready' });
    }
    return videoContent(video, variant, this.deps.storage, () => this.missing(video.id, variant));
  }

  /** A file gone from under a row: a 404 if the video was deleted meanwhile, else our fault (500). */
  private async missing(id: string, variant: string): Promise<ApiError> {
    if (!(await this.deps.videos.get(id))) return ApiError.notFound(`No video found with id '${id}'.`, 'video_id');
    return new ApiError(500, `The ${variant} file of video ${id} is missing from storage.`, { code: 'content_missing' });
  }

  /**
   * Calls `onUpdate` with the current row, then on every change until the video is terminal or
   * the caller stops. Bus events are the fast path; a slow re-read covers workers in other processes.
   */
  async watch(who: Principal, id: string, onUpdate: (video: Video) => void, opts: { pollMs?: number } = {}): Promise<() => void> {
    let last = await this.get(who, id);
    let stopped = false;
    const emit = (v: Video) => {
      if (stopped || v.updatedAt < last.updatedAt || (v.status === last.status && v.progress === last.progress && v !== last)) return;
      last = v;
      onUpdate(v);
      if (isTerminal(v.status)) stop();
    };
    const unsubscribe = this.deps.events.subscribe(last.id, emit);
    const timer = setInterval(async () => {
      const fresh = await this.deps.videos.get(last.id).catch(() => undefined);
      if (fresh === null) {
        // Deleted while watched: report it as failed so listeners stop waiting.
        emit({ ...last, status: 'failed', error: { code: 'deleted', message: 'The video was deleted.' }, updatedAt: Date.now() });
      } else if (fresh) emit(fresh);
    }, opts.pollMs ?? 1000);
    const stop = () => {
      stopped = true;
      unsubscribe();
      clearInterval(timer);
    };
    onUpdate(last);
    if (isTerminal(last.status)) stop();
    return stop;
  }

  /** Re-enqueues every unfinished video (idempotent), so no job is lost across crashes. */
  async recoverUnfinished(): Promise<number> {
    // Grouped by owner as at create, so a recovered backlog is still shared fairly.
    const unfinished = await this.deps.videos.listUnfinished();
    for (const v of unfinished) await this.deps.queue.enqueue(v.id, { group: v.ownerId, lane: v.engine });
    return unfinished.length;
  }
}

