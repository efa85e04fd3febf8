// A stored file as /v1/files shows it: OpenAI's FileObject (Unix seconds, `status` always
// `processed`: a file is checked before it is kept, so none is ever pending). OpenAI's schema
// types `expires_at` as an integer and `status_details` as a string, neither nullable nor
// required: a file kept until deleted has no `expires_at`, and the deprecated field is left out.
import type { StoredFile } from '../domain/file.js';

export const wireFile = (f: StoredFile) => ({
  id: f.id, object: 'file' as const, bytes: f.bytes, created_at: Math.floor(f.createdAt / 1000),
  ...(f.expiresAt === null ? {} : { expires_at: Math.floor(f.expiresAt / 1000) }),
  filename: f.filename, purpose: f.purpose, status: 'processed' as const,
});
