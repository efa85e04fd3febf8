// Reads and writes video rows. Each status change is one guarded UPDATE, so two workers (or a
// worker and a delete) can race without corrupting a row:
//
//   queued ──start──▶ in_progress ──complete──▶ completed
//     │                  │   ▲ (a retry or restart starts it again)
//     └──────fail────────┴──fail──▶ failed
//
// completed and failed are terminal: no write moves a row out of them. A failure refunds the
// video's quota debit (usage_debits) and releases its cloud spend reservation in the same place;
// a completion settles the spend. A cloud job that must wait for its provider (circuit open, busy)
// goes back to queued, but only while nothing was submitted.
import { sql, type Selectable } from 'kysely';
import { kindOf, type Video, type VideoError, type VideoKind, type VideoOutput, type VideoProvenance, type VideoStatus, type SourceFile } from '../domain/video.js';
import type { Database } from './database.js';
import type { VideosTable } from './schema.js';
import { foldForSearch } from './search-fold.js';
import { SpendRepo } from './spend.repo.js';

type Row = Selectable<VideosTable>;

export interface ListOptions {
  /** Only this user's videos (every caller passes it; the CLI passes the local user). */
  ownerId?: string;
  after?: string;
  limit: number;
  order: 'asc' | 'desc';
}

/** The studio's library query: the OpenAI list's cursor plus filters. Newest first. */
export interface SearchOptions {
  ownerId?: string;
  after?: string;
  limit: number;
  /** 'active' means queued or in_progress. */
  status?: VideoStatus | 'active';
  model?: string;
  favorite?: boolean;
  /** Words that must all appear in the prompt, ignoring case and accents ("ble" finds "Blé"). */
  text?: string;
}

export interface ListResult {
  data: Video[];
  hasMore: boolean;
}

export function toVideo(r: Row): Video {
  return {
    id: r.id,
    ownerId: r.owner_id,
    model: r.model,
    engine: r.engine,
    status: r.status as VideoStatus,
    progress: r.progress,
    prompt: r.prompt,
    seconds: r.seconds,
    width: r.width,
    height: r.height,
    fps: r.fps,
    seed: Number(r.seed),
    inputReferenceKey: r.input_reference_key,
    // Only when one was given: other rows read exactly as they did before 0020.
    ...(r.last_frame_key ? { lastFrameKey: r.last_frame_key } : {}),
    remixedFromVideoId: r.remixed_from_video_id,
    // Only for videos made from another by extension or edit: other rows read as they did before
    // 0018 (their kind follows from remixedFromVideoId; domain kindOf).
    ...(r.source_video_id ? { kind: r.kind as VideoKind, sourceVideoId: r.source_video_id } : {}),
    // …or from an uploaded clip (0021).
    ...(r.source_file ? { kind: r.kind as VideoKind, sourceFile: JSON.parse(r.source_file) as SourceFile } : {}),
    error: r.error_code ? { code: r.error_code, message: r.error_message ?? '', detail: r.error_detail } : null,
    providerJobId: r.provider_job_id,
    madeByModel: r.made_by_model,
    costUsdMicros: r.cost_usd_micros === null ? null : Number(r.cost_usd_micros),
    plan: r.plan === null ? null : JSON.parse(r.plan),
    negativePrompt: r.negative_prompt,
    favorite: Number(r.favorite) === 1,
    output: r.video_key && r.thumbnail_key && r.spritesheet_key && r.video_sha256
      ? { videoKey: r.video_key, thumbnailKey: r.thumbnail_key, spritesheetKey: r.spritesheet_key, bytes: Number(r.video_bytes), sha256: r.video_sha256 }
      : null,
    // Only when signed: a row from before signing reads exactly as it did (no new key).
    ...(r.provenance ? { provenance: JSON.parse(r.provenance) as VideoProvenance } : {}),
    createdAt: Number(r.created_at),
    startedAt: r.started_at === null ? null : Number(r.started_at),
    completedAt: r.completed_at === null ? null : Number(r.completed_at),
    expiresAt: r.expires_at === null ? null : Number(r.expires_at),
    updatedAt: Number(r.updated_at),
  };
}

function toRow(v: Video): Row {
  return {
    id: v.id,
    owner_id: v.ownerId,
    model: v.model,
    engine: v.engine,
    status: v.status,
    progress: v.progress,
    prompt: v.prompt,
    prompt_search: foldForSearch(v.prompt),
    seconds: v.seconds,
    width: v.width,
    height: v.height,
    fps: v.fps,
    seed: v.seed,
    input_reference_key: v.inputReferenceKey,
    last_frame_key: v.lastFrameKey ?? null,
    remixed_from_video_id: v.remixedFromVideoId,
    kind: kindOf(v),
    source_video_id: v.sourceVideoId ?? null,
    source_file: v.sourceFile ? JSON.stringify(v.sourceFile) : null,
    error_code: v.error?.code ?? null,
    error_message: v.error?.message ?? null,
    error_detail: v.error?.detail ?? null,
    provider_job_id: v.providerJobId,
    made_by_model: v.madeByModel ?? null,
    cost_usd_micros: v.costUsdMicros ?? null,
    plan: v.plan === null || v.plan === undefined ? null : JSON.stringify(v.plan),
    negative_prompt: v.negativePrompt,
    favorite: v.favorite ? 1 : 0,
    video_key: v.output?.videoKey ?? null,
    thumbnail_key: v.output?.thumbnailKey ?? null,
    spritesheet_key: v.output?.spritesheetKey ?? null,
    video_bytes: v.output?.bytes ?? null,
    video_sha256: v.output?.sha256 ?? null,
    created_at: v.createdAt,
    started_at: v.startedAt,
    completed_at: v.completedAt,
    expires_at: v.expiresAt,
    updated_at: v.updatedAt,
    deleted_at: null,
    submit_claim: null,
    submit_claimed_until: null,
    provenance: v.provenance ? JSON.stringify(v.provenance) : null,
  };
}

const UNFINISHED = ['queued', 'in_progress'];

/** Who made a submitted video: the requested model or the operator's fallback, and its price. */
export interface MadeBy {
  model: string;
  engine: string;
  costUsdMicros: number | null;
}

const madeByColumns = (m: MadeBy | undefined) => (m ? { made_by_model: m.model, engine: m.engine, cost_usd_micros: m.costUsdMicros } : {});

export class VideoRepo {
  private readonly spend: SpendRepo;

  constructor(private readonly db: Database, private readonly now: () => number = Date.now) {
    this.spend = new SpendRepo(db);
  }

  async insert(video: Video): Promise<void> {
    await this.db.insertInto('videos').values(toRow(video)).execute();
  }

  async get(id: string): Promise<Video | null> {
    const row = await this.db.selectFrom('videos').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
    return row ? toVideo(row) : null;
  }

  /**
   * Cursor pagination ordered by (created_at, id). `after` is the id of the last item already seen;
   * an unknown `after` yields an empty page rather than restarting from the top.
   */
  async list(opts: ListOptions): Promise<ListResult> {
    let q = this.db.selectFrom('videos').selectAll().where('deleted_at', 'is', null);
    if (opts.ownerId !== undefined) q = q.where('owner_id', '=', opts.ownerId);
    if (opts.after) {
      const cursor = await this.db.selectFrom('videos').select(['created_at', 'id']).where('id', '=', opts.after).executeTakeFirst();
      if (!cursor) return { data: [], hasMore: false };
      const cmp = opts.order === 'desc' ? '<' : '>';
      q = q.where((eb) => eb.or([
        eb('created_at', cmp, cursor.created_at),
        eb.and([eb('created_at', '=', cursor.created_at), eb('id', cmp, cursor.id)]),
      ]));
    }
    const rows = await q.orderBy('created_at', opts.order).orderBy('id', opts.order).limit(opts.limit + 1).execute();
    return { data: rows.slice(0, opts.limit).map(toVideo), hasMore: rows.length > opts.limit };
  }

  async search(opts: SearchOptions): Promise<ListResult> {
    let q = this.db.selectFrom('videos').selectAll().where('deleted_at', 'is', null);
    if (opts.ownerId !== undefined) q = q.where('owner_id', '=', opts.ownerId);
    if (opts.status === 'active') q = q.where('status', 'in', UNFINISHED);
    else if (opts.status) q = q.where('status', '=', opts.status);
    if (opts.model) q = q.where('model', '=', opts.model);
    if (opts.favorite !== undefined) q = q.where('favorite', '=', opts.favorite ? 1 : 0);
    for (const word of foldForSearch(opts.text ?? '').split(/\s+/).filter(Boolean).slice(0, 8)) {
      // Both sides folded by the application (search-fold.ts), so LIKE compares the same bytes on
      // SQLite and PostgreSQL whatever their collation, lower() or extensions.
      const pattern = `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      q = q.where(sql<boolean>`prompt_search like ${pattern} escape '\\'`);
    }
    if (opts.after) {
      const cursor = await this.db.selectFrom('videos').select(['created_at', 'id']).where('id', '=', opts.after).executeTakeFirst();
      if (!cursor) return { data: [], hasMore: false };
      q = q.where((eb) => eb.or([
        eb('created_at', '<', cursor.created_at),
        eb.and([eb('created_at', '=', cursor.created_at), eb('id', '<', cursor.id)]),
      ]));
    }
    const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(opts.limit + 1).execute();
    return { data: rows.slice(0, opts.limit).map(toVideo), hasMore: rows.length > opts.limit };
  }

  /** Videos remixed, extended or edited from this one, oldest first (the other half of its lineage). */
  async listRemixesOf(id: string, limit = 50): Promise<Video[]> {
    const rows = await this.db.selectFrom('videos').selectAll()
      .where((eb) => eb.or([eb('remixed_from_video_id', '=', id), eb('source_video_id', '=', id)])).where('deleted_at', 'is', null)
      .orderBy('created_at', 'asc').orderBy('id', 'asc').limit(limit).execute();
    return rows.map(toVideo);
  }

  async setFavorite(id: string, favorite: boolean): Promise<Video | null> {
    const row = await this.db.updateTable('videos').set({ favorite: favorite ? 1 : 0 }).where('id', '=', id).where('deleted_at', 'is', null).returningAll().executeTakeFirst();
    return row ? toVideo(row) : null;
  }

  /** A user's queued and running videos: what their concurrency limit counts, and what a suspension cancels. */
  async listActiveIds(ownerId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('videos').select('id').where('owner_id', '=', ownerId).where('status', 'in', UNFINISHED).where('deleted_at', 'is', null).execute();
    return rows.map((r) => r.id);
  }

  /** Gives every video of one owner to another (the first admin adopts the local user's videos). */
  async reassignOwner(from: string, to: string): Promise<number> {
    return this.db.transaction().execute(async (tx) => {
      const res = await tx.updateTable('videos').set({ owner_id: to }).where('owner_id', '=', from).executeTakeFirst();
      // What the local user shared goes with their videos: publications, the credits others owe
      // them, their public name, notifications and webhook endpoints.
      await tx.updateTable('publications').set({ owner_id: to }).where('owner_id', '=', from).execute();
      await tx.updateTable('video_credits').set({ parent_owner_id: to }).where('parent_owner_id', '=', from).execute();
      if (!(await tx.selectFrom('profiles').select('user_id').where('user_id', '=', to).executeTakeFirst())) {
        await tx.updateTable('profiles').set({ user_id: to }).where('user_id', '=', from).execute();
      }
      await tx.updateTable('notifications').set({ user_id: to }).where('user_id', '=', from).execute();
      await tx.updateTable('webhook_endpoints').set({ owner_id: to }).where('owner_id', '=', from).execute();
      return Number(res.numUpdatedRows);
    });
  }

  /**
   * Videos a worker still owes an outcome, oldest first, with their owner (the queue's fairness
   * group): re-enqueued at start so no job is lost.
   */
  async listUnfinished(): Promise<{ id: string; ownerId: string; engine: string }[]> {
    const rows = await this.db.selectFrom('videos').select(['id', 'owner_id', 'engine']).where('status', 'in', UNFINISHED).where('deleted_at', 'is', null).orderBy('created_at').execute();
    return rows.map((r) => ({ id: r.id, ownerId: r.owner_id, engine: r.engine }));
  }

  /**
   * queued|in_progress → in_progress. Returns null when the row is gone or already terminal.
   * Progress is kept: a restarted run reports again from where the row stands, never backwards.
   */
  async markStarted(id: string): Promise<Video | null> {
    const now = this.now();
    const row = await this.db.updateTable('videos')
      .set((eb) => ({ status: 'in_progress', started_at: eb.fn.coalesce('started_at', eb.val(now)), updated_at: now }))
      .where('id', '=', id)
      .where('status', 'in', UNFINISHED)
      .where('deleted_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
    return row ? toVideo(row) : null;
  }

  /** Progress only rises while a job runs; a stale or out-of-order write changes nothing. */
  async setProgress(id: string, progress: number): Promise<boolean> {
    const p = Math.max(0, Math.min(99, Math.floor(progress)));
    const res = await this.db.updateTable('videos')
      .set({ progress: p, updated_at: this.now() })
      .where('id', '=', id)
      .where('status', '=', 'in_progress')
      .where('deleted_at', 'is', null)
      .where('progress', '<', p)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }

  /**
   * Records the provider's job id in the same write that marks the job submitted, with the model
   * and engine that took it (a fallback's, maybe) and what it costs.
   */
  async markSubmitted(id: string, providerJobId: string, madeBy?: MadeBy): Promise<boolean> {
    const now = this.now();
    const res = await this.db.updateTable('videos')
      .set({
        provider_job_id: providerJobId, status: 'in_progress', updated_at: now, submit_claim: null, submit_claimed_until: null,
        ...madeByColumns(madeBy),
      })
      .where('id', '=', id)
      .where('status', 'in', UNFINISHED)
      .where('deleted_at', 'is', null)
      .where('provider_job_id', 'is', null)
      .executeTakeFirst();
    const ok = Number(res.numUpdatedRows) > 0;
    if (ok) await this.spend.markSubmitted(id, now);
    return ok;
  }

  /**
   * Takes the right to send this video's create to a provider until `until` (ms), unless another
   * run holds an unexpired claim or a provider job id is already recorded. See migration 0011.
   * Returns null when taken, else how long the other run's claim still holds (ms).
   */
  async claimSubmit(id: string, claim: string, until: number): Promise<number | null> {
    const now = this.now();
    const res = await this.db.updateTable('videos')
      .set({ submit_claim: claim, submit_claimed_until: until })
      .where('id', '=', id)
      .where('provider_job_id', 'is', null)
      .where((eb) => eb.or([eb('submit_claim', 'is', null), eb('submit_claimed_until', '<', now), eb('submit_claim', '=', claim)]))
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) > 0) return null;
    const row = await this.db.selectFrom('videos').select(['submit_claimed_until', 'provider_job_id']).where('id', '=', id).executeTakeFirst();
    if (!row || row.provider_job_id !== null) return 0; // recorded meanwhile: the next run polls it
    return Math.max(0, Number(row.submit_claimed_until ?? now) - now);
  }

  /**
   * When a run took the right to send this video's create and its claim ran out without a
   * receipt (it died or was cut off mid-request): when that claim was to end, in ms. The provider
   * may or may not have the job; the runner asks it before sending again. Null otherwise.
   */
  async lostSubmit(id: string): Promise<number | null> {
    const row = await this.db.selectFrom('videos').select(['submit_claim', 'submit_claimed_until', 'provider_job_id']).where('id', '=', id).executeTakeFirst();
    if (!row || row.provider_job_id !== null || row.submit_claim === null || row.submit_claimed_until === null) return null;
    const until = Number(row.submit_claimed_until);
    return until < this.now() ? until : null;
  }

  /** Whether another video already records this provider job as its own (so it is not adopted twice). */
  async providerJobTaken(providerJobId: string, exceptVideoId: string): Promise<boolean> {
    const row = await this.db.selectFrom('videos').select('id').where('provider_job_id', '=', providerJobId).where('id', '!=', exceptVideoId).executeTakeFirst();
    return Boolean(row);
  }

  /** Gives a claim back when the provider provably never got the create (so a retry need not wait). */
  async releaseSubmit(id: string, claim: string): Promise<void> {
    await this.db.updateTable('videos').set({ submit_claim: null, submit_claimed_until: null })
      .where('id', '=', id).where('submit_claim', '=', claim).execute();
  }

  /**
   * in_progress → queued while its provider cannot take it yet (circuit open, at its concurrency
   * limit): only before anything was submitted, so a submitted job is never shown as waiting.
   */
  async markWaiting(id: string): Promise<Video | null> {
    const row = await this.db.updateTable('videos')
      .set({ status: 'queued', updated_at: this.now() })
      .where('id', '=', id)
      .where('status', '=', 'in_progress')
      .where('deleted_at', 'is', null)
      .where('provider_job_id', 'is', null)
      .returningAll()
      .executeTakeFirst();
    return row ? toVideo(row) : null;
  }

  /** The provider lost the job and the engine submitted again: swap the id (only if it is still `previous`). */
  async markResubmitted(id: string, previous: string, providerJobId: string): Promise<boolean> {
    const res = await this.db.updateTable('videos')
      .set({ provider_job_id: providerJobId, updated_at: this.now() })
      .where('id', '=', id)
      .where('status', 'in', UNFINISHED)
      .where('deleted_at', 'is', null)
      .where('provider_job_id', '=', previous)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }

  /** `madeBy` names a fallback engine that made the file itself (a local one: no provider job). */
  async complete(id: string, output: VideoOutput, opts: { expiresAt: number | null; madeBy?: MadeBy; provenance?: VideoProvenance }): Promise<Video | null> {
    const now = this.now();
    const row = await this.db.updateTable('videos')
      .set({
        ...madeByColumns(opts.madeBy),
        status: 'completed',
        progress: 100,
        video_key: output.videoKey,
        thumbnail_key: output.thumbnailKey,
        spritesheet_key: output.spritesheetKey,
        video_bytes: output.bytes,
        video_sha256: output.sha256,
        ...(opts.provenance ? { provenance: JSON.stringify(opts.provenance) } : {}),
        completed_at: now,
        expires_at: opts.expiresAt,
        error_code: null,
        error_message: null,
        updated_at: now,
      })
      .where('id', '=', id)
      .where('status', 'in', UNFINISHED)
      .where('deleted_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
    if (row) await this.spend.settle(id, now);
    return row ? toVideo(row) : null;
  }

  /** A completed video of this instance whose stored MP4 has exactly these bytes (provenance lookups). */
  async findBySha256(sha256: string): Promise<Video | null> {
    const row = await this.db.selectFrom('videos').selectAll().where('video_sha256', '=', sha256).where('status', '=', 'completed')
      .where('deleted_at', 'is', null).orderBy('created_at').executeTakeFirst();
    return row ? toVideo(row) : null;
  }

  /**
   * Points a completed video at a re-signed MP4, only if it still points at `fromKey` (another
   * re-sign or a delete in between wins, and the caller removes its own new file).
   */
  async replaceVideoFile(id: string, fromKey: string, to: { videoKey: string; bytes: number; sha256: string }, provenance: VideoProvenance): Promise<Video | null> {
    const row = await this.db.updateTable('videos')
      .set({ video_key: to.videoKey, video_bytes: to.bytes, video_sha256: to.sha256, provenance: JSON.stringify(provenance), updated_at: this.now() })
      .where('id', '=', id).where('video_key', '=', fromKey).where('status', '=', 'completed').where('deleted_at', 'is', null)
      .returningAll().executeTakeFirst();
    return row ? toVideo(row) : null;
  }

  async fail(id: string, error: VideoError): Promise<Video | null> {
    const now = this.now();
    const row = await this.db.updateTable('videos')
      .set({ status: 'failed', error_code: error.code, error_message: error.message, error_detail: error.detail ?? null, completed_at: now, updated_at: now })
      .where('id', '=', id)
      .where('status', 'in', UNFINISHED)
      .where('deleted_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
    // A video that fails (or is cancelled) gives back the quota it took: every failure path ends here.
    if (row) await this.db.updateTable('usage_debits').set({ refunded_at: now }).where('video_id', '=', id).where('refunded_at', 'is', null).execute();
    // Providers do not bill a job they failed; one the user cancelled after submitting may be billed.
    if (row) await this.spend.release(id, { includeSubmitted: error.code !== 'cancelled', now });
    return row ? toVideo(row) : null;
  }

  /**
   * The owner deleted it: from now on it is gone for every read and write here (a tombstone), and
   * what it had not used is refunded. Its files are removed next, then the row (purge); a store that
   * refuses to delete leaves the tombstone for the sweeper (listDeleted), never files without a row.
   * Null if there was no such live video.
   */
  async markDeleted(id: string): Promise<Video | null> {
    const now = this.now();
    const row = await this.db.updateTable('videos').set({ deleted_at: now, updated_at: now })
      .where('id', '=', id).where('deleted_at', 'is', null).returningAll().executeTakeFirst();
    if (!row) return null;
    await this.refundUnfinished(id, now);
    return toVideo(row);
  }

  /** Tombstones whose files are still to be removed, oldest first. */
  async listDeleted(limit: number): Promise<Video[]> {
    const rows = await this.db.selectFrom('videos').selectAll().where('deleted_at', 'is not', null).orderBy('deleted_at').limit(limit).execute();
    return rows.map(toVideo);
  }

  /** Removes a tombstone once its files are gone. */
  async purge(id: string): Promise<boolean> {
    const res = await this.db.deleteFrom('videos').where('id', '=', id).where('deleted_at', 'is not', null).executeTakeFirst();
    return Number(res.numDeletedRows) > 0;
  }

  /** Deleting before completion refunds, as a failure would; a finished video's seconds were used. */
  private async refundUnfinished(id: string, now: number): Promise<void> {
    await this.db.updateTable('usage_debits').set({ refunded_at: now }).where('video_id', '=', id).where('refunded_at', 'is', null)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('videos').select('id').where('id', '=', id).where('status', '=', 'completed'))))
      .execute();
    await this.spend.release(id, { includeSubmitted: false, now });
  }

  /** Removes the row at once (a create undone before anyone saw it; tests). */
  async delete(id: string): Promise<boolean> {
    await this.refundUnfinished(id, this.now());
    const res = await this.db.deleteFrom('videos').where('id', '=', id).executeTakeFirst();
    return Number(res.numDeletedRows) > 0;
  }
}
