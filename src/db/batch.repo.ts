// Batches and their membership (migration 0017). The batch's state is read from its videos' rows
// (domain/batch.ts); this repository only joins them.
import type { Selectable } from 'kysely';
import type { Batch, BatchItem } from '../domain/batch.js';
import type { VideoStatus } from '../domain/video.js';
import type { Database } from './database.js';
import type { BatchesTable } from './schema.js';
import { toVideo } from './video.repo.js';

const toBatch = (r: Selectable<BatchesTable>): Batch => ({
  id: r.id, ownerId: r.owner_id, name: r.name, format: r.format, requested: Number(r.requested), skipped: Number(r.skipped),
  createdAt: Number(r.created_at), cancelledAt: r.cancelled_at === null ? null : Number(r.cancelled_at), updatedAt: Number(r.updated_at),
});

export interface NewBatchItem {
  videoId: string;
  position: number;
  line: number;
  variation: number;
}

/** What the batch's progress needs of each video, without reading whole rows. */
export interface ItemState {
  videoId: string;
  status: VideoStatus | null;
  progress: number;
  updatedAt: number;
}

export class BatchRepo {
  constructor(private readonly db: Database) {}

  async insert(batch: Batch, items: NewBatchItem[]): Promise<void> {
    await this.db.insertInto('batches').values({
      id: batch.id, owner_id: batch.ownerId, name: batch.name, format: batch.format, requested: batch.requested, skipped: batch.skipped,
      created_at: batch.createdAt, cancelled_at: batch.cancelledAt, updated_at: batch.updatedAt,
    }).execute();
    // In slices: SQLite takes at most 32766 bound parameters per statement (5 a row).
    for (let i = 0; i < items.length; i += 200) {
      await this.db.insertInto('batch_videos').values(items.slice(i, i + 200).map((it) => ({
        video_id: it.videoId, batch_id: batch.id, position: it.position, line: it.line, variation: it.variation,
      }))).execute();
    }
  }

  async get(id: string): Promise<Batch | null> {
    const row = await this.db.selectFrom('batches').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toBatch(row) : null;
  }

  /** Newest first, paged by (created_at, id) like the video list. */
  async list(ownerId: string, opts: { limit: number; before?: Batch }): Promise<{ data: Batch[]; hasMore: boolean }> {
    let q = this.db.selectFrom('batches').selectAll().where('owner_id', '=', ownerId);
    const before = opts.before;
    if (before) q = q.where((eb) => eb.or([eb('created_at', '<', before.createdAt), eb.and([eb('created_at', '=', before.createdAt), eb('id', '<', before.id)])]));
    const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(opts.limit + 1).execute();
    return { data: rows.slice(0, opts.limit).map(toBatch), hasMore: rows.length > opts.limit };
  }

  /** Every video of the batch in order, with its row (null once deleted). */
  async items(batchId: string): Promise<BatchItem[]> {
    const rows = await this.db.selectFrom('batch_videos as b')
      .leftJoin('videos as v', (j) => j.onRef('v.id', '=', 'b.video_id').on('v.deleted_at', 'is', null))
      .selectAll('v')
      .select(['b.video_id as batch_video_id', 'b.position as batch_position', 'b.line as batch_line', 'b.variation as batch_variation'])
      .where('b.batch_id', '=', batchId)
      .orderBy('b.position')
      .execute();
    return rows.map((r) => ({
      position: Number(r.batch_position), line: Number(r.batch_line), variation: Number(r.batch_variation), videoId: r.batch_video_id,
      // The left join leaves every video column null for a deleted video.
      video: r.id === null ? null : toVideo(r as unknown as Parameters<typeof toVideo>[0]),
    }));
  }

  /** Status and progress of each video: what a progress stream re-reads every second. */
  async states(batchId: string): Promise<ItemState[]> {
    const rows = await this.db.selectFrom('batch_videos as b')
      .leftJoin('videos as v', (j) => j.onRef('v.id', '=', 'b.video_id').on('v.deleted_at', 'is', null))
      .select(['b.video_id', 'v.status', 'v.progress', 'v.updated_at'])
      .where('b.batch_id', '=', batchId)
      .orderBy('b.position')
      .execute();
    return rows.map((r) => ({ videoId: r.video_id, status: (r.status ?? null) as VideoStatus | null, progress: Number(r.progress ?? 0), updatedAt: Number(r.updated_at ?? 0) }));
  }

  /** The first cancel wins (null after that): its time is the batch's. */
  async markCancelled(id: string, now: number): Promise<Batch | null> {
    const row = await this.db.updateTable('batches').set({ cancelled_at: now, updated_at: now }).where('id', '=', id).where('cancelled_at', 'is', null).returningAll().executeTakeFirst();
    return row ? toBatch(row) : null;
  }

  /** Undoes a batch whose videos could not be queued (nothing of it was ever seen running). */
  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('batch_videos').where('batch_id', '=', id).execute();
    await this.db.deleteFrom('batches').where('id', '=', id).execute();
  }
}
