// A stored file as /v1/files shows it: OpenAI's FileObject (Unix seconds, `status` always
// `processed`: a file is checked before it is kept, so none is ever pending).
import type { StoredFile } from '../domain/file.js';

export const wireFile = (f: StoredFile) => ({
  id: f.id, object: 'file' as const, bytes: f.bytes, created_at: Math.floor(f.createdAt / 1000),
  expires_at: f.expiresAt === null ? null : Math.floor(f.expiresAt / 1000),
  filename: f.filename, purpose: f.purpose, status: 'processed' as const, status_details: null,
});
