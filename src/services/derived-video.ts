// What extensions and edits (issue 15 §1–2) share: both make a new video from a finished one (or
// from an uploaded clip, source-clip.ts, which is the caller's own and owes no credit). Who
// may use which source is the remix rule (their own videos, or a published one whose licence
// allows remixes, with the credit owed), since both are derived works; the model is the source's
// unless the caller names another, and must be able to do it, or the 400 names the models that can.
import { ApiError } from '../domain/errors.js';
import type { Principal } from '../domain/account.js';
import type { ModelCard } from '../domain/model-card.js';
import type { SourceFile, Video } from '../domain/video.js';
import { BlobNotFoundError } from '../storage/blob-store.js';
import type { VideoSourceRef } from '../domain/video-request.js';
import { DEFAULT_IMAGE_LIMITS, readBlob } from './reference-input.js';
import { loadSourceClip, type LoadedClip } from './source-clip.js';
import type { RemixSharing, VideoServiceDeps } from './video.service.js';

/** What extensions and edits need from VideoService: its checks and its one way of writing a new video. */
export interface DerivedVideoHost {
  get(who: Principal, id: string): Promise<Video>;
  checkAllowed(who: Principal, card: ModelCard, v: { seconds: number; width: number; height: number }): Promise<void>;
  /** Writes and queues the new video, made with the source's characters (if the caller may use them). */
  insertDerived(who: Principal, card: ModelCard, video: Video, sourceId: string | null, newSeconds: number): Promise<Video>;
}

export type Credit = Parameters<RemixSharing['recordCredit']>[1];

/** What an extension or edit is made from: a completed video here, or an uploaded clip (source-clip.ts). */
export interface DerivedSource {
  video: Video | null;
  clip: LoadedClip | null;
  /** What is owed to the author when the source is someone else's published work. */
  credit: Credit | null;
  /** The model used when the caller names none: the source video's, or the server's default for a clip. */
  model: string;
}

/**
 * The source to make something from. A clip is checked and held in a scratch file until the new
 * video is stored: the caller disposes of it (`clip.dispose()`) whatever happens.
 */
export async function derivationSource(host: DerivedVideoHost, deps: VideoServiceDeps, who: Principal, ref: VideoSourceRef, verb: string): Promise<DerivedSource> {
  if (ref.kind !== 'video') {
    const clip = await loadSourceClip({ storage: deps.storage, files: deps.files, inspectClip: deps.inspectClip, maxPixels: (deps.imageLimits ?? DEFAULT_IMAGE_LIMITS).maxPixels }, who, ref);
    return { video: null, clip, credit: null, model: deps.defaultModel };
  }
  const { video: source, credit } = deps.sharing ? await deps.sharing.remixSource(who, ref.id) : { video: await host.get(who, ref.id), credit: null };
  if (source.status !== 'completed' || !source.output) {
    throw new ApiError(400, `Video ${source.id} is ${source.status}; only a completed video can be ${verb}.`, { param: 'video', code: 'video_not_ready' });
  }
  return { video: source, clip: null, credit, model: source.model };
}

/** Models on this server that can do it, for the 400 refusing one that cannot. */
export function modelsThat(cards: ModelCard[], can: (c: ModelCard) => boolean): string {
  const ids = cards.filter((c) => can(c) && c.available).map((c) => c.id);
  return ids.length ? ids.join(', ') : 'none on this server';
}

/** The model to use (`model` or the source's), refused unless it exists, is available and `can`. */
export function derivationCard(deps: VideoServiceDeps, source: DerivedSource, model: string | undefined, can: (c: ModelCard) => boolean, what: string, why: string): { card: ModelCard; param: string } {
  const modelId = model ?? source.model;
  const param = model ? 'model' : 'video';
  const able = () => modelsThat(deps.models.cards(), can);
  const card = deps.models.card(modelId);
  if (!card) {
    throw new ApiError(400, `The model '${modelId}' ${model ? 'does not exist' : source.video ? 'that made this video is no longer available' : '(the server\'s default) is not available'}. Models that can ${what}: ${able()}.`, { param, code: 'model_not_found' });
  }
  if (!can(card)) {
    throw new ApiError(400, `The model ${card.id} cannot ${what} (${why}). Models that can: ${able()}; pass one as 'model'.`, { param, code: 'unsupported_parameter' });
  }
  const retired = deps.models.retirement?.(card.id);
  if (retired) throw new ApiError(400, `The model '${card.id}' has been retired: ${retired.message}`, { param, code: 'model_retired' });
  if (!card.available) throw new ApiError(400, `The model '${card.id}' is not available right now.`, { param, code: 'model_unavailable' });
  return { card, param };
}

/**
 * A copy of the source's reference image under the new video's id (a plan re-rendered from the
 * source's draws its first shot on it), so deleting the source never breaks the new video.
 */
export async function copyReference(deps: VideoServiceDeps, source: Video, newId: string): Promise<string | null> {
  if (!source.inputReferenceKey) return null;
  let data: Buffer;
  try {
    data = await readBlob(await deps.storage.get(source.inputReferenceKey));
  } catch (err) {
    if (err instanceof BlobNotFoundError) throw ApiError.notFound(`No video found with id '${source.id}'.`, 'video');
    throw err;
  }
  const key = source.inputReferenceKey.replace(source.id, newId);
  await deps.storage.put(key, data);
  return key;
}

/**
 * The last step of an extension or edit, once every check has passed: the provider's spend is
 * reserved, an uploaded clip copied under the new video's inputs, the row built by `make`, the credit
 * owed recorded (before the job can finish, so the new video is never public without it), and the
 * video written and queued. A failure undoes the reservation and the copy.
 */
export async function writeDerived(host: DerivedVideoHost, deps: VideoServiceDeps, who: Principal, card: ModelCard, from: DerivedSource,
  id: string, newSeconds: number, make: (sourceFile: SourceFile | null) => Promise<Video>): Promise<Video> {
  await deps.spendCaps?.admit(id, newSeconds, [card]);
  let sourceFile: SourceFile | null = null;
  try {
    if (from.clip) sourceFile = await from.clip.store(id);
    const video = await make(sourceFile);
    if (from.credit) await deps.sharing!.recordCredit(id, from.credit);
    return await host.insertDerived(who, card, video, from.video?.id ?? null, newSeconds);
  } catch (err) {
    await deps.spendCaps?.release(id).catch(() => {});
    if (sourceFile) await deps.storage.delete(sourceFile.key).catch(() => {});
    throw err;
  }
}
