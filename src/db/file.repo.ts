// Uploaded files (migration 0015). A row is live until its owner deletes it or it expires; then it
// is a tombstone (deleted_at), hidden from every read, until its blob is removed and purge() drops it.
import type { Selectable } from 'kysely';
import type { FileKind, FilePurpose, StoredFile } from '../domain/file.js';
import type { Database } from './database.js';
import type { FilesTable } from './schema.js';

const toFile = (r: Selectable<FilesTable>): StoredFile => ({
  id: r.id, ownerId: r.owner_id, filename: r.filename, purpose: r.purpose as FilePurpose, kind: r.kind as FileKind,
  contentType: r.content_type, bytes: Number(r.bytes), sha256: r.sha256, width: r.width, height: r.height, blobKey: r.blob_key,
  createdAt: Number(r.created_at), expiresAt: r.expires_at === null ? null : Number(r.expires_at),
});

export interface FileListOptions {
  ownerId: string;
  after?: string;
  limit: number;
  order: 'asc' | 'desc';
  purpose?: string;
  now: number;
}

export class FileRepo {
  constructor(private readonly db: Database) {}

  async insert(f: StoredFile): Promise<void> {
    await this.db.insertInto('files').values({
      id: f.id, owner_id: f.ownerId, filename: f.filename, purpose: f.purpose, kind: f.kind, content_type: f.contentType, bytes: f.bytes,
      sha256: f.sha256, width: f.width, height: f.height, blob_key: f.blobKey, created_at: f.createdAt, expires_at: f.expiresAt, deleted_at: null,
    }).execute();
  }

  /** A live file (not deleted, not expired at `now`), or null. */
  async get(id: string, now: number): Promise<StoredFile | null> {
    const r = await this.db.selectFrom('files').selectAll().where('id', '=', id).where('deleted_at', 'is', null)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)])).executeTakeFirst();
    return r ? toFile(r) : null;
  }

  /** One owner's live files by creation time, after the cursor file (OpenAI's `after`). */
  async list(o: FileListOptions): Promise<{ data: StoredFile[]; hasMore: boolean }> {
    let q = this.db.selectFrom('files').selectAll().where('owner_id', '=', o.ownerId).where('deleted_at', 'is', null)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', o.now)]));
    if (o.purpose !== undefined) q = q.where('purpose', '=', o.purpose);
    if (o.after) {
      const cursor = await this.db.selectFrom('files').select(['created_at', 'id']).where('id', '=', o.after).where('owner_id', '=', o.ownerId).executeTakeFirst();
      if (!cursor) return { data: [], hasMore: false };
      const cmp = o.order === 'desc' ? '<' : '>';
      q = q.where((eb) => eb.or([
        eb('created_at', cmp, cursor.created_at),
        eb.and([eb('created_at', '=', cursor.created_at), eb('id', cmp, cursor.id)]),
      ]));
    }
    const rows = await q.orderBy('created_at', o.order).orderBy('id', o.order).limit(o.limit + 1).execute();
    return { data: rows.slice(0, o.limit).map(toFile), hasMore: rows.length > o.limit };
  }

  /** Bytes of an owner's live files: what they see and what their plan counts. */
  async bytesOf(ownerId: string, now: number): Promise<number> {
    const r = await this.db.selectFrom('files').select((eb) => eb.fn.coalesce(eb.fn.sum<number>('bytes'), eb.val(0)).as('bytes'))
      .where('owner_id', '=', ownerId).where('deleted_at', 'is', null)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)])).executeTakeFirst();
    return Number(r?.bytes ?? 0);
  }

  /** Makes a live file a tombstone; null if there was no such live file. */
  async markDeleted(id: string, now: number): Promise<StoredFile | null> {
    const r = await this.db.updateTable('files').set({ deleted_at: now }).where('id', '=', id).where('deleted_at', 'is', null).returningAll().executeTakeFirst();
    return r ? toFile(r) : null;
  }

  /** Expired files become tombstones, so the sweeper removes their blobs. */
  async markExpired(now: number): Promise<number> {
    const res = await this.db.updateTable('files').set({ deleted_at: now }).where('deleted_at', 'is', null).where('expires_at', '<=', now).executeTakeFirst();
    return Number(res.numUpdatedRows);
  }

  async listDeleted(limit: number): Promise<StoredFile[]> {
    return (await this.db.selectFrom('files').selectAll().where('deleted_at', 'is not', null).orderBy('deleted_at').limit(limit).execute()).map(toFile);
  }

  async purge(id: string): Promise<void> {
    await this.db.deleteFrom('files').where('id', '=', id).where('deleted_at', 'is not', null).execute();
  }
}
