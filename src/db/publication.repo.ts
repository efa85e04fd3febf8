// Publications, remix credits and the public feed (issue 14). The feed reads only published rows
// whose video still exists, so an unpublish, a takedown or a delete is gone from it at once.
import { sql, type Selectable } from 'kysely';
import type { Credit, Publication, PublicationStatus, RemixLicence, TrainingLicence } from '../domain/sharing.js';
import type { Video } from '../domain/video.js';
import type { Database } from './database.js';
import type { PublicationsTable, VideoCreditsTable } from './schema.js';
import { toVideo } from './video.repo.js';

export type FeedSort = 'newest' | 'remixed';

export interface FeedQuery {
  sort: FeedSort;
  limit: number;
  /** The last row already seen (from `next_cursor`). */
  after?: FeedCursor;
  ownerId?: string;
}

export interface FeedCursor { remixCount: number; publishedAt: number; videoId: string }

export interface PublishedVideo { publication: Publication; video: Video }

const toPublication = (r: Selectable<PublicationsTable>): Publication => ({
  videoId: r.video_id, ownerId: r.owner_id, title: r.title, description: r.description, remix: r.remix as RemixLicence,
  training: r.training as TrainingLicence, status: r.status as PublicationStatus, reason: r.reason,
  publishedAt: r.published_at === null ? null : Number(r.published_at), remixCount: Number(r.remix_count),
  createdAt: Number(r.created_at), updatedAt: Number(r.updated_at),
});

const toCredit = (r: Selectable<VideoCreditsTable>): Credit => ({
  videoId: r.video_id, parentVideoId: r.parent_video_id, parentOwnerId: r.parent_owner_id, parentTitle: r.parent_title, createdAt: Number(r.created_at),
});

const PUB_COLUMNS = ['video_id', 'owner_id', 'title', 'description', 'remix', 'training', 'status', 'reason', 'published_at', 'remix_count', 'created_at', 'updated_at'] as const;

export class PublicationRepo {
  constructor(private readonly db: Database) {}

  async get(videoId: string): Promise<Publication | null> {
    const row = await this.db.selectFrom('publications').selectAll().where('video_id', '=', videoId).executeTakeFirst();
    return row ? toPublication(row) : null;
  }

  /**
   * Inserts or replaces the video's publication (publishing again after a rejection starts over),
   * never over a takedown that landed meanwhile: the returned row then says `taken_down`.
   */
  async upsert(p: Publication): Promise<Publication> {
    const row = {
      video_id: p.videoId, owner_id: p.ownerId, title: p.title, description: p.description, remix: p.remix, training: p.training,
      status: p.status, reason: p.reason, published_at: p.publishedAt, remix_count: p.remixCount, created_at: p.createdAt, updated_at: p.updatedAt,
    };
    const { video_id: _id, created_at: _c, remix_count: _r, ...changes } = row;
    await this.db.insertInto('publications').values(row)
      .onConflict((oc) => oc.column('video_id').doUpdateSet(changes).where('publications.status', '<>', 'taken_down')).execute();
    return (await this.get(p.videoId))!;
  }

  async setStatus(videoId: string, from: PublicationStatus[], to: PublicationStatus, changes: { reason?: string | null; publishedAt?: number | null; now: number }): Promise<Publication | null> {
    const row = await this.db.updateTable('publications')
      .set({ status: to, updated_at: changes.now, ...(changes.reason !== undefined ? { reason: changes.reason } : {}), ...(changes.publishedAt !== undefined ? { published_at: changes.publishedAt } : {}) })
      .where('video_id', '=', videoId).where('status', 'in', from).returningAll().executeTakeFirst();
    return row ? toPublication(row) : null;
  }

  async delete(videoId: string): Promise<boolean> {
    const res = await this.db.deleteFrom('publications').where('video_id', '=', videoId).executeTakeFirst();
    return Number(res.numDeletedRows) > 0;
  }

  /** A published video whose row still exists (what the public may see), or null. */
  async published(videoId: string): Promise<PublishedVideo | null> {
    const rows = await this.joined().where('p.video_id', '=', videoId).where('p.status', '=', 'published').execute();
    return rows[0] ? split(rows[0]) : null;
  }

  async feed(q: FeedQuery): Promise<{ data: PublishedVideo[]; next: FeedCursor | null }> {
    let query = this.joined().where('p.status', '=', 'published');
    if (q.ownerId) query = query.where('p.owner_id', '=', q.ownerId);
    const a = q.after;
    if (a && q.sort === 'newest') {
      query = query.where((eb) => eb.or([
        eb('p.published_at', '<', a.publishedAt),
        eb.and([eb('p.published_at', '=', a.publishedAt), eb('p.video_id', '<', a.videoId)]),
      ]));
    } else if (a) {
      query = query.where((eb) => eb.or([
        eb('p.remix_count', '<', a.remixCount),
        eb.and([eb('p.remix_count', '=', a.remixCount), eb('p.published_at', '<', a.publishedAt)]),
        eb.and([eb('p.remix_count', '=', a.remixCount), eb('p.published_at', '=', a.publishedAt), eb('p.video_id', '<', a.videoId)]),
      ]));
    }
    if (q.sort === 'remixed') query = query.orderBy('p.remix_count', 'desc');
    const rows = await query.orderBy('p.published_at', 'desc').orderBy('p.video_id', 'desc').limit(q.limit + 1).execute();
    const data = rows.slice(0, q.limit).map(split);
    const last = data[data.length - 1];
    const next = rows.length > q.limit && last
      ? { remixCount: last.publication.remixCount, publishedAt: last.publication.publishedAt ?? 0, videoId: last.publication.videoId }
      : null;
    return { data, next };
  }

  /** Publications in a state, oldest first (the moderators' queue). */
  async listByStatus(status: PublicationStatus, limit = 100): Promise<PublishedVideo[]> {
    const rows = await this.joined().where('p.status', '=', status).orderBy('p.updated_at', 'asc').limit(limit).execute();
    return rows.map(split);
  }

  async countPublishedBy(ownerId: string): Promise<number> {
    const row = await this.db.selectFrom('publications as p').innerJoin('videos as v', 'v.id', 'p.video_id')
      .select((eb) => eb.fn.countAll<number>().as('n')).where('p.owner_id', '=', ownerId).where('p.status', '=', 'published')
      .where('v.deleted_at', 'is', null).executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** Published remixes, by other people, of this author's work. */
  async countRemixesOfWorkBy(ownerId: string): Promise<number> {
    const row = await this.db.selectFrom('video_credits as c').innerJoin('publications as p', 'p.video_id', 'c.video_id')
      .innerJoin('videos as v', 'v.id', 'c.video_id')
      .select((eb) => eb.fn.countAll<number>().as('n')).where('c.parent_owner_id', '=', ownerId).where('p.status', '=', 'published')
      .where('p.owner_id', '<>', ownerId).where('v.deleted_at', 'is', null).executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** Published remixes crediting this video, newest first. */
  async publishedRemixesOf(videoId: string, limit = 50): Promise<PublishedVideo[]> {
    const rows = await this.joined().innerJoin('video_credits as c', 'c.video_id', 'p.video_id').where('c.parent_video_id', '=', videoId)
      .where('p.status', '=', 'published').orderBy('p.published_at', 'desc').limit(limit).execute();
    return rows.map(split);
  }

  /** Recounts a parent's published remixes (after a remix is published, unpublished, taken down or deleted). */
  async recountRemixes(parentVideoIds: string[]): Promise<void> {
    for (const id of parentVideoIds) {
      await this.db.updateTable('publications').set({
        remix_count: sql<number>`(select count(*) from video_credits c join publications r on r.video_id = c.video_id join videos v on v.id = c.video_id
          where c.parent_video_id = ${id} and r.status = 'published' and v.deleted_at is null)`,
      }).where('video_id', '=', id).execute();
    }
  }

  async addCredit(c: Credit): Promise<void> {
    await this.db.insertInto('video_credits').values({
      video_id: c.videoId, parent_video_id: c.parentVideoId, parent_owner_id: c.parentOwnerId, parent_title: c.parentTitle, created_at: c.createdAt,
    }).onConflict((oc) => oc.doNothing()).execute();
  }

  /** Credits of many videos in one query (a feed page), by video id. */
  async creditsOfMany(videoIds: string[]): Promise<Map<string, Credit[]>> {
    const out = new Map<string, Credit[]>(videoIds.map((id) => [id, []]));
    if (!videoIds.length) return out;
    const rows = await this.db.selectFrom('video_credits').selectAll().where('video_id', 'in', videoIds).orderBy('created_at').execute();
    for (const r of rows) out.get(r.video_id)?.push(toCredit(r));
    return out;
  }

  /** Of these videos, which still exist, and which of those are published (credit links). */
  async parentStates(videoIds: string[]): Promise<{ live: Set<string>; published: Set<string> }> {
    if (!videoIds.length) return { live: new Set(), published: new Set() };
    const rows = await this.db.selectFrom('videos as v').leftJoin('publications as p', 'p.video_id', 'v.id').select(['v.id', 'p.status'])
      .where('v.id', 'in', [...new Set(videoIds)]).where('v.deleted_at', 'is', null).execute();
    return { live: new Set(rows.map((r) => r.id)), published: new Set(rows.filter((r) => r.status === 'published').map((r) => r.id)) };
  }

  async creditsOf(videoId: string): Promise<Credit[]> {
    const rows = await this.db.selectFrom('video_credits').selectAll().where('video_id', '=', videoId).orderBy('created_at').execute();
    return rows.map(toCredit);
  }

  private joined() {
    return this.db.selectFrom('publications as p').innerJoin('videos as v', 'v.id', 'p.video_id').selectAll('v')
      .select(PUB_COLUMNS.map((c) => `p.${c} as pub_${c}` as const))
      .where('v.deleted_at', 'is', null);
  }
}

function split(row: Record<string, unknown>): PublishedVideo {
  const pub: Record<string, unknown> = {};
  for (const c of PUB_COLUMNS) pub[c] = row[`pub_${c}`];
  return { publication: toPublication(pub as Selectable<PublicationsTable>), video: toVideo(row as any) };
}
