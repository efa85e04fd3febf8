// Webhook use cases (issue 14 §5): a user's endpoints (register, change, disable, rotate the
// secret, send a test), their delivery log, and emission. Emission is durable and cheap: it only
// inserts delivery rows (one per subscribed endpoint) that the delivery loop sends later
// (jobs/deliver-webhook.job.ts), so nothing a receiver does can slow a video job down.
//
// Endpoints belong to their owner alone: another user's id is a 404, as if it did not exist.
import { createHash } from 'node:crypto';
import type { Principal } from '../domain/account.js';
import { ApiError } from '../domain/errors.js';
import type { Video } from '../domain/video.js';
import {
  TEST_EVENT, WEBHOOK_EVENTS, eventBody, isWebhookEvent, newDeliveryId, newEndpointId, newEventId, newWebhookSecret, videoEventId,
  type WebhookDelivery, type WebhookEndpoint, type WebhookEventData, type WebhookEventType,
} from '../domain/webhook.js';
import type { NewDelivery, WebhookRepo } from '../db/webhook.repo.js';
import type { AuditLog } from './accounts/audit-log.js';

export interface WebhookServiceDeps {
  repo: WebhookRepo;
  /** Why a URL may not be an endpoint (net/safe-post.ts refuseWebhookUrl, with the server's SSRF setting), or null. */
  checkUrl: (url: string) => Promise<string | null>;
  audit: AuditLog;
  log: (level: 'info' | 'warn' | 'error', msg: string, extra?: Record<string, unknown>) => void;
  /** Tells this process's delivery loop there is something to send (other processes poll). */
  wake?: () => void;
  /** How far back the recovery sweep looks: the retry window (older events would be given up anyway). */
  retryWindowMs: number;
  now?: () => number;
  /** Endpoints per user. */
  maxEndpoints?: number;
}

/** An endpoint as the API shows it (never its secret). */
export interface WireEndpoint {
  id: string;
  url: string;
  events: WebhookEventType[];
  description: string;
  status: 'active' | 'disabled';
  disabled_reason: string | null;
  created_at: number;
}

export interface WireDelivery {
  id: string;
  event_type: string;
  event_id: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  last_status_code: number | null;
  last_latency_ms: number | null;
  last_error: string | null;
  created_at: number;
  next_attempt_at: number | null;
  delivered_at: number | null;
}

const seconds = (ms: number) => Math.floor(ms / 1000);

/**
 * A URL as the audit log and the operator's logs show it: receivers often put a token in the
 * query string, which is the user's secret, not the operator's business.
 */
export function urlForRecords(raw: string): string {
  try {
    const u = new URL(raw);
    // Slack, Discord and Zapier put their token in the path: records keep the origin and a digest.
    const path = u.pathname === '/' && !u.search ? '' : `/…#${createHash('sha256').update(`${u.pathname}${u.search}`).digest('hex').slice(0, 12)}`;
    return `${u.origin}${path}`;
  } catch {
    return '(invalid URL)';
  }
}

export const endpointWire = (e: WebhookEndpoint): WireEndpoint => ({
  id: e.id, url: e.url, events: e.events, description: e.description, status: e.status, disabled_reason: e.disabledReason, created_at: seconds(e.createdAt),
});

export const deliveryWire = (d: WebhookDelivery): WireDelivery => ({
  id: d.id, event_type: d.eventType, event_id: d.eventId, status: d.status, attempts: d.attempts, last_status_code: d.lastStatusCode,
  last_latency_ms: d.lastLatencyMs, last_error: d.lastError, created_at: seconds(d.createdAt),
  next_attempt_at: d.status === 'pending' ? seconds(d.nextAttemptAt) : null, delivered_at: d.deliveredAt === null ? null : seconds(d.deliveredAt),
});

export interface EndpointInput {
  url?: unknown;
  events?: unknown;
  description?: unknown;
  enabled?: unknown;
}

const MAX_URL = 2048;
const MAX_DESCRIPTION = 500;

function parseUrl(v: unknown): string {
  if (typeof v !== 'string' || !v.trim()) throw ApiError.badRequest("Give 'url': the https:// address that receives the events.", 'url');
  const url = v.trim();
  if (url.length > MAX_URL) throw ApiError.badRequest(`'url' is too long (at most ${MAX_URL} characters).`, 'url');
  return url;
}

function parseEvents(v: unknown): WebhookEventType[] {
  if (!Array.isArray(v) || v.length === 0) throw ApiError.badRequest(`Give 'events': a list of one or more of ${WEBHOOK_EVENTS.join(', ')}.`, 'events');
  for (const e of v) {
    if (!isWebhookEvent(e)) throw ApiError.badRequest(`Unknown event ${JSON.stringify(e).slice(0, 60)} in 'events': expected ${WEBHOOK_EVENTS.join(', ')}.`, 'events');
  }
  return WEBHOOK_EVENTS.filter((e) => v.includes(e));
}

function parseDescription(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw ApiError.badRequest("'description' must be text.", 'description');
  if (v.length > MAX_DESCRIPTION) throw ApiError.badRequest(`'description' is too long (at most ${MAX_DESCRIPTION} characters).`, 'description');
  return v;
}

const asBody = (body: unknown): EndpointInput => {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw ApiError.badRequest('Send a JSON object.');
  return body as EndpointInput;
};

export class WebhookService {
  private readonly now: () => number;

  constructor(private readonly deps: WebhookServiceDeps) {
    this.now = deps.now ?? Date.now;
  }

  async list(who: Principal): Promise<WireEndpoint[]> {
    return (await this.deps.repo.listEndpoints(who.userId)).map(endpointWire);
  }

  async create(who: Principal, body: unknown): Promise<WireEndpoint & { secret: string }> {
    const input = asBody(body);
    const url = await this.checkedUrl(input.url);
    const events = parseEvents(input.events);
    const description = parseDescription(input.description);
    const max = this.deps.maxEndpoints ?? 20;
    if (await this.deps.repo.countEndpoints(who.userId) >= max) {
      throw new ApiError(400, `You have ${max} webhook endpoints, the most one account may have: delete one first.`, { code: 'webhook_limit_reached' });
    }
    const at = this.now();
    const endpoint: WebhookEndpoint = {
      id: newEndpointId(), ownerId: who.userId, url, events, description, status: 'active', disabledReason: null, secret: newWebhookSecret(),
      subscribedSince: at, lastSuccessAt: null, createdAt: at, updatedAt: at,
    };
    await this.deps.repo.insertEndpoint(endpoint);
    await this.record(who, 'webhook.create', endpoint.id, { url: urlForRecords(url), events });
    return { ...endpointWire(endpoint), secret: endpoint.secret };
  }

  async update(who: Principal, id: string, body: unknown): Promise<WireEndpoint> {
    const current = await this.owned(who, id);
    const input = asBody(body);
    if (input.enabled !== undefined && typeof input.enabled !== 'boolean') throw ApiError.badRequest("'enabled' must be true or false.", 'enabled');
    const url = input.url === undefined ? undefined : await this.checkedUrl(input.url);
    const events = input.events === undefined ? undefined : parseEvents(input.events);
    const description = input.description === undefined ? undefined : parseDescription(input.description);
    const at = this.now();
    if (input.enabled === false && current.status === 'active') await this.deps.repo.disableEndpoint(id, 'disabled by its owner', at);
    const enabling = input.enabled === true && current.status === 'disabled';
    const newEvents = events !== undefined && events.some((e) => !current.events.includes(e));
    const updated = await this.deps.repo.updateEndpoint(id, {
      url, events, description,
      ...(enabling ? { status: 'active' as const, disabledReason: null } : {}),
      // Events from before (the disabled time, a newly chosen event's past) are never sent late.
      ...(enabling || newEvents ? { subscribedSince: at } : {}),
    }, at);
    if (!updated) throw this.notFound(id);
    await this.record(who, 'webhook.update', id, {
      ...(url !== undefined ? { url: urlForRecords(url) } : {}), ...(events !== undefined ? { events } : {}), ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
    });
    return endpointWire(updated);
  }

  async remove(who: Principal, id: string): Promise<void> {
    const e = await this.owned(who, id);
    await this.deps.repo.deleteEndpoint(id);
    await this.record(who, 'webhook.delete', id, { url: urlForRecords(e.url) });
  }

  /** A new secret, effective at once: every later attempt (retries too) is signed with it alone. */
  async rotate(who: Principal, id: string): Promise<{ secret: string }> {
    await this.owned(who, id);
    const secret = newWebhookSecret();
    await this.deps.repo.updateEndpoint(id, { secret }, this.now());
    await this.record(who, 'webhook.rotate_secret', id);
    return { secret };
  }

  /** Queues a `webhook.test` event to this endpoint (whatever it subscribed to). */
  async test(who: Principal, id: string): Promise<{ delivery_id: string }> {
    const e = await this.owned(who, id);
    if (e.status !== 'active') throw new ApiError(400, `This endpoint is disabled (${e.disabledReason ?? 'no reason given'}): enable it first.`, { code: 'webhook_disabled' });
    const at = this.now();
    const eventId = newEventId();
    const delivery: NewDelivery = {
      id: newDeliveryId(), endpointId: e.id, eventId, eventType: TEST_EVENT, subjectId: null,
      payload: eventBody(TEST_EVENT, eventId, { id: e.id }, at),
    };
    await this.deps.repo.insertDeliveries([delivery], at);
    this.deps.wake?.();
    return { delivery_id: delivery.id };
  }

  async deliveries(who: Principal, id: string, limit = 100): Promise<WireDelivery[]> {
    await this.owned(who, id);
    return (await this.deps.repo.listDeliveries(id, limit)).map(deliveryWire);
  }

  /**
   * Sends `type` to every active endpoint of `ownerId` subscribed to it: inserts one delivery row
   * each (durable as soon as this resolves) and returns the event's id. For `video.published`
   * `data` is `{ id: videoId }`; for `video.remixed`, sent to the parent's owner,
   * `{ id: parentVideoId, remix_id: newVideoId }`. `eventId` makes a repeated call one event.
   */
  async emit(ownerId: string, type: WebhookEventType, data: WebhookEventData, opts: { eventId?: string; at?: number; subjectId?: string } = {}): Promise<string> {
    const at = opts.at ?? this.now();
    const eventId = opts.eventId ?? newEventId();
    const endpoints = (await this.deps.repo.activeEndpoints(ownerId)).filter((e) => e.events.includes(type) && e.subscribedSince <= at);
    if (!endpoints.length) return eventId;
    const payload = eventBody(type, eventId, data, at);
    const inserted = await this.deps.repo.insertDeliveries(endpoints.map((e) => ({
      id: newDeliveryId(), endpointId: e.id, eventId, eventType: type, subjectId: opts.subjectId ?? data.id, payload,
    })), this.now());
    if (inserted) this.deps.wake?.();
    return eventId;
  }

  /**
   * A video reached completed or failed (VideoRepo's complete/fail, wired in app/). Its event id
   * comes from the video, so a second emission (the recovery sweep) adds nothing. Never throws:
   * the video's own state is already written; a lost emission is found again by recoverMissed.
   */
  async videoFinished(video: Video): Promise<void> {
    if (video.status !== 'completed' && video.status !== 'failed') return;
    const type = video.status === 'completed' ? 'video.completed' : 'video.failed';
    try {
      await this.emit(video.ownerId, type, { id: video.id }, { eventId: videoEventId(type, video.id), at: video.completedAt ?? this.now() });
    } catch (err) {
      this.deps.log('warn', 'could not queue a webhook event; the recovery sweep will', { videoId: video.id, type, err: String(err) });
    }
  }

  /**
   * The recovery sweep: finished videos of the retry window whose event no delivery row holds for
   * an endpoint subscribed at the time (the process died between the row and the emission).
   */
  async recoverMissed(): Promise<number> {
    const missed = await this.deps.repo.missedVideoEvents(this.now() - this.deps.retryWindowMs, 500);
    let recovered = 0;
    for (const m of missed) {
      const type = m.status === 'completed' ? 'video.completed' as const : 'video.failed' as const;
      if (!m.events.includes(type)) continue;
      const eventId = videoEventId(type, m.videoId);
      recovered += await this.deps.repo.insertDeliveries([{
        id: newDeliveryId(), endpointId: m.endpointId, eventId, eventType: type, subjectId: m.videoId,
        payload: eventBody(type, eventId, { id: m.videoId }, m.completedAt),
      }], this.now());
    }
    if (recovered) this.deps.wake?.();
    return recovered;
  }

  /** The delivery loop turned an endpoint off: the audit log and the operator's logs say why. */
  async endpointDisabled(endpointId: string, reason: string): Promise<void> {
    const e = await this.deps.repo.getEndpoint(endpointId);
    const url = e ? urlForRecords(e.url) : null;
    this.deps.log('warn', 'webhook endpoint disabled', { endpointId, ownerId: e?.ownerId, url, reason });
    await this.deps.audit.record({ actor: null, action: 'webhook.disabled', target: { type: 'webhook_endpoint', id: endpointId }, details: { owner: e?.ownerId ?? null, url, reason } });
  }

  private async checkedUrl(v: unknown): Promise<string> {
    const url = parseUrl(v);
    const refused = await this.deps.checkUrl(url);
    if (refused) throw new ApiError(400, `This webhook URL ${refused}.`, { param: 'url', code: 'invalid_webhook_url' });
    return url;
  }

  private async owned(who: Principal, id: string): Promise<WebhookEndpoint> {
    const e = await this.deps.repo.getEndpoint(id);
    if (!e || e.ownerId !== who.userId) throw this.notFound(id);
    return e;
  }

  private notFound(id: string): ApiError {
    return ApiError.notFound(`No webhook endpoint found with id '${id.slice(0, 100)}'.`, 'id');
  }

  private async record(who: Principal, action: string, id: string, details?: Record<string, unknown>): Promise<void> {
    await this.deps.audit.record({ actor: who.via === 'local' ? null : who, action, target: { type: 'webhook_endpoint', id }, ...(details ? { details } : {}) });
  }
}
