// Checks a chosen image before it is uploaded, as the server will: a PNG, JPEG or WebP by its first
// bytes (not its name), that the browser can decode it, and not absurdly small or large. A bad file
// is refused here with a sentence naming it, instead of a broken preview and an error about
// 'input_reference' after the upload.

export type ImageFormat = 'png' | 'jpeg' | 'webp';

export const MAX_IMAGE_BYTES = 20 * 1024 * 1024;

/** The format from the file's first bytes (the same signatures the server sniffs), or null. */
export function sniffImageFormat(head: Uint8Array): ImageFormat | null {
  const at = (i: number, bytes: number[]) => bytes.every((b, k) => head[i + k] === b);
  if (at(0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (at(0, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (at(0, [0x52, 0x49, 0x46, 0x46]) && at(8, [0x57, 0x45, 0x42, 0x50])) return 'webp';
  return null;
}

export interface ImageFacts {
  name: string;
  bytes: number;
  format: ImageFormat | null;
  /** What decoding gave; null when the browser could not decode it. */
  decoded: { width: number; height: number } | null;
}

const NAMES: Record<ImageFormat, string> = { png: 'PNG', jpeg: 'JPEG', webp: 'WebP' };

/** What is wrong with the image, in a sentence for a person, or null when it can be sent. */
export function imageProblem(f: ImageFacts, maxBytes = MAX_IMAGE_BYTES): string | null {
  if (f.bytes === 0) return `${f.name} is empty. Choose a PNG, JPEG or WebP image.`;
  if (!f.format) return `${f.name} is not a PNG, JPEG or WebP image. Choose a picture saved in one of those formats.`;
  if (f.bytes > maxBytes) return `${f.name} is ${(f.bytes / 1024 / 1024).toFixed(1)} MB; images can be up to ${Math.floor(maxBytes / 1024 / 1024)} MB. Save a smaller copy.`;
  if (!f.decoded) return `${f.name} looks like a ${NAMES[f.format]} image but cannot be opened: it may be damaged. Save it again and retry.`;
  if (f.decoded.width < 16 || f.decoded.height < 16) return `${f.name} is only ${f.decoded.width}x${f.decoded.height} pixels; images must be at least 16 pixels on each side.`;
  return null;
}

/** Reads and decodes the file in the browser; resolves with the problem, or null when it is fine. */
export async function checkImageFile(file: File): Promise<string | null> {
  const format = sniffImageFormat(new Uint8Array(await file.slice(0, 16).arrayBuffer()));
  let decoded: ImageFacts['decoded'] = null;
  if (format && file.size <= MAX_IMAGE_BYTES) {
    try {
      const bitmap = await createImageBitmap(file);
      decoded = { width: bitmap.width, height: bitmap.height };
      bitmap.close();
    } catch {
      decoded = null;
    }
  }
  return imageProblem({ name: file.name || 'The file', bytes: file.size, format, decoded });
}
