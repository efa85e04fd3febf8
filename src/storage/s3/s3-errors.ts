// Reading the SDK's errors: what status S3 answered, whether it means "no such thing", and a
// one-line description an operator can act on (the SDK's own messages are often just "UnknownError").
import { extname } from 'node:path';

interface SdkErrorShape {
  name?: string;
  message?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
  errors?: unknown[];
}

export function s3StatusOf(err: unknown): number | undefined {
  return (err as SdkErrorShape | null)?.$metadata?.httpStatusCode;
}

export function isNotFound(err: unknown): boolean {
  const e = err as SdkErrorShape | null;
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || s3StatusOf(err) === 404;
}

export function describeS3Error(err: unknown): string {
  const e = (err ?? {}) as SdkErrorShape;
  // Node's happy-eyeballs connect failures are AggregateErrors with an empty message.
  const message = e.message || e.code || (e.errors?.[0] as SdkErrorShape | undefined)?.message || 'no message';
  const parts = [e.name && e.name !== 'Error' && !message.startsWith(e.name) ? `${e.name}: ${message}` : message];
  const status = s3StatusOf(err);
  if (status) parts.push(`HTTP ${status}`);
  const attempts = e.$metadata?.attempts;
  if (attempts && attempts > 1) parts.push(`after ${attempts} attempts`);
  return parts.join(', ');
}

const CONTENT_TYPES: Record<string, string> = {
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.json': 'application/json',
  '.vtt': 'text/vtt',
};

/** Stored with the object so presigned downloads and S3 consoles show the right type. */
export function contentTypeFor(key: string): string {
  return CONTENT_TYPES[extname(key).toLowerCase()] ?? 'application/octet-stream';
}
