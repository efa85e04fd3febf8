// A request's reference image on its way in: its bytes (uploaded, a data URL or a fetched URL, or a
// parent's stored copy), the facts its header gives, and the card limits the server's own caps
// tighten. The rules themselves are domain/reference-image.ts; this is the plumbing around them.
import type { Readable } from 'node:stream';
import { ApiError } from '../domain/errors.js';
import { sniffImage } from '../domain/image-sniff.js';
import { IMAGE_TYPES, type ModelCard } from '../domain/model-card.js';
import type { ReferenceFacts, Refusal } from '../domain/reference-image.js';
import type { InputReference } from '../domain/video-request.js';
import type { BlobStore } from '../storage/blob-store.js';
import type { Principal } from '../domain/account.js';
import type { FileService } from './file.service.js';

export interface Reference {
  data: Buffer;
  facts: ReferenceFacts;
}

export interface ImageLimits {
  maxPixels: number;
  maxBytes: number;
}

/** config.uploads' defaults, for services built without a config (tests). */
export const DEFAULT_IMAGE_LIMITS: ImageLimits = { maxPixels: 4096 * 4096, maxBytes: 20 * 1024 * 1024 };

export function refuse(r: Refusal | null): void {
  if (r) throw ApiError.badRequest(r.message, r.param, r.code);
}

/** A card's image limits tightened by the server's own caps, as clients should plan for them. */
export function withServerLimits(card: ModelCard, caps: ImageLimits): ModelCard {
  if (!card.inputs.includes('image')) return card;
  const l = card.imageInput ?? { types: [...IMAGE_TYPES] };
  return { ...card, imageInput: { ...l, maxBytes: Math.min(l.maxBytes ?? caps.maxBytes, caps.maxBytes), maxPixels: Math.min(l.maxPixels ?? caps.maxPixels, caps.maxPixels) } };
}

/** Reads an uploaded file's image (input_reference {file_id}); null where the server keeps no files. */
export type FileImageReader = ((fileId: string) => Promise<Buffer>) | null;

/** The caller's own image file, or a 400 naming `input_reference.file_id` (unknown, someone else's, not an image). */
export function fileImageReader(files: Pick<FileService, 'input' | 'bytes'> | undefined, who: Principal): FileImageReader {
  if (!files) return null;
  const param = 'input_reference.file_id';
  return async (fileId) => files.bytes(await files.input(who, fileId, param, 'image'), param);
}

/** Fetches (or takes) the reference image's bytes and reads its header; nothing is stored yet. */
export async function loadReference(ref: InputReference, fetchImage: (url: string) => Promise<{ data: Buffer }>, readFile: FileImageReader = null): Promise<Reference> {
  let data: Buffer;
  if (ref.kind === 'upload') data = ref.file.data;
  else if (ref.kind === 'file') {
    if (!readFile) throw ApiError.badRequest("'input_reference[file_id]' is not supported by this server: upload the image as a file or pass 'input_reference[image_url]'.", 'input_reference.file_id', 'unsupported_parameter');
    data = await readFile(ref.fileId);
  } else {
    try {
      data = (await fetchImage(ref.url)).data;
    } catch (err) {
      throw ApiError.badRequest(`'input_reference[image_url]' ${(err as Error).message}.`, 'input_reference.image_url', 'invalid_image_url');
    }
  }
  return referenceFacts(data);
}

export function referenceFacts(data: Buffer): Reference {
  const info = sniffImage(data);
  if (!info) throw ApiError.badRequest("'input_reference' is not a PNG, JPEG or WebP image.", 'input_reference', 'invalid_image');
  return { data, facts: { ...info, bytes: data.length } };
}

export async function storeReference(storage: BlobStore, videoId: string, ref: Reference): Promise<string> {
  const key = `inputs/${videoId}/reference.${ref.facts.format === 'jpeg' ? 'jpg' : ref.facts.format}`;
  await storage.put(key, ref.data);
  return key;
}

export async function readBlob(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(chunks);
}
