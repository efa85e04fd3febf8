// Batch use cases shared by the HTTP API and the CLI: a prompt list becomes many videos, admitted
// against the plan as a whole, queued as ordinary jobs (ids only; the queue's per-owner turns keep
// a batch from starving anyone else), then followed, cancelled and downloaded as one.
import type { Readable } from 'node:stream';
import { ApiError, storageFull } from '../domain/errors.js';
import type { Principal } from '../domain/account.js';
import { batchListError, checkBatchSize, parseBatchList, type BatchListProblem, type ParsedBatchList } from '../domain/batch-list.js';
import type { BatchRequest } from '../domain/batch-request.js';
import { batchProgress, batchStatus, countItems, isBatchId, newBatchId, type Batch, type BatchCounts, type BatchItem, type BatchStatus } from '../domain/batch.js';
import { newVideoId } from '../domain/ids.js';
import { MAX_SEED, isTerminal } from '../domain/video.js';
import type { BatchRepo, ItemState } from '../db/batch.repo.js';
import type { VideoRepo } from '../db/video.repo.js';
import type { EventBus } from '../events/event-bus.js';
import type { JobQueue } from '../queue/job-queue.js';
import type { BlobStore } from '../storage/blob-store.js';
import type { AuditLog } from './accounts/audit-log.js';
import { admitBatch, costMicros, fitBatch, type BatchFit, type QuotaRepos } from './accounts/quota.js';
import { batchArchive } from './batch-archive.js';
import type { SpendCaps } from './spend-caps.js';
import { draftVideo, type VideoDraft } from './video-draft.js';
import type { ModelCatalog } from './video.service.js';

export interface BatchServiceDeps {
  batches: BatchRepo;
  videos: VideoRepo;
  models: ModelCatalog;
  defaultModel: string;
  queue: JobQueue;
  events: EventBus;
  storage: BlobStore;
  audit: AuditLog;
  /** The usage so far, for a preview's "37 of 50 fit" (read only). */
  quota: QuotaRepos;
  /** One transaction: the quota check, every video row and debit, and the batch itself. */
  transact: <T>(fn: (tx: QuotaRepos & { batches: BatchRepo }) => Promise<T>) => Promise<T>;
  pauseFor: (engine: string) => Promise<{ message: string } | null>;
  storageProblem?: () => Promise<string | null>;
  spendCaps?: SpendCaps;
  now?: () => number;
}

/** One video the list asks for, drafted (every card and plan check done), not stored yet. */
interface PlannedVideo {
  line: number;
  variation: number;
  /** The list gave the seed (else the draft drew one, and a preview shows none). */
  seeded: boolean;
  draft: VideoDraft;
}

export interface BatchPreview {
  list: ParsedBatchList;
  planned: PlannedVideo[];
  problems: BatchListProblem[];
  /** How much of it the caller's plan takes now; null without a plan (local mode). */
  fit: BatchFit | null;
}

export interface BatchView {
  batch: Batch;
  status: BatchStatus;
  counts: BatchCounts;
  progress: number;
  total: number;
}

export class BatchService {
  private readonly now: () => number;

  constructor(private readonly deps: BatchServiceDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** Parses and checks the list, row by row, without storing anything: what the studio shows before "Start". */
  async preview(who: Principal, req: BatchRequest): Promise<BatchPreview> {
    const list = parseBatchList(req.text, { format: req.format, filename: req.filename ?? undefined, defaults: req.defaults });
    checkBatchSize(list);
    const now = this.now();
    const planned: PlannedVideo[] = [];
    const problems = [...list.problems];
    for (const row of list.rows) {
      const drafts: PlannedVideo[] = [];
      try {
        for (let v = 0; v < row.variations; v++) {
          // Variations of a row with a seed take the seeds after it: the batch can be made again exactly.
          const seed = row.request.seed === undefined ? undefined : (row.request.seed + v) % (MAX_SEED + 1);
          drafts.push({ line: row.line, variation: v + 1, seeded: seed !== undefined, draft: draftVideo(this.deps.models, this.deps.defaultModel, who, { ...row.request, seed }, now, newVideoId()) });
        }
      } catch (err) {
        // A refusal about the row (its model, seconds, size; the plan's per-video limits) is the row's problem.
        if (!(err instanceof ApiError) || (err.status !== 400 && err.status !== 403)) throw err;
        problems.push({ line: row.line, message: err.message });
        continue;
      }
      planned.push(...drafts);
    }
    problems.sort((a, b) => a.line - b.line);
    const fit = who.plan ? await fitBatch(this.deps.quota, who.userId, who.plan, planned.map((p) => ({ seconds: p.draft.video.seconds, usdMicros: costMicros(p.draft.card, p.draft.video.seconds) })), now) : null;
    return { list, planned, problems, fit };
  }

  /**
   * Makes the batch: every row must be valid (else a 400 listing each bad line, nothing created),
   * and the whole batch must fit the plan's allowance now (else a 429 saying how many would fit),
   * unless `allowPartial`, which starts the first videos that fit and records the rest as skipped.
   */
  async create(who: Principal, req: BatchRequest): Promise<BatchView> {
    const { list, planned, problems } = await this.preview(who, req);
    if (problems.length) throw batchListError(problems);
    for (const engine of new Set(planned.map((p) => p.draft.card.engine))) {
      const pause = await this.deps.pauseFor(engine);
      if (pause) throw new ApiError(503, `Generation with the ${engine} engine is paused by the operator: ${pause.message}`, { code: 'generation_paused', type: 'server_error', headers: { 'retry-after': '300' } });
    }
    if (await this.deps.storageProblem?.()) throw storageFull();

    const now = this.now();
    const spendAdmitted: string[] = [];
    const releaseSpend = (ids: string[]) => Promise.all(ids.map((id) => this.deps.spendCaps?.release(id).catch(() => {})));
    const batch: Batch = {
      id: newBatchId(), ownerId: who.userId, name: req.name, format: list.format, requested: planned.length, skipped: 0,
      createdAt: now, cancelledAt: null, updatedAt: now,
    };
    let admitted: PlannedVideo[];
    try {
      // Cloud providers' daily caps, all or nothing, before anything is stored.
      for (const p of planned) {
        await this.deps.spendCaps?.admit(p.draft.video.id, p.draft.video.seconds, p.draft.routes);
        spendAdmitted.push(p.draft.video.id);
      }
      const plan = who.plan;
      admitted = await this.deps.transact(async (tx) => {
        let n = planned.length;
        if (plan) n = await admitBatch(tx, who, plan, planned.map((p) => ({ video: p.draft.video, usdMicros: costMicros(p.draft.card, p.draft.video.seconds) })), now, { allowPartial: req.allowPartial });
        else for (const p of planned) await tx.videos.insert(p.draft.video);
        const taken = planned.slice(0, n);
        batch.skipped = planned.length - n;
        await tx.batches.insert(batch, taken.map((p, i) => ({ videoId: p.draft.video.id, position: i + 1, line: p.line, variation: p.variation })));
        return taken;
      });
    } catch (err) {
      await releaseSpend(spendAdmitted);
      throw err;
    }
    await releaseSpend(planned.slice(admitted.length).map((p) => p.draft.video.id));

    const enqueued: string[] = [];
    try {
      for (const { draft } of admitted) {
        await this.deps.queue.enqueue(draft.video.id, { priority: who.plan?.priority, group: who.userId, lane: draft.video.engine });
        enqueued.push(draft.video.id);
      }
    } catch (err) {
      // As for one video: without its jobs the batch would wait for a restart; undo all of it and say so.
      for (const id of enqueued) await this.deps.queue.cancel(id).catch(() => {});
      for (const { draft } of admitted) await this.deps.videos.delete(draft.video.id).catch(() => {});
      await this.deps.batches.delete(batch.id).catch(() => {});
      await releaseSpend(admitted.map((p) => p.draft.video.id));
      throw new ApiError(503, `The job queue is unavailable (${(err as Error).message}); nothing was created, try again.`, { code: 'queue_unavailable', type: 'server_error' });
    }
    await this.deps.audit.record({
      actor: who.via === 'local' ? null : who, action: 'batch.create', target: { type: 'batch', id: batch.id },
      details: { videos: admitted.length, skipped: batch.skipped, format: list.format },
    });
    return this.view(batch);
  }

  /** A batch the caller owns; anyone else's is a 404, exactly like one that does not exist. */
  async get(who: Principal, id: string): Promise<Batch> {
    const batch = isBatchId(id) ? await this.deps.batches.get(id) : null;
    if (!batch || batch.ownerId !== who.userId) throw ApiError.notFound(`No batch found with id '${id}'.`, 'batch_id');
    return batch;
  }

  async view(batch: Batch, states?: ItemState[]): Promise<BatchView> {
    const s = states ?? await this.deps.batches.states(batch.id);
    const counts = countItems(s);
    return { batch, counts, status: batchStatus(batch, counts), progress: batchProgress(s), total: s.length };
  }

  async items(batch: Batch): Promise<BatchItem[]> {
    return this.deps.batches.items(batch.id);
  }

  async list(who: Principal, opts: { after?: string; limit?: number }): Promise<{ data: BatchView[]; hasMore: boolean }> {
    let before: Batch | undefined;
    if (opts.after) {
      const b = isBatchId(opts.after) ? await this.deps.batches.get(opts.after) : null;
      if (!b || b.ownerId !== who.userId) return { data: [], hasMore: false };
      before = b;
    }
    const page = await this.deps.batches.list(who.userId, { limit: opts.limit ?? 20, before });
    return { data: await Promise.all(page.data.map((b) => this.view(b))), hasMore: page.hasMore };
  }

  /**
   * Cancels every video of the batch still queued or running (as cancelling each would: its job is
   * removed, a running one aborted, its quota refunded); finished ones keep their files. A batch
   * with nothing left to run is a 400 that says so.
   */
  async cancel(who: Principal, id: string): Promise<BatchView> {
    const batch = await this.get(who, id);
    const active = (await this.deps.batches.states(batch.id)).filter((s) => s.status !== null && !isTerminal(s.status));
    if (active.length === 0) {
      throw new ApiError(400, `Batch ${batch.id} has no video left to run; only a batch with queued or running videos can be cancelled.`, { param: 'batch_id', code: 'batch_not_cancellable' });
    }
    const marked = (await this.deps.batches.markCancelled(batch.id, this.now())) ?? await this.get(who, id);
    let cancelled = 0;
    for (const s of active) {
      await this.deps.queue.cancel(s.videoId);
      const failed = await this.deps.videos.fail(s.videoId, { code: 'cancelled', message: 'The batch was cancelled before this video finished; nothing was kept.' });
      if (failed) { this.deps.events.publish(failed); cancelled++; }
    }
    await this.deps.audit.record({ actor: who.via === 'local' ? null : who, action: 'batch.cancel', target: { type: 'batch', id: batch.id }, details: { cancelled } });
    return this.view(marked);
  }

  /**
   * Calls `onUpdate` with the batch's state now, then on every change of its counts or progress,
   * until nothing is left to run or the caller stops. Each video's bus events trigger a re-read
   * (the fast path); a slow re-read covers workers in other processes.
   */
  async watch(who: Principal, id: string, onUpdate: (v: BatchView) => void, opts: { pollMs?: number } = {}): Promise<() => void> {
    const batch = await this.get(who, id);
    const first = await this.deps.batches.states(batch.id);
    let last = '';
    let stopped = false;
    let reading = false;
    let again = false;
    const emit = async (states?: ItemState[]) => {
      const fresh = (await this.deps.batches.get(batch.id)) ?? batch;
      const v = await this.view(fresh, states);
      const signature = `${v.status}:${JSON.stringify(v.counts)}:${v.progress}`;
      if (stopped || signature === last) return;
      last = signature;
      onUpdate(v);
      if (v.status !== 'in_progress') stop();
    };
    const refresh = async () => {
      if (reading) { again = true; return; }
      reading = true;
      try {
        do { again = false; if (!stopped) await emit(); } while (again);
      } catch {
        // A failed re-read is tried again by the next event or tick.
      } finally {
        reading = false;
      }
    };
    let unsubscribe: Array<() => void> = [];
    let timer: NodeJS.Timeout | null = null;
    const stop = () => {
      stopped = true;
      for (const u of unsubscribe) u();
      if (timer) clearInterval(timer);
    };
    // The first state goes out before any re-read can start, so updates never arrive out of order.
    await emit(first);
    if (!stopped) {
      unsubscribe = first.map((s) => this.deps.events.subscribe(s.videoId, () => void refresh()));
      timer = setInterval(() => void refresh(), opts.pollMs ?? 1000);
    }
    return stop;
  }

  /** A zip of the completed videos and manifest.csv, streamed: each MP4 is read from storage only when its turn comes. */
  async archive(who: Principal, id: string): Promise<{ filename: string; stream: Readable }> {
    const batch = await this.get(who, id);
    const items = await this.deps.batches.items(batch.id);
    return { filename: `${batch.id}.zip`, stream: batchArchive(items, this.deps.storage) };
  }
}

