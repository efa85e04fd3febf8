// The webhook delivery loop: claims due delivery rows (db/webhook.repo.ts), signs each with the
// endpoint's secret per Standard Webhooks (the `standardwebhooks` library: webhook-id stays the
// event's id on every retry, webhook-timestamp is the attempt's), POSTs it through the SSRF guard,
// and records the outcome. Failures are retried with exponential backoff and jitter until the
// retry window (72 h by default) is over; then the endpoint is disabled with a notice, unless it
// has succeeded since that event was emitted (one poisoned event does not turn off a live endpoint).
//
// Nothing here runs inside a video job: emission only inserts rows. Deliveries run at most
// `concurrency` at once in this process and at most `perEndpoint` to any one endpoint, each bounded
// by `timeoutMs`, so a slow endpoint holds a couple of slots and never the others'.
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { ClaimedDelivery, WebhookRepo } from '../db/webhook.repo.js';

export interface DeliverWebhookDeps {
  repo: WebhookRepo;
  /** The POST itself (net/safe-post.ts in app/): never throws; null status when nothing answered. */
  post: (url: string, body: string, headers: Record<string, string>, signal: AbortSignal) => Promise<{ statusCode: number | null; error: string | null }>;
  /** An endpoint turned off (410, or the retry window is over): the audit log and the logs hear of it. */
  onDisabled: (endpointId: string, reason: string) => Promise<void>;
  /** Re-emits finished videos' events a dead process never emitted (services/webhook.service.ts). */
  recoverMissed?: () => Promise<number>;
  log: (level: 'info' | 'warn' | 'error', msg: string, extra?: Record<string, unknown>) => void;
  now?: () => number;
  random?: () => number;
  timeoutMs: number;
  concurrency: number;
  perEndpoint?: number;
  pollIntervalMs: number;
  /** First retry after about this long; each next one doubles, up to retryMaxMs. */
  retryBaseMs: number;
  retryMaxMs?: number;
  /** How long after its event a delivery keeps being tried. */
  retryWindowMs: number;
  /** How often the recovery sweep and the log pruning run. */
  sweepIntervalMs?: number;
  /** How long the delivery log keeps finished rows. */
  keepMs?: number;
}

export interface WebhookDelivery {
  start(): Promise<void>;
  /** Something was emitted in this process: look now instead of at the next poll. */
  wake(): void;
  /** One pass (claim what is due, send it, wait for the answers); for tests with their own clock. */
  runOnce(): Promise<number>;
  /** Stops claiming; what is in flight is aborted and handed back, due at once for the next process. */
  stop(): Promise<void>;
}

/** The delay before attempt `attempts + 1`: base·2^(attempts−1), capped, half of it random ("equal jitter"). */
export function backoffMs(attempts: number, base: number, max: number, random: () => number): number {
  const full = Math.min(max, base * 2 ** Math.max(0, Math.min(attempts - 1, 40)));
  return Math.round(full / 2 + (full / 2) * random());
}

export function makeWebhookDelivery(deps: DeliverWebhookDeps): WebhookDelivery {
  const now = deps.now ?? Date.now;
  const random = deps.random ?? Math.random;
  const perEndpoint = deps.perEndpoint ?? 2;
  const retryMaxMs = deps.retryMaxMs ?? 6 * 3600_000;
  // Longer than any attempt may take, so a live sender's row is never taken from it.
  const leaseMs = deps.timeoutMs + 30_000;
  const inFlight = new Map<string, { endpointId: string; done: Promise<void>; abort: AbortController }>();
  let stopped = true;
  let timer: NodeJS.Timeout | null = null;
  let sweeper: NodeJS.Timeout | null = null;

  const perEndpointCount = () => {
    const n = new Map<string, number>();
    for (const f of inFlight.values()) n.set(f.endpointId, (n.get(f.endpointId) ?? 0) + 1);
    return n;
  };

  async function attempt(c: ClaimedDelivery, signal: AbortSignal): Promise<void> {
    const d = c.delivery;
    const sentAt = now();
    // The library wants a base64 secret with or without `whsec_`; it signs `${id}.${ts}.${body}`.
    const signature = new Webhook(c.secret).sign(d.eventId, new Date(sentAt), d.payload);
    const headers = { 'webhook-id': d.eventId, 'webhook-timestamp': String(Math.floor(sentAt / 1000)), 'webhook-signature': signature };
    const started = performance.now();
    const r = await deps.post(c.url, d.payload, headers, signal);
    const result = { statusCode: r.statusCode, latencyMs: Math.round(performance.now() - started), error: r.error };
    const at = now();
    if (signal.aborted && r.statusCode === null) {
      await deps.repo.release(d.id, c.token, at);
      return;
    }
    if (r.error === null) {
      await deps.repo.markDelivered(d.id, c.token, d.endpointId, result, at);
      return;
    }
    // Standard Webhooks: 410 Gone means "stop sending", at once.
    if (r.statusCode === 410) {
      await deps.repo.markFailed(d.id, c.token, result, at);
      await disable(d.endpointId, 'the endpoint answered 410 Gone');
      return;
    }
    const retryAt = at + backoffMs(d.attempts, deps.retryBaseMs, retryMaxMs, random);
    if (retryAt <= d.createdAt + deps.retryWindowMs) {
      await deps.repo.markRetry(d.id, c.token, result, retryAt, at);
      return;
    }
    await deps.repo.markFailed(d.id, c.token, result, at);
    const hours = Math.round(deps.retryWindowMs / 3600_000);
    const window = hours >= 1 ? `${hours} h` : `${Math.round(deps.retryWindowMs / 1000)} s`;
    if (c.lastSuccessAt === null || c.lastSuccessAt < d.createdAt) {
      await disable(d.endpointId, `deliveries failed for ${window} (${d.attempts} attempts; last: ${r.error})`);
    } else {
      deps.log('warn', 'webhook delivery given up', { endpointId: d.endpointId, deliveryId: d.id, attempts: d.attempts, error: r.error });
    }
  }

  async function disable(endpointId: string, reason: string): Promise<void> {
    if (await deps.repo.disableEndpoint(endpointId, reason, now())) await deps.onDisabled(endpointId, reason);
  }

  /**
   * Claims and starts what is due, as slots allow; returns the started deliveries. One claiming
   * pass at a time in this process (processes race only through the guarded claim).
   */
  let claiming: Promise<Promise<void>[]> | null = null;
  const claimDue = (): Promise<Promise<void>[]> => (claiming ??= claimRounds().finally(() => { claiming = null; }));

  async function claimRounds(): Promise<Promise<void>[]> {
    const started: Promise<void>[] = [];
    // A few rounds: a page may be all one endpoint's rows, of which only `perEndpoint` may go.
    for (let round = 0; round < 4; round++) {
      const free = deps.concurrency - inFlight.size;
      if (free <= 0) break;
      const counts = perEndpointCount();
      const busy = [...counts].filter(([, n]) => n >= perEndpoint).map(([id]) => id);
      const due = await deps.repo.due(now(), free * 4, busy);
      let took = 0;
      for (const row of due) {
        if (inFlight.size >= deps.concurrency) break;
        if ((counts.get(row.endpointId) ?? 0) >= perEndpoint) continue;
        const token = randomBytes(8).toString('hex');
        const claimed = await deps.repo.claim(row.id, token, now(), leaseMs);
        if (!claimed) continue; // another process took it
        counts.set(row.endpointId, (counts.get(row.endpointId) ?? 0) + 1);
        took++;
        const abort = new AbortController();
        const done = attempt(claimed, abort.signal)
          .catch((err) => deps.log('error', 'webhook delivery could not be recorded; it is retried when its claim expires', { deliveryId: row.id, err: String(err) }))
          .finally(() => { inFlight.delete(row.id); schedule(0); });
        inFlight.set(row.id, { endpointId: row.endpointId, done, abort });
        started.push(done);
      }
      if (!took) break;
    }
    return started;
  }

  function schedule(ms: number) {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(tick, ms);
    timer.unref();
  }

  function tick() {
    timer = null;
    if (stopped) return;
    // Deliveries are not awaited here: new rows must not wait for slow ones.
    void claimDue().catch((err) => deps.log('warn', 'webhook delivery pass failed', { err: String(err) }));
    schedule(deps.pollIntervalMs);
  }

  async function sweep() {
    try {
      const recovered = deps.recoverMissed ? await deps.recoverMissed() : 0;
      if (recovered) deps.log('info', 'webhook events a stopped process had not emitted were emitted', { recovered });
      await deps.repo.pruneFinished(now() - (deps.keepMs ?? 30 * 24 * 3600_000));
    } catch (err) {
      deps.log('warn', 'webhook recovery sweep failed', { err: String(err) });
    }
  }

  return {
    async start() {
      if (!stopped) return;
      stopped = false;
      await sweep();
      sweeper = setInterval(() => void sweep(), deps.sweepIntervalMs ?? 10 * 60_000);
      sweeper.unref();
      schedule(0);
    },
    wake() { schedule(0); },
    async runOnce() {
      const started = await claimDue();
      await Promise.all(started);
      return started.length;
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (sweeper) clearInterval(sweeper);
      timer = null;
      sweeper = null;
      const flying = [...inFlight.values()];
      for (const f of flying) f.abort.abort();
      await Promise.all(flying.map((f) => f.done));
    },
  };
}
