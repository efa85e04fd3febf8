// The GPU pool: every configured ComfyUI server, its health (GET /system_stats, /queue), which
// templates it can run (GET /object_info, checked on first contact and now and then), and how
// busy it is. A job waits here for a server that can run its template and has a free slot
// (per-server concurrency, 1 by default, so the queue stays in Méliès where it is durable, fair
// and cancellable); among free servers the least loaded, then the least recently used, wins.
// Waiters are served in arrival order, which is the queue's fair claim order.
//
// Several workers may share the GPUs: a server's slots are then also a leased semaphore in the
// Coordination store (`comfyui:gpu:<url>`, Redis in distributed mode), taken before a job is sent
// and held (renewed every third of `slotTtlMs`) until its prompt leaves the GPU, so two workers
// never send a server more than its concurrency. A worker that dies stops renewing: its slots come
// back after the TTL (ComfyUI's own queue count meanwhile still shows the GPU busy with its prompt).
// In one process the store is memory and never refuses what the local count allows.
import { randomUUID } from 'node:crypto';
import type { Coordination } from '../../coordination/coordination.js';
import { MemoryCoordination } from '../../coordination/memory/memory.coordination.js';
import { EngineError } from '../../domain/errors.js';
import type { ComfyuiServerConfig } from '../../config/comfyui.config.js';
import { ComfyClient, ComfySocket, type SocketMessage, type SystemStats } from './comfyui.client.js';
import type { PromptTracker } from './prompt-tracker.js';
import { validateTemplate, type TemplateProblem } from './template-validation.js';
import type { WorkflowTemplate } from './workflow-template.js';

export interface PoolOptions {
  clientId: string;
  requestTimeoutMs: number;
  healthIntervalMs: number;
  revalidateMs: number;
  unavailableAfterMs: number;
  /** Where GPU slots are counted across workers (default: this process's memory). */
  coordination?: Coordination;
  /** A dead worker's GPU slot is free again after this (default 30 s). */
  slotTtlMs?: number;
  /** How often a waiting job looks for a slot another worker freed (default 500 ms). */
  slotRetryMs?: number;
  log?: (level: 'info' | 'warn' | 'error', msg: string, extra?: Record<string, unknown>) => void;
}

const DONE_EVENTS = new Set(['execution_success', 'execution_error', 'execution_interrupted']);

export class ComfyServer {
  readonly client: ComfyClient;
  readonly socket: ComfySocket;
  health: 'unknown' | 'up' | 'down' = 'unknown';
  downSince: number | null = null;
  lastError: string | null = null;
  checkedAt: number | null = null;
  stats: SystemStats | null = null;
  validatedAt = 0;
  /** Per template id: why it cannot run here (empty: it can). Absent until object_info was read. */
  readonly problems = new Map<string, TemplateProblem[]>();
  /** Our prompts queued or running there (prompt id → since when). */
  readonly inFlight = new Map<string, number>();
  /** Slots handed to jobs that are uploading or submitting right now. */
  reserved = 0;
  /** The shared slot each of our prompts there holds (prompt id → holder id). */
  readonly slotHolders = new Map<string, string>();
  /** ComfyUI's own count of pending + running prompts (ours and anyone else's). */
  queueRemaining = 0;
  lastAssigned = 0;
  readonly trackers = new Map<string, PromptTracker>();
  checking: Promise<void> | null = null;

  constructor(readonly config: ComfyuiServerConfig, opts: PoolOptions, on: (s: ComfyServer) => { message(m: SocketMessage): void; open(): void; close(): void }) {
    this.client = new ComfyClient(config.url, opts.requestTimeoutMs);
    this.socket = new ComfySocket(this.client.socketUrl(opts.clientId), on(this));
  }

  /** Without trailing slashes (the config schema strips them): the key stored job ids name. */
  get url(): string { return this.config.url; }
  get concurrency(): number { return this.config.concurrency; }
  /** Its semaphore in the Coordination store. */
  get slotName(): string { return `comfyui:gpu:${this.url}`; }
  /** The operator's label, else host:port: what messages and the engines panel show. */
  get name(): string {
    if (this.config.label) return this.config.label;
    try { return new URL(this.url).host; } catch { return this.url; }
  }

  load(): number { return this.reserved + Math.max(this.inFlight.size, this.queueRemaining); }

  canRun(templateId: string): boolean {
    if (this.health !== 'up') return false;
    if (this.config.templates && !this.config.templates.includes(templateId)) return false;
    return this.problems.get(templateId)?.length === 0;
  }

  /** Why it cannot run a template right now, in a sentence. */
  whyNot(templateId: string): string {
    if (this.health !== 'up') return `${this.name}: ${this.health === 'down' ? `unreachable (${this.lastError ?? 'no answer'})` : 'not checked yet'}`;
    if (this.config.templates && !this.config.templates.includes(templateId)) return `${this.name}: not configured for this template`;
    const p = this.problems.get(templateId);
    if (!p) return `${this.name}: its nodes and models were not read yet`;
    return p.map((x) => x.message).join(' ');
  }
}

/** A reserved slot on a server: bound to the prompt once submitted, or given back. */
export class Lease {
  private settled = false;
  constructor(readonly server: ComfyServer, private readonly pool: ServerPool, private readonly holder: string) {}

  bind(promptId: string): void {
    if (this.settled) return;
    this.settled = true;
    this.server.reserved--;
    this.server.inFlight.set(promptId, Date.now());
    this.server.slotHolders.set(promptId, this.holder);
  }

  release(): void {
    if (this.settled) return;
    this.settled = true;
    this.server.reserved--;
    this.pool.freeSlot(this.server, this.holder);
  }
}

interface Waiter {
  templateId: string;
  modelId: string;
  avoid: ComfyServer | null;
  resolve(lease: Lease): void;
  reject(err: unknown): void;
  signal: AbortSignal;
  onAbort(): void;
  unrunnableSince: number | null;
}

export class ServerPool {
  readonly servers: ComfyServer[];
  private readonly waiters: Waiter[] = [];
  private timer: NodeJS.Timeout | null = null;
  private seq = 0;
  private stopped = false;
  private readonly store: Coordination;
  private readonly slotTtlMs: number;
  /** Shared slots this process holds (holder → slot name), renewed while held. */
  private readonly holding = new Map<string, string>();
  private renewTimer: NodeJS.Timeout | null = null;
  private dispatching = false;
  private dispatchAgain = false;
  private retryTimer: NodeJS.Timeout | null = null;

  constructor(configs: ComfyuiServerConfig[], private readonly templates: WorkflowTemplate[], private readonly opts: PoolOptions) {
    this.store = opts.coordination ?? new MemoryCoordination();
    this.slotTtlMs = opts.slotTtlMs ?? 30_000;
    this.servers = configs.map((c) => new ComfyServer(c, opts, (s) => ({
      message: (m) => this.onMessage(s, m),
      open: () => { for (const t of s.trackers.values()) { t.stale = true; t.wake(); } },
      close: () => { for (const t of s.trackers.values()) t.wake(); },
    })));
  }

  /** Checks every server side by side; never throws (an unreachable one is just down). */
  async start(): Promise<void> {
    this.stopped = false;
    await Promise.all(this.servers.map((s) => this.check(s)));
    this.timer = setInterval(() => { for (const s of this.servers) void this.check(s); }, this.opts.healthIntervalMs);
    this.timer.unref();
    this.renewTimer = setInterval(() => {
      for (const [holder, name] of this.holding) void this.store.renew(name, holder, this.slotTtlMs).catch(() => {});
    }, Math.max(1, Math.floor(this.slotTtlMs / 3)));
    this.renewTimer.unref();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    // Slots of prompts still on the GPUs are not given back: they run out unless a worker re-attaches.
    if (this.renewTimer) clearInterval(this.renewTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.holding.clear();
    for (const s of this.servers) s.socket.stop();
    for (const w of this.waiters.splice(0)) {
      w.signal.removeEventListener('abort', w.onAbort);
      w.reject(new EngineError('engine_unavailable', 'The ComfyUI engine is shutting down.', { retryable: true }));
    }
  }

  byUrl(url: string): ComfyServer | undefined {
    return this.servers.find((s) => s.url === url);
  }

  anyCanRun(templateId: string): boolean {
    return this.servers.some((s) => s.canRun(templateId));
  }

  get waiting(): number { return this.waiters.length; }

  /** Health, load and template validation of one server (one check at a time per server). */
  check(s: ComfyServer): Promise<void> {
    s.checking ??= this.runCheck(s).finally(() => { s.checking = null; });
    return s.checking;
  }

  private async runCheck(s: ComfyServer): Promise<void> {
    const startedAt = Date.now();
    try {
      s.stats = await s.client.systemStats();
      const q = await s.client.queue();
      const present = new Set([...q.queue_running, ...q.queue_pending].map((i) => i[1]));
      s.queueRemaining = present.size;
      // Prompts that left the queue since we sent them are done (or lost): their slot is free
      // even if no job is polling them any more (a job aborted at shutdown, say).
      for (const [id, since] of s.inFlight) if (since < startedAt && !present.has(id)) this.leftGpu(s, id);
      if (s.health !== 'up' || Date.now() - s.validatedAt > this.opts.revalidateMs) await this.validate(s);
      if (s.health !== 'up') this.opts.log?.('info', 'ComfyUI server is up', { server: s.name, version: s.stats.system?.comfyui_version });
      s.health = 'up';
      s.downSince = null;
      s.lastError = null;
      if (!this.stopped) s.socket.start();
    } catch (err) {
      this.markDown(s, err);
    } finally {
      s.checkedAt = Date.now();
      this.dispatch();
    }
  }

  private async validate(s: ComfyServer): Promise<void> {
    const info = await s.client.objectInfo();
    for (const t of this.templates) {
      const problems = validateTemplate(t, info, s.name);
      const before = s.problems.get(t.id);
      s.problems.set(t.id, problems);
      if (problems.length && JSON.stringify(before) !== JSON.stringify(problems)) {
        this.opts.log?.('warn', `ComfyUI template ${t.modelId} cannot run on ${s.name}`, { problems: problems.map((p) => p.message) });
      }
    }
    s.validatedAt = Date.now();
  }

  markDown(s: ComfyServer, err: unknown): void {
    const message = err instanceof Error ? err.message : String(err);
    if (s.health !== 'down') this.opts.log?.('warn', 'ComfyUI server is down', { server: s.name, err: message });
    s.health = 'down';
    s.downSince ??= Date.now();
    s.lastError = message;
  }

  /** Waits for a free slot on a server that can run the template (see the file comment). */
  acquire(t: WorkflowTemplate, signal: AbortSignal, avoid: ComfyServer | null = null): Promise<Lease> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      const w: Waiter = {
        templateId: t.id, modelId: t.modelId, avoid, resolve, reject, signal, unrunnableSince: null,
        onAbort: () => {
          const i = this.waiters.indexOf(w);
          if (i >= 0) this.waiters.splice(i, 1);
          reject(signal.reason);
        },
      };
      signal.addEventListener('abort', w.onAbort, { once: true });
      this.waiters.push(w);
      this.dispatch();
    });
  }

  /**
   * A prompt left a server (done, failed, cancelled, lost): its slot goes to the next waiter at
   * once. ComfyUI still counts it for the few ms until it has written the history; the next
   * `status` message corrects the count, and a prompt sent meanwhile just starts right after.
   */
  finished(s: ComfyServer, promptId: string): void {
    if (!this.leftGpu(s, promptId)) return;
    s.queueRemaining = Math.max(0, s.queueRemaining - 1);
  }

  /** A prompt found on a server after a restart (or by another worker): the GPU is busy with it. */
  attach(s: ComfyServer, promptId: string): void {
    if (s.inFlight.has(promptId)) return;
    s.inFlight.set(promptId, Date.now());
    // Held whatever the count: it runs already. Its holder is the prompt, whichever worker follows it.
    s.slotHolders.set(promptId, promptId);
    this.holding.set(promptId, s.slotName);
    void this.store.renew(s.slotName, promptId, this.slotTtlMs).catch(() => {});
  }

  /** Forgets a prompt that left a server and frees its slot; false if it was not ours in flight. */
  private leftGpu(s: ComfyServer, promptId: string): boolean {
    const holder = s.slotHolders.get(promptId);
    s.slotHolders.delete(promptId);
    const was = s.inFlight.delete(promptId);
    if (holder) this.freeSlot(s, holder);
    else if (was) this.dispatch();
    return was;
  }

  /** Gives a shared slot back and lets the next waiter have it. */
  freeSlot(s: ComfyServer, holder: string): void {
    this.holding.delete(holder);
    // Awaited before dispatching, so the next waiter's acquire finds the slot free.
    void this.store.release(s.slotName, holder).catch(() => {}).finally(() => this.dispatch());
  }

  /** Hands free slots to waiters; one pass at a time (a call during a pass runs another after it). */
  dispatch(): void {
    if (this.dispatching) {
      this.dispatchAgain = true;
      return;
    }
    this.dispatching = true;
    void this.dispatchPass()
      .catch((err) => this.opts.log?.('error', 'ComfyUI dispatch failed', { err: (err as Error).message }))
      .finally(() => {
        this.dispatching = false;
        if (this.dispatchAgain) {
          this.dispatchAgain = false;
          this.dispatch();
        }
      });
  }

  private async dispatchPass(): Promise<void> {
    const now = Date.now();
    let heldElsewhere = false;
    for (const w of [...this.waiters]) {
      if (!this.waiters.includes(w)) continue; // aborted during an earlier acquire
      const able = this.servers.filter((s) => s !== w.avoid && s.canRun(w.templateId));
      if (able.length === 0) {
        if (w.unrunnableSince === null) {
          w.unrunnableSince = now;
          setTimeout(() => this.dispatch(), this.opts.unavailableAfterMs + 5).unref();
        } else if (now - w.unrunnableSince >= this.opts.unavailableAfterMs) {
          this.remove(w);
          w.reject(this.unavailable(w.templateId, w.modelId, now - w.unrunnableSince));
        }
        continue;
      }
      w.unrunnableSince = null;
      const free = able.filter((s) => s.load() < s.concurrency).sort((a, b) => a.load() - b.load() || a.lastAssigned - b.lastAssigned);
      for (const s of free) {
        if (s.load() >= s.concurrency) continue; // taken while an earlier acquire was awaited
        s.reserved++;
        const holder = randomUUID();
        const got = await this.store.tryAcquire(s.slotName, holder, s.concurrency, this.slotTtlMs).catch((err: Error) => {
          this.opts.log?.('warn', 'cannot reach the shared GPU slots; the job waits', { server: s.name, err: err.message });
          return false;
        });
        if (!got) {
          s.reserved--;
          heldElsewhere = true;
          continue;
        }
        if (!this.waiters.includes(w) || this.stopped) {
          s.reserved--;
          await this.store.release(s.slotName, holder).catch(() => {});
          break;
        }
        this.holding.set(holder, s.slotName);
        s.lastAssigned = ++this.seq;
        this.remove(w);
        w.resolve(new Lease(s, this, holder));
        break;
      }
    }
    // Another worker holds what looked free here: its release is seen on the next try.
    if (heldElsewhere && this.waiters.length > 0 && !this.stopped && !this.retryTimer) {
      this.retryTimer = setTimeout(() => { this.retryTimer = null; this.dispatch(); }, this.opts.slotRetryMs ?? 500);
      this.retryTimer.unref();
    }
  }

  private remove(w: Waiter): void {
    const i = this.waiters.indexOf(w);
    if (i >= 0) this.waiters.splice(i, 1);
    w.signal.removeEventListener('abort', w.onAbort);
  }

  unavailable(templateId: string, modelId: string, waitedMs: number): EngineError {
    const reasons = this.servers.map((s) => s.whyNot(templateId)).join('; ');
    return new EngineError('engine_unavailable', `No ComfyUI server could run ${modelId} for ${Math.round(waitedMs / 1000)} s: ${reasons || 'no servers are configured'}`);
  }

  private onMessage(s: ComfyServer, m: SocketMessage): void {
    if (m.type === 'status') {
      const remaining = (m.data.status as { exec_info?: { queue_remaining?: unknown } } | undefined)?.exec_info?.queue_remaining;
      if (typeof remaining === 'number') {
        s.queueRemaining = remaining;
        this.dispatch();
      }
      return;
    }
    const id = m.data.prompt_id;
    if (typeof id !== 'string') return;
    s.trackers.get(id)?.handle(m.type, m.data);
    // The GPU is free as soon as ComfyUI is done with it; the download happens after.
    if (DONE_EVENTS.has(m.type) || (m.type === 'executing' && m.data.node === null)) this.finished(s, id);
  }
}
