// What an operator's Prometheus scrapes from GET /metrics, for API servers and workers alike: HTTP
// latency, open SSE streams, the queue per engine and state, job durations and engine errors,
// plus the process's own (CPU, memory, event-loop lag). Each Metrics owns its own prom-client
// Registry, never the global one, so two servers (or tests) in one process do not mix their series.
//
// Cardinality is bounded on purpose: HTTP series are labelled by the route pattern the router
// matched ('/v1/videos/:id', never the URL a client sent), a method from a fixed list and a status
// class; engines and error codes are the server's own, finite names.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** One row of the queue's counts: jobs of one lane (an engine) in one state. */
export interface QueueStateCount {
  lane: string;
  state: string;
  count: number;
}

export interface MetricsOptions {
  /** The queue's jobs per lane and state, read at each scrape (one query, not per request). */
  queueStates?: () => Promise<QueueStateCount[]>;
  /** Process metrics (CPU, memory, handles, event-loop lag, GC). Default true. */
  processMetrics?: boolean;
  /** Labels on every series of this process (Prometheus' own job/instance labels usually suffice). */
  labels?: Record<string, string>;
}

/** States in which a job waits to start: their sum is a lane's queue depth. */
const WAITING_STATES = new Set(['queued', 'waiting', 'prioritized', 'delayed', 'paused', 'waiting-children']);
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
/** Requests no route matched (a 404, the studio's page for a deep link): one series, whatever the URL. */
export const UNMATCHED_ROUTE = 'unmatched';

export class Metrics {
  readonly registry = new Registry();
  private readonly http: Histogram<'route' | 'method' | 'status_class'>;
  private readonly httpChildren = new Map<string, { observe(v: number): void }>();
  private readonly sse: Gauge;
  private readonly jobs: Histogram<'engine' | 'outcome'>;
  private readonly errors: Counter<'engine' | 'code'>;
  private readonly queue: { read: () => Promise<QueueStateCount[]>; up: Gauge; jobs: Gauge<'lane' | 'state'>; depth: Gauge<'lane'> } | null = null;

  constructor(opts: MetricsOptions = {}) {
    if (opts.labels) this.registry.setDefaultLabels(opts.labels);
    const registers = [this.registry];
    this.http = new Histogram({
      name: 'melies_http_request_duration_seconds', help: 'Time to answer an HTTP request (SSE streams excluded), by matched route pattern, method and status class.',
      labelNames: ['route', 'method', 'status_class'], buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers,
    });
    this.sse = new Gauge({ name: 'melies_sse_clients', help: 'Server-Sent Event streams open on this server.', registers });
    this.jobs = new Histogram({
      name: 'melies_job_duration_seconds', help: 'Time a job ran on this worker, from start to its outcome, by engine.',
      labelNames: ['engine', 'outcome'], buckets: [0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1200, 1800, 3600], registers,
    });
    this.errors = new Counter({ name: 'melies_engine_errors_total', help: 'Errors engines reported, by engine and error code.', labelNames: ['engine', 'code'], registers });

    if (opts.queueStates) {
      // Plain gauges, set from one read of the queue per scrape (scrape() below); a queue that
      // cannot be read (Redis down) leaves them empty and says so in melies_queue_up, instead of
      // failing the scrape.
      this.queue = {
        read: opts.queueStates,
        up: new Gauge({ name: 'melies_queue_up', help: '1 when this scrape could read the queue, 0 when it could not.', registers }),
        jobs: new Gauge({ name: 'melies_queue_jobs', help: 'Jobs in the queue by lane (engine) and state.', labelNames: ['lane', 'state'], registers }),
        depth: new Gauge({ name: 'melies_queue_depth', help: 'Jobs waiting to start, by lane (engine).', labelNames: ['lane'], registers }),
      };
    }
    if (opts.processMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: 'melies_' });
  }

  /** A request answered: `route` is the router's pattern (or UNMATCHED_ROUTE), never the raw URL. */
  observeHttp(route: string, method: string, status: number, seconds: number): void {
    const m = METHODS.has(method) ? method : 'OTHER';
    const cls = status >= 100 && status < 600 ? `${Math.floor(status / 100)}xx` : 'other';
    // The labelled child is looked up once per series: this runs on every request.
    const id = `${route} ${m} ${cls}`;
    let child = this.httpChildren.get(id);
    if (!child) {
      child = this.http.labels(route, m, cls);
      this.httpChildren.set(id, child);
    }
    child.observe(seconds);
  }

  /** An SSE stream opened; call the returned function once when it closes (extra calls do nothing). */
  sseOpened(): () => void {
    this.sse.inc();
    let open = true;
    return () => {
      if (!open) return;
      open = false;
      this.sse.dec();
    };
  }

  /** A job finished on this worker: how long it ran and how it ended ('completed', 'failed', 'cancelled', …). */
  observeJob(engine: string, seconds: number, outcome: string): void {
    this.jobs.observe({ engine, outcome }, seconds);
  }

  /** An engine reported an error; `code` is the server's own (e.g. 'provider_timeout'), not a message. */
  engineError(engine: string, code: string): void {
    this.errors.inc({ engine, code });
  }

  /** The Prometheus text exposition of every series. */
  async scrape(): Promise<string> {
    if (this.queue) {
      const q = this.queue;
      const rows = await q.read().catch(() => null);
      q.up.set(rows ? 1 : 0);
      q.jobs.reset();
      q.depth.reset();
      const depth = new Map<string, number>();
      for (const r of rows ?? []) {
        q.jobs.set({ lane: r.lane, state: r.state }, r.count);
        if (WAITING_STATES.has(r.state)) depth.set(r.lane, (depth.get(r.lane) ?? 0) + r.count);
      }
      for (const [lane, n] of depth) q.depth.set({ lane }, n);
    }
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
