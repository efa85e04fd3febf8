// Uploaded files (/v1/files, OpenAI's Files API): what a stored file is, the purposes this server
// keeps files for, and what the first bytes of an upload say it is. Méliès keeps only what a video
// can be made from: images (a first frame, input_reference {file_id}) and MP4 video (the source of
// an extension or an edit); anything else is refused at the door, whatever its name or declared type.
import { randomBytes } from 'node:crypto';
import { ApiError } from './errors.js';
import { sniffImage } from './image-sniff.js';

/** What a file is good for here; OpenAI's other purposes (batch, fine-tune, …) take no images or video. */
export const FILE_PURPOSES = ['vision', 'user_data'] as const;
export type FilePurpose = (typeof FILE_PURPOSES)[number];

export type FileKind = 'image' | 'video';

export interface StoredFile {
  id: string;
  ownerId: string;
  filename: string;
  purpose: FilePurpose;
  kind: FileKind;
  contentType: string;
  bytes: number;
  sha256: string;
  /** Images only (from the header); null for video. */
  width: number | null;
  height: number | null;
  blobKey: string;
  createdAt: number;
  /** When it stops being usable (expires_after); null = kept until deleted. */
  expiresAt: number | null;
}

const FILE_ID = /^file-[0-9a-f]{32}$/;

/** `file-` + 32 hex (128 bits from a CSPRNG): ids cannot be guessed, as OpenAI's `file-…` ids. */
export function newFileId(): string {
  return `file-${randomBytes(16).toString('hex')}`;
}

export function isFileId(value: string): boolean {
  return FILE_ID.test(value);
}

export interface SniffedFile {
  kind: FileKind;
  contentType: string;
  width: number | null;
  height: number | null;
}

// ISO base media brands an MP4 (H.264/H.265/AV1 in MPEG-4) is written with; QuickTime ('qt  ') and
// 3GP are other containers the media pipeline does not promise to join.
const MP4_BRANDS = new Set(['isom', 'iso2', 'iso3', 'iso4', 'iso5', 'iso6', 'iso8', 'iso9', 'mp41', 'mp42', 'avc1', 'M4V ', 'dash', 'msnv', 'mmp4', 'av01', 'hvc1', 'hev1']);

/**
 * What the first bytes are: a PNG, JPEG or WebP image (with its size) or an MP4 video, else null.
 * The name and the declared content type are never trusted: a `.png` holding text is not an image.
 */
export function sniffFile(head: Buffer): SniffedFile | null {
  const image = sniffImage(head);
  if (image) return { kind: 'image', contentType: image.contentType, width: image.width, height: image.height };
  // An MP4 starts with its `ftyp` box: size (4 bytes), 'ftyp', major brand, minor version, compatible brands.
  if (head.length >= 16 && head.toString('latin1', 4, 8) === 'ftyp') {
    const size = head.readUInt32BE(0);
    const end = Math.min(head.length, size >= 16 ? size : 16);
    const brands = [head.toString('latin1', 8, 12)];
    for (let i = 16; i + 4 <= end; i += 4) brands.push(head.toString('latin1', i, i + 4));
    if (brands.some((b) => MP4_BRANDS.has(b))) return { kind: 'video', contentType: 'video/mp4', width: null, height: null };
  }
  return null;
}

export function parsePurpose(value: unknown): FilePurpose {
  if (value === undefined || value === null || value === '') {
    throw new ApiError(400, "Missing required parameter: 'purpose'.", { param: 'purpose', code: 'missing_required_parameter' });
  }
  if (typeof value !== 'string' || !(FILE_PURPOSES as readonly string[]).includes(value)) {
    const shown = typeof value === 'string' ? `'${value.slice(0, 40)}'` : 'that value';
    throw ApiError.badRequest(`Invalid value for 'purpose': ${shown}. This server keeps files that videos are made from (images and MP4 video): use 'vision' or 'user_data'.`, 'purpose');
  }
  return value as FilePurpose;
}

/** OpenAI's `expires_after: {anchor: 'created_at', seconds: 3600..2592000}` (multipart: `expires_after[seconds]`). */
export function parseExpiresAfter(value: unknown): number | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw ApiError.badRequest("'expires_after' must be an object: {\"anchor\": \"created_at\", \"seconds\": 3600 to 2592000}.", 'expires_after', 'invalid_type');
  }
  const { anchor, seconds } = value as Record<string, unknown>;
  if (anchor !== 'created_at') throw ApiError.badRequest("'expires_after[anchor]' must be 'created_at'.", 'expires_after.anchor');
  const n = typeof seconds === 'number' ? seconds : typeof seconds === 'string' && /^\d+$/.test(seconds) ? Number(seconds) : NaN;
  if (!Number.isInteger(n) || n < 3600 || n > 2_592_000) {
    throw ApiError.badRequest("'expires_after[seconds]' must be a whole number from 3600 (1 hour) to 2592000 (30 days).", 'expires_after.seconds');
  }
  return n;
}

/** A file name as stored and shown: no path, no control characters, at most 255 characters. */
export function cleanFilename(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 255);
  return clean || 'upload';
}
