// The `comfyui` engine: open-weights video models (Wan 2.2, LTX-Video, the operator's own
// workflows) on the operator's ComfyUI servers, one per GPU. submit() waits for a free GPU in the
// pool, uploads the input image, and POSTs the filled-in template with our client_id; poll()
// follows the prompt over the WebSocket (HTTP when the socket is quiet or down), re-attaches after
// a Méliès restart, submits once more if ComfyUI forgot the prompt or its server vanished, and
// downloads the video when it is done. Protocol: shared/reference/engines-wire.md §1.
import { randomUUID } from 'node:crypto';
import { extname } from 'node:path';
import type { ComfyuiServerConfig } from '../../config/comfyui.config.js';
import { EngineError } from '../../domain/errors.js';
import type { ModelCard } from '../../domain/model-card.js';
import type { MediaBinaries } from '../../media/binaries.js';
import type { Engine, EngineContext, EngineJob, EngineStatus, PollResult, SubmitResult } from '../engine.js';
import { HttpError, Unreachable, type HistoryEntry } from './comfyui.client.js';
import { executionError, oomHint, refusalError } from './comfyui.errors.js';
import { fetchOutput } from './fetch-output.js';
import { decodeJobId, encodeJobId, promptIdFor, type ComfyJobRef } from './job-id.js';
import { PromptTracker } from './prompt-tracker.js';
import { ServerPool, type ComfyServer } from './server-pool.js';
import type { Coordination } from '../../coordination/coordination.js';
import { buildPrompt, type ApiGraph, type WorkflowTemplate } from './workflow-template.js';

export interface ComfyuiEngineOptions {
  servers: ComfyuiServerConfig[];
  templates: WorkflowTemplate[];
  media: MediaBinaries;
  /** The WebSocket client id: stable across restarts, so re-attached prompts keep their progress. */
  clientId?: string;
  requestTimeoutMs?: number;
  downloadTimeoutMs?: number;
  historyPollMs?: number;
  healthIntervalMs?: number;
  revalidateMs?: number;
  rescheduleAfterMs?: number;
  unavailableAfterMs?: number;
  /** Where GPU slots are counted when several workers share the servers (default: this process). */
  coordination?: Coordination;
  log?: (level: 'info' | 'warn' | 'error', msg: string, extra?: Record<string, unknown>) => void;
}

export interface ComfyuiEngineStatus extends EngineStatus {
  kind: 'comfyui';
  /** Jobs taken from the queue that wait for a free GPU. */
  waiting: number;
  servers: {
    url: string; label: string; state: 'unknown' | 'up' | 'down'; error: string | null; checkedAt: number | null; downSince: number | null;
    version: string | null; devices: { name: string | null; type: string | null; vramTotal: number | null; vramFree: number | null }[];
    concurrency: number; running: number; queueRemaining: number;
    templates: { model: string; ok: boolean; problems: string[] }[];
  }[];
  models: { id: string; available: boolean; servers: number }[];
}

/** A job is submitted at most this many times (the first, and once more if ComfyUI lost it). */
const MAX_SUBMISSIONS = 2;

export class ComfyuiEngine implements Engine {
  readonly id = 'comfyui';
  private readonly pool: ServerPool;
  private readonly byModel = new Map<string, WorkflowTemplate>();
  private readonly clientId: string;
  private started: Promise<void> | null = null;
  private readonly reported = new WeakMap<EngineContext, number>();
  private readonly o: Required<Omit<ComfyuiEngineOptions, 'log' | 'clientId' | 'servers' | 'templates' | 'media' | 'coordination'>>;

  constructor(private readonly opts: ComfyuiEngineOptions) {
    for (const t of opts.templates) this.byModel.set(t.modelId, t);
    this.clientId = opts.clientId ?? `melies-${randomUUID()}`;
    this.o = {
      requestTimeoutMs: opts.requestTimeoutMs ?? 15_000, downloadTimeoutMs: opts.downloadTimeoutMs ?? 600_000,
      historyPollMs: opts.historyPollMs ?? 2000, healthIntervalMs: opts.healthIntervalMs ?? 10_000, revalidateMs: opts.revalidateMs ?? 300_000,
      rescheduleAfterMs: opts.rescheduleAfterMs ?? 30_000, unavailableAfterMs: opts.unavailableAfterMs ?? 300_000,
    };
    this.pool = new ServerPool(opts.servers, opts.templates, { ...this.o, clientId: this.clientId, log: opts.log, coordination: opts.coordination });
  }

  /** Every template's card; available while some server that is up can run it. */
  models(): ModelCard[] {
    // Image-to-video templates start from a character's look (issue 15 §3); text-only ones cannot use one.
    return this.opts.templates.map((t) => ({ ...t.card, characters: t.card.characters ?? Boolean(t.mapping.inputs.image), available: this.pool.anyCanRun(t.id) }));
  }

  start(): Promise<void> {
    this.started ??= this.pool.start();
    return this.started;
  }

  async stop(): Promise<void> {
    this.pool.stop();
    this.started = null;
  }

  async submit(job: EngineJob, ctx: EngineContext): Promise<SubmitResult> {
    await this.start();
    const t = this.template(job.model);
    // A run killed after ComfyUI accepted its prompt, but before the id was stored, left that
    // prompt running: find it (its id is derived from the video) instead of paying twice.
    const first = promptIdFor(job.videoId, 1);
    const found = await this.locate(first);
    if (found) {
      this.opts.log?.('info', 'found this video\'s prompt already on a ComfyUI server; following it', { videoId: job.videoId, server: found.name });
      return { kind: 'submitted', providerJobId: encodeJobId({ submission: 1, promptId: first, server: found.url }) };
    }
    return { kind: 'submitted', providerJobId: await this.dispatch(t, job, ctx, 1, null) };
  }

  async poll(job: EngineJob, ctx: EngineContext): Promise<PollResult> {
    await this.start();
    const ref = job.providerJobId ? decodeJobId(job.providerJobId) : null;
    if (!ref) throw new EngineError('engine_error', `The stored ComfyUI job id '${job.providerJobId}' cannot be read.`);
    const t = this.template(job.model);
    const s = this.pool.byUrl(ref.server);
    if (!s) return this.resubmit(t, job, ctx, ref, null, `the ComfyUI server ${ref.server} that ran it is no longer configured`);
    const tracker = this.track(s, ref.promptId, t.workflow, t);

    if (!tracker.terminal) await tracker.changed(this.wait(tracker), ctx.signal);
    if (this.due(tracker)) await this.checkPrompt(s, tracker);

    switch (tracker.state) {
      case 'succeeded':
        return this.finish(s, tracker, job, ctx);
      case 'failed': {
        this.untrack(s, tracker);
        const others = [...this.byModel.values()].filter((o) => o !== t && this.pool.anyCanRun(o.id)).map((o) => o.modelId);
        throw executionError(tracker.error ?? {}, tracker.graph, s.name, () => oomHint(t.card, job, others));
      }
      case 'interrupted':
        this.untrack(s, tracker);
        throw new EngineError('engine_interrupted', `The job was interrupted on ComfyUI (${s.name}) by someone other than Méliès, e.g. the Cancel button in ComfyUI's own page.`);
      case 'forgotten':
        this.untrack(s, tracker);
        return this.resubmit(t, job, ctx, ref, null, `ComfyUI on ${s.name} no longer knows the prompt (it restarted, or its queue or history was cleared)`);
      default:
        break;
    }
    if (tracker.unreachableSince !== null) {
      const down = Date.now() - tracker.unreachableSince;
      const elsewhere = this.pool.servers.some((o) => o !== s && o.canRun(t.id));
      if (down >= this.o.rescheduleAfterMs && elsewhere && ref.submission < MAX_SUBMISSIONS) {
        this.letGo(s, tracker.promptId, tracker);
        // If it comes back still working on it, that work is stopped (best effort).
        void s.client.cancel(tracker.promptId).catch(() => {});
        return this.resubmit(t, job, ctx, ref, s, `${s.name} has been unreachable for ${Math.round(down / 1000)} s`);
      }
      if (down >= this.o.unavailableAfterMs) {
        this.untrack(s, tracker);
        throw new EngineError('engine_unavailable', `ComfyUI on ${s.name} has been unreachable for ${Math.round(down / 1000)} s while running this job (${s.lastError ?? 'no answer'}), and no other server could take it.`);
      }
    }
    return { kind: 'running', progress: this.report(ctx, tracker.progress), retryAfterMs: 0 };
  }

  async cancel(job: EngineJob): Promise<void> {
    const ref = job.providerJobId ? decodeJobId(job.providerJobId) : null;
    const s = ref ? this.pool.byUrl(ref.server) : undefined;
    if (!ref || !s) return;
    const how = await s.client.cancel(ref.promptId);
    this.opts.log?.('info', 'cancelled a ComfyUI prompt', { videoId: job.videoId, server: s.name, via: how });
    this.letGo(s, ref.promptId);
  }

  async status(): Promise<ComfyuiEngineStatus> {
    const templates = this.opts.templates;
    return {
      kind: 'comfyui',
      waiting: this.pool.waiting,
      servers: this.pool.servers.map((s) => ({
        url: s.url, label: s.name, state: s.health, error: s.lastError, checkedAt: s.checkedAt, downSince: s.downSince,
        version: s.stats?.system?.comfyui_version ?? null,
        devices: (s.stats?.devices ?? []).map((d) => ({ name: d.name ?? null, type: d.type ?? null, vramTotal: d.vram_total ?? null, vramFree: d.vram_free ?? null })),
        concurrency: s.concurrency, running: s.inFlight.size, queueRemaining: s.queueRemaining,
        templates: templates.map((t) => ({ model: t.modelId, ok: s.canRun(t.id), problems: (s.problems.get(t.id) ?? []).map((p) => p.message) })),
      })),
      models: templates.map((t) => ({ id: t.modelId, available: this.pool.anyCanRun(t.id), servers: this.pool.servers.filter((s) => s.canRun(t.id)).length })),
    };
  }

  private template(model: string): WorkflowTemplate {
    const t = this.byModel.get(model);
    if (!t) throw new EngineError('model_unavailable', `The model '${model}' is not a ComfyUI template on this server.`);
    return t;
  }

  /** Takes a GPU slot, uploads the image, submits; an unreachable server sends the job elsewhere. */
  private async dispatch(t: WorkflowTemplate, job: EngineJob, ctx: EngineContext, submission: number, avoid: ComfyServer | null): Promise<string> {
    const promptId = promptIdFor(job.videoId, submission);
    for (;;) {
      const lease = await this.pool.acquire(t, ctx.signal, avoid);
      const s = lease.server;
      let tracker: PromptTracker | null = null;
      try {
        // A character's look is an image-to-video template's first frame (the API never sends both).
        const imagePath = job.inputImagePath ?? job.characterImages?.[0] ?? null;
        const image = imagePath && t.mapping.inputs.image
          ? await s.client.upload(imagePath, `melies_${job.videoId}${extname(imagePath) || '.png'}`, ctx.signal).catch((err) => {
            if (err instanceof HttpError) throw new EngineError('invalid_input_reference', `ComfyUI on ${s.name} refused the input image: ${err.message}`);
            throw err;
          })
          : null;
        const lastFrame = job.lastFrameImagePath && t.mapping.inputs.last_frame
          ? await s.client.upload(job.lastFrameImagePath, `melies_${job.videoId}_last${extname(job.lastFrameImagePath) || '.png'}`, ctx.signal).catch((err) => {
            if (err instanceof HttpError) throw new EngineError('invalid_input_reference', `ComfyUI on ${s.name} refused the last frame: ${err.message}`);
            throw err;
          })
          : null;
        const graph = buildPrompt(t, job, image, lastFrame);
        tracker = this.track(s, promptId, graph, t); // before the POST: early events are not missed
        tracker.stale = false;
        const answer = await s.client.submit({ prompt: graph, client_id: this.clientId, prompt_id: promptId, extra_data: { melies_video_id: job.videoId } }, ctx.signal);
        if (!answer.ok) throw refusalError(answer.refusal, graph, s.name, t.modelId);
        // Servers older than prompt_id support pick their own id: follow that one.
        const accepted = answer.promptId.toLowerCase();
        if (accepted !== promptId) {
          this.untrack(s, tracker);
          tracker = this.track(s, accepted, graph, t);
        }
        lease.bind(accepted);
        if (tracker.state === 'unknown') tracker.state = 'queued';
        if (ctx.signal.aborted) throw ctx.signal.reason;
        this.opts.log?.('info', 'submitted to ComfyUI', { videoId: job.videoId, server: s.name, promptId: accepted, submission });
        return encodeJobId({ submission, promptId: accepted, server: s.url });
      } catch (err) {
        if (ctx.signal.aborted) {
          // The runner never learns this id: stop the prompt here so it does not run unseen.
          const sent = tracker?.promptId ?? promptId;
          void s.client.cancel(sent).catch(() => {});
          lease.release();
          this.letGo(s, sent, tracker);
          throw ctx.signal.reason;
        }
        if (err instanceof Unreachable && (await this.knows(s, promptId))) {
          lease.bind(promptId);
          return encodeJobId({ submission, promptId, server: s.url });
        }
        lease.release();
        if (tracker) this.untrack(s, tracker);
        if (err instanceof Unreachable) {
          // A POST that timed out may still land later: withdraw it there (best effort; the id is
          // this video's, so it can never touch another job), then try another server.
          void s.client.cancel(tracker?.promptId ?? promptId).catch(() => {});
          this.pool.markDown(s, err);
          this.opts.log?.('warn', 'ComfyUI server unreachable at submit; trying another', { videoId: job.videoId, server: s.name, err: err.message });
          continue;
        }
        if (err instanceof HttpError) throw new EngineError('engine_error', `ComfyUI on ${s.name}: ${err.message}`, { retryable: true });
        throw err;
      }
    }
  }

  private async resubmit(t: WorkflowTemplate, job: EngineJob, ctx: EngineContext, ref: ComfyJobRef, avoid: ComfyServer | null, why: string): Promise<PollResult> {
    if (ref.submission >= MAX_SUBMISSIONS) {
      throw new EngineError('engine_lost_job', `The job was lost again: ${why}. Méliès already submitted it a second time after the first loss and gives up now; check that ComfyUI server's log (crashes, restarts).`);
    }
    this.opts.log?.('warn', 'submitting a ComfyUI job again', { videoId: job.videoId, why });
    const providerJobId = await this.dispatch(t, job, ctx, ref.submission + 1, avoid);
    return { kind: 'running', providerJobId, progress: this.reported.get(ctx) ?? 0, retryAfterMs: 0 };
  }

  /** The prompt succeeded: its outputs (history, else the `executed` events), downloaded and conformed. */
  private async finish(s: ComfyServer, tracker: PromptTracker, job: EngineJob, ctx: EngineContext): Promise<PollResult> {
    const outputs = tracker.history?.outputs ?? (tracker.finished || Object.keys(tracker.outputs).length ? tracker.outputs : null);
    // ComfyUI writes the history just after execution_success (CM): look again shortly.
    if (!outputs) return { kind: 'running', progress: this.report(ctx, 0.99), retryAfterMs: 100 };
    try {
      const file = await fetchOutput({ client: s.client, outputs, job, workDir: ctx.workDir, media: this.opts.media, signal: ctx.signal, timeoutMs: this.o.downloadTimeoutMs, where: s.name });
      this.untrack(s, tracker);
      this.report(ctx, 1);
      return { kind: 'completed', file };
    } catch (err) {
      if (err instanceof Unreachable) throw new EngineError('output_unavailable', `The video was made on ${s.name} but could not be downloaded (${err.message}); the download is tried again.`, { retryable: true });
      if (err instanceof HttpError) throw new EngineError('engine_bad_output', `The video was made on ${s.name} but ${err.message}.`);
      throw err;
    }
  }

  /** How long to wait for an event before looking over HTTP. */
  private wait(tracker: PromptTracker): number {
    if (this.due(tracker)) return 0;
    return Math.max(0, Math.min(1000, this.o.historyPollMs - (Date.now() - Math.max(tracker.lastEventAt, tracker.lastCheckAt))));
  }

  /**
   * Whether to ask over HTTP now: the socket may have missed events (new tracker, reconnect), has
   * been quiet for a poll interval (dropped, or a long node), or a success still lacks its history.
   */
  private due(tracker: PromptTracker): boolean {
    if (tracker.state === 'succeeded') return !tracker.history;
    if (tracker.terminal) return false;
    return tracker.stale || Date.now() - Math.max(tracker.lastEventAt, tracker.lastCheckAt) >= this.o.historyPollMs;
  }

  /**
   * Where a server has a prompt, null if nowhere. History first (done?), then the queue (waiting or
   * running?), then history again: a prompt can finish between the two reads, and ComfyUI writes
   * its history before it leaves the queue. Network failures are thrown (Unreachable).
   */
  private async whereabouts(s: ComfyServer, id: string): Promise<{ done: HistoryEntry } | { queued: { running: boolean } } | null> {
    const h = await s.client.history(id);
    if (h) return { done: h };
    const q = await s.client.queue();
    s.queueRemaining = q.queue_running.length + q.queue_pending.length;
    const running = q.queue_running.some((i) => i[1] === id);
    if (running || q.queue_pending.some((i) => i[1] === id)) return { queued: { running } };
    const again = await s.client.history(id);
    return again ? { done: again } : null;
  }

  private async checkPrompt(s: ComfyServer, tracker: PromptTracker): Promise<void> {
    tracker.lastCheckAt = Date.now();
    const id = tracker.promptId;
    try {
      const w = await this.whereabouts(s, id);
      if (!w) tracker.forgotten();
      else if ('queued' in w) {
        tracker.seenInQueue(w.queued.running);
        this.pool.attach(s, id); // re-attached after a restart: the GPU is busy with it
      } else {
        tracker.fromHistory(w.done);
        this.pool.finished(s, id);
      }
      tracker.stale = false;
      tracker.unreachableSince = null;
      if (s.health !== 'up') void this.pool.check(s);
    } catch (err) {
      if (err instanceof Unreachable) {
        tracker.unreachableSince ??= Date.now();
        this.pool.markDown(s, err);
      } else this.opts.log?.('warn', 'ComfyUI answered oddly about a prompt', { server: s.name, promptId: id, err: (err as Error).message });
    }
  }

  /** Whether a server has the prompt (queued, running or done); false when it cannot say. */
  private async knows(s: ComfyServer, promptId: string): Promise<boolean> {
    try {
      return (await this.whereabouts(s, promptId)) !== null;
    } catch {
      return false;
    }
  }

  private async locate(promptId: string): Promise<ComfyServer | null> {
    const up = this.pool.servers.filter((s) => s.health === 'up');
    const hits = await Promise.all(up.map(async (s) => ((await this.knows(s, promptId)) ? s : null)));
    return hits.find(Boolean) ?? null;
  }

  private track(s: ComfyServer, promptId: string, graph: ApiGraph, t: WorkflowTemplate): PromptTracker {
    let tracker = s.trackers.get(promptId);
    if (!tracker) {
      tracker = new PromptTracker(promptId, graph, t.mapping.progress);
      s.trackers.set(promptId, tracker);
    }
    return tracker;
  }

  private untrack(s: ComfyServer, tracker: PromptTracker): void {
    if (s.trackers.get(tracker.promptId) === tracker) s.trackers.delete(tracker.promptId);
  }

  /**
   * Done with a prompt on a server (cancelled, moved elsewhere): stop following it and free its GPU
   * slot. `tracker` is the one the caller made, null if it made none yet; left out, the server's.
   */
  private letGo(s: ComfyServer, promptId: string, tracker: PromptTracker | null | undefined = s.trackers.get(promptId)): void {
    if (tracker) this.untrack(s, tracker);
    this.pool.finished(s, promptId);
  }

  /** Progress only rises within one run, across resubmissions too. */
  private report(ctx: EngineContext, p: number): number {
    const v = Math.max(this.reported.get(ctx) ?? 0, p);
    this.reported.set(ctx, v);
    ctx.reportProgress(v);
    return v;
  }
}

