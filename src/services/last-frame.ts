// `last_frame` (issue 15 §5, a Méliès extension): the image a video ends on, for models whose card
// says `lastFrame`. It takes the reference's shapes and checks (services/reference-input.ts); this
// file names the field in their refusals, stores it beside the reference, and copies it on remix.
import { ApiError } from '../domain/errors.js';
import { supportsLastFrame, type ModelCard } from '../domain/model-card.js';
import type { Refusal } from '../domain/reference-image.js';
import type { InputReference } from '../domain/video-request.js';
import type { Principal } from '../domain/account.js';
import type { Video } from '../domain/video.js';
import { BlobNotFoundError, type BlobStore } from '../storage/blob-store.js';
import type { FileService } from './file.service.js';
import { loadReference, readBlob, type Reference } from './reference-input.js';

const PARAM = 'last_frame';

/** The 400 for a model whose card takes no last frame, naming the models on this server that do. */
export function lastFrameUnsupported(cards: ModelCard[], card: ModelCard): ApiError {
  const able = cards.filter((c) => supportsLastFrame(c) && c.available).map((c) => c.id);
  const models = able.length ? `Models here that take a last frame: ${able.join(', ')}.` : 'No model on this server takes a last frame.';
  return ApiError.badRequest(`The model ${card.id} does not take a last frame; leave 'last_frame' out or pick another model. ${models}`, PARAM, 'unsupported_parameter');
}

/** A reference refusal (or error) restated for `last_frame`, so `param` and the message name the field that was sent. */
export function asLastFrame(r: Refusal): Refusal;
export function asLastFrame(r: Refusal | null): Refusal | null;
export function asLastFrame(r: Refusal | null): Refusal | null {
  if (!r) return null;
  return { ...r, param: r.param.replace(/^input_reference/, PARAM), message: r.message.replaceAll('input_reference', PARAM).replace(/reference images?/g, (m) => m.replace('reference', 'last-frame')) };
}

function relabel(err: unknown): unknown {
  if (!(err instanceof ApiError) || !err.param?.startsWith('input_reference')) return err;
  const r = asLastFrame({ param: err.param, message: err.message, code: err.code ?? 'invalid_value' });
  return new ApiError(err.status, r.message, { param: r.param, code: r.code, type: err.type, headers: err.headers });
}

/** Reads the last frame's bytes (upload, URL or the caller's file) and its header, like the reference. */
export async function loadLastFrame(ref: InputReference, fetchImage: (url: string) => Promise<{ data: Buffer }>, files: Pick<FileService, 'input' | 'bytes'> | undefined, who: Principal): Promise<Reference> {
  const readFile = files ? async (fileId: string) => files.bytes(await files.input(who, fileId, `${PARAM}.file_id`, 'image'), `${PARAM}.file_id`) : null;
  try {
    return await loadReference(ref, fetchImage, readFile);
  } catch (err) {
    throw relabel(err);
  }
}

export async function storeLastFrame(storage: BlobStore, videoId: string, ref: Reference): Promise<string> {
  const key = `inputs/${videoId}/last-frame.${ref.facts.format === 'jpeg' ? 'jpg' : ref.facts.format}`;
  await storage.put(key, ref.data);
  return key;
}

/** The source's last frame under the new video's id (a remix keeps it, as it keeps the reference). */
export async function copyLastFrame(storage: BlobStore, source: Video, newId: string): Promise<string | null> {
  if (!source.lastFrameKey) return null;
  let data: Buffer;
  try {
    data = await readBlob(await storage.get(source.lastFrameKey));
  } catch (err) {
    if (err instanceof BlobNotFoundError) throw ApiError.notFound(`No video found with id '${source.id}'.`, 'video_id');
    throw err;
  }
  const key = source.lastFrameKey.replace(source.id, newId);
  await storage.put(key, data);
  return key;
}
