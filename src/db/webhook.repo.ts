// Webhook endpoints and their deliveries (migration 0014). A delivery row is its own durable job:
//
//   pending ──claim (next_attempt_at := now + lease, attempts + 1)──▶ in flight
//      ▲                                                                 │
//      └──── failed attempt, inside the retry window (backoff) ◀─────────┤
//                                   delivered (2xx) ◀────────────────────┤
//                 failed (window over, 410, endpoint disabled) ◀─────────┘
//
// The claim is one guarded UPDATE, so any number of processes on PostgreSQL (or one on SQLite)
// can race for a row and exactly one wins; a sender that dies leaves next_attempt_at at the end of
// its lease, and the row is claimed again then. Results are written only under the claim's token.
import type { Selectable } from 'kysely';
import type { WebhookDelivery, WebhookDeliveryStatus, WebhookEndpoint, WebhookEndpointStatus, WebhookEventType } from '../domain/webhook.js';
import type { Database } from './database.js';
import type { WebhookDeliveriesTable, WebhookEndpointsTable } from './schema.js';

type EndpointRow = Selectable<WebhookEndpointsTable>;
type DeliveryRow = Selectable<WebhookDeliveriesTable>;

const toEndpoint = (r: EndpointRow): WebhookEndpoint => ({
  id: r.id, ownerId: r.owner_id, url: r.url, events: JSON.parse(r.events) as WebhookEventType[], description: r.description,
  status: r.status as WebhookEndpointStatus, disabledReason: r.disabled_reason, secret: r.secret,
  subscribedSince: Number(r.subscribed_since), lastSuccessAt: r.last_success_at === null ? null : Number(r.last_success_at),
  createdAt: Number(r.created_at), updatedAt: Number(r.updated_at),
});

const toDelivery = (r: DeliveryRow): WebhookDelivery => ({
  id: r.id, endpointId: r.endpoint_id, eventId: r.event_id, eventType: r.event_type, subjectId: r.subject_id, payload: r.payload,
  status: r.status as WebhookDeliveryStatus, attempts: Number(r.attempts), nextAttemptAt: Number(r.next_attempt_at),
  lastStatusCode: r.last_status_code, lastLatencyMs: r.last_latency_ms, lastError: r.last_error,
  createdAt: Number(r.created_at), deliveredAt: r.delivered_at === null ? null : Number(r.delivered_at),
});

/** A delivery as emission writes it; the rest (status, attempts, times) the repository sets. */
export type NewDelivery = Pick<WebhookDelivery, 'id' | 'endpointId' | 'eventId' | 'subjectId' | 'payload'> & { eventType: string };

/** A claimed delivery with what sending it needs. */
export interface ClaimedDelivery {
  delivery: WebhookDelivery;
  token: string;
  url: string;
  secret: string;
  lastSuccessAt: number | null;
}

/** A finished video some active endpoint should have heard about and has no delivery for. */
export interface MissedVideoEvent {
  endpointId: string;
  ownerId: string;
  events: WebhookEventType[];
  videoId: string;
  status: 'completed' | 'failed';
  completedAt: number;
}

export type AttemptResult = { statusCode: number | null; latencyMs: number; error: string | null };

export class WebhookRepo {
  constructor(private readonly db: Database) {}

  async insertEndpoint(e: WebhookEndpoint): Promise<void> {
    await this.db.insertInto('webhook_endpoints').values({
      id: e.id, owner_id: e.ownerId, url: e.url, events: JSON.stringify(e.events), description: e.description, secret: e.secret,
      status: e.status, disabled_reason: e.disabledReason, subscribed_since: e.subscribedSince, last_success_at: e.lastSuccessAt,
      created_at: e.createdAt, updated_at: e.updatedAt,
    }).execute();
  }

  async getEndpoint(id: string): Promise<WebhookEndpoint | null> {
    const row = await this.db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toEndpoint(row) : null;
  }

  async listEndpoints(ownerId: string): Promise<WebhookEndpoint[]> {
    const rows = await this.db.selectFrom('webhook_endpoints').selectAll().where('owner_id', '=', ownerId).orderBy('created_at').orderBy('id').execute();
    return rows.map(toEndpoint);
  }

  async countEndpoints(ownerId: string): Promise<number> {
    const r = await this.db.selectFrom('webhook_endpoints').select((eb) => eb.fn.countAll<number>().as('n')).where('owner_id', '=', ownerId).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async updateEndpoint(id: string, patch: Partial<Pick<WebhookEndpoint, 'url' | 'events' | 'description' | 'status' | 'disabledReason' | 'secret' | 'subscribedSince'>>, now: number): Promise<WebhookEndpoint | null> {
    const row = await this.db.updateTable('webhook_endpoints').set({
      ...(patch.url !== undefined ? { url: patch.url } : {}),
      ...(patch.events !== undefined ? { events: JSON.stringify(patch.events) } : {}),
      ...(patch.description !== undefined ? { description: patch.description } : {}),
      ...(patch.status !== undefined ? { status: patch.status } : {}),
      ...(patch.disabledReason !== undefined ? { disabled_reason: patch.disabledReason } : {}),
      ...(patch.secret !== undefined ? { secret: patch.secret } : {}),
      ...(patch.subscribedSince !== undefined ? { subscribed_since: patch.subscribedSince } : {}),
      updated_at: now,
    }).where('id', '=', id).returningAll().executeTakeFirst();
    return row ? toEndpoint(row) : null;
  }

  /**
   * Turns an endpoint off (the owner's choice, 410 Gone, or a delivery that failed for the whole
   * retry window): what was still waiting for it fails with `why`. False if it was not active.
   */
  async disableEndpoint(id: string, reason: string, now: number): Promise<boolean> {
    const r = await this.db.updateTable('webhook_endpoints').set({ status: 'disabled', disabled_reason: reason, updated_at: now })
      .where('id', '=', id).where('status', '=', 'active').executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) return false;
    // One in flight keeps its claim: if it succeeds after all, it is recorded as delivered.
    await this.db.updateTable('webhook_deliveries')
      .set({ status: 'failed', last_error: `Not sent: the endpoint was disabled (${reason})`, updated_at: now })
      .where('endpoint_id', '=', id).where('status', '=', 'pending').execute();
    return true;
  }

  async deleteEndpoint(id: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('webhook_deliveries').where('endpoint_id', '=', id).execute();
      await trx.deleteFrom('webhook_endpoints').where('id', '=', id).execute();
    });
  }

  /** The owner's active endpoints (emission picks those subscribed to the event). */
  async activeEndpoints(ownerId: string): Promise<WebhookEndpoint[]> {
    const rows = await this.db.selectFrom('webhook_endpoints').selectAll().where('owner_id', '=', ownerId).where('status', '=', 'active').execute();
    return rows.map(toEndpoint);
  }

  /** Inserts deliveries; one already there for the same endpoint and event is left as it is. */
  async insertDeliveries(rows: NewDelivery[], now: number): Promise<number> {
    let inserted = 0;
    for (const d of rows) {
      const r = await this.db.insertInto('webhook_deliveries').values({
        id: d.id, endpoint_id: d.endpointId, event_id: d.eventId, event_type: d.eventType, subject_id: d.subjectId, payload: d.payload,
        status: 'pending', attempts: 0, next_attempt_at: now, claim: null, last_status_code: null, last_latency_ms: null, last_error: null,
        created_at: now, delivered_at: null, updated_at: now,
      }).onConflict((oc) => oc.columns(['endpoint_id', 'event_id']).doNothing()).executeTakeFirst();
      inserted += Number(r.numInsertedOrUpdatedRows ?? 0n);
    }
    return inserted;
  }

  async getDelivery(id: string): Promise<WebhookDelivery | null> {
    const row = await this.db.selectFrom('webhook_deliveries').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toDelivery(row) : null;
  }

  /** An endpoint's delivery log, newest first. */
  async listDeliveries(endpointId: string, limit: number): Promise<WebhookDelivery[]> {
    const rows = await this.db.selectFrom('webhook_deliveries').selectAll().where('endpoint_id', '=', endpointId)
      .orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
    return rows.map(toDelivery);
  }

  /**
   * Due deliveries of active endpoints, oldest due first, leaving out `busy` endpoints (this
   * process already has as many of theirs in flight as it allows), so a slow endpoint's backlog
   * cannot fill the page and starve the others.
   */
  async due(now: number, limit: number, busy: string[]): Promise<{ id: string; endpointId: string }[]> {
    let q = this.db.selectFrom('webhook_deliveries as d').innerJoin('webhook_endpoints as e', 'e.id', 'd.endpoint_id')
      .select(['d.id as id', 'd.endpoint_id as endpointId'])
      .where('d.status', '=', 'pending').where('d.next_attempt_at', '<=', now).where('e.status', '=', 'active');
    if (busy.length) q = q.where('d.endpoint_id', 'not in', busy);
    return q.orderBy('d.next_attempt_at').limit(limit).execute();
  }

  /** Takes one due delivery for `leaseMs`; null if another process (or this one) took it first. */
  async claim(id: string, token: string, now: number, leaseMs: number): Promise<ClaimedDelivery | null> {
    const r = await this.db.updateTable('webhook_deliveries')
      .set((eb) => ({ claim: token, next_attempt_at: now + leaseMs, attempts: eb('attempts', '+', 1), updated_at: now }))
      .where('id', '=', id).where('status', '=', 'pending').where('next_attempt_at', '<=', now).executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) return null;
    const row = await this.db.selectFrom('webhook_deliveries as d').innerJoin('webhook_endpoints as e', 'e.id', 'd.endpoint_id')
      .selectAll('d').select(['e.url as endpoint_url', 'e.secret as endpoint_secret', 'e.last_success_at as endpoint_last_success_at'])
      .where('d.id', '=', id).where('d.claim', '=', token).executeTakeFirst();
    if (!row) return null;
    const { endpoint_url, endpoint_secret, endpoint_last_success_at, ...delivery } = row;
    return {
      delivery: toDelivery(delivery), token, url: endpoint_url, secret: endpoint_secret,
      lastSuccessAt: endpoint_last_success_at === null ? null : Number(endpoint_last_success_at),
    };
  }

  async markDelivered(id: string, token: string, endpointId: string, result: AttemptResult, now: number): Promise<void> {
    await this.db.updateTable('webhook_deliveries').set({
      status: 'delivered', claim: null, delivered_at: now, last_status_code: result.statusCode, last_latency_ms: result.latencyMs, last_error: null, updated_at: now,
    }).where('id', '=', id).where('claim', '=', token).execute();
    await this.db.updateTable('webhook_endpoints').set({ last_success_at: now }).where('id', '=', endpointId).execute();
  }

  /** A failed attempt to be tried again at `retryAt`. */
  async markRetry(id: string, token: string, result: AttemptResult, retryAt: number, now: number): Promise<void> {
    await this.db.updateTable('webhook_deliveries').set({
      claim: null, next_attempt_at: retryAt, last_status_code: result.statusCode, last_latency_ms: result.latencyMs, last_error: result.error, updated_at: now,
    }).where('id', '=', id).where('claim', '=', token).where('status', '=', 'pending').execute(); // failed meanwhile (endpoint disabled): stays so
  }

  /** Given up: no more attempts. */
  async markFailed(id: string, token: string, result: AttemptResult, now: number): Promise<void> {
    await this.db.updateTable('webhook_deliveries').set({
      status: 'failed', claim: null, last_status_code: result.statusCode, last_latency_ms: result.latencyMs, last_error: result.error, updated_at: now,
    }).where('id', '=', id).where('claim', '=', token).where('status', '=', 'pending').execute();
  }

  /**
   * Hands a claimed row back untried (this process is stopping): due at once for the next one,
   * and the attempt it never made is not counted.
   */
  async release(id: string, token: string, now: number): Promise<void> {
    await this.db.updateTable('webhook_deliveries').set((eb) => ({ claim: null, next_attempt_at: now, attempts: eb('attempts', '-', 1), updated_at: now }))
      .where('id', '=', id).where('claim', '=', token).where('status', '=', 'pending').execute();
  }

  /**
   * Finished videos (since `since`) of owners with an active endpoint subscribed to completions or
   * failures, that endpoint's subscription older than the finish, and no delivery of that video's
   * event for it: what a process that died between marking the row and emitting left unsent.
   */
  async missedVideoEvents(since: number, limit: number): Promise<MissedVideoEvent[]> {
    const rows = await this.db.selectFrom('webhook_endpoints as e').innerJoin('videos as v', 'v.owner_id', 'e.owner_id')
      .select(['e.id as endpointId', 'e.owner_id as ownerId', 'e.events as events', 'v.id as videoId', 'v.status as status', 'v.completed_at as completedAt'])
      .where('e.status', '=', 'active')
      // The video's outcome must be one the endpoint takes: rows it would skip would otherwise come
      // back every sweep and crowd real misses out of the page.
      .where((eb) => eb.or([
        eb.and([eb('v.status', '=', 'completed'), eb('e.events', 'like', '%"video.completed"%')]),
        eb.and([eb('v.status', '=', 'failed'), eb('e.events', 'like', '%"video.failed"%')]),
      ]))
      .where('v.deleted_at', 'is', null)
      .where('v.completed_at', '>=', since)
      .whereRef('v.completed_at', '>=', 'e.subscribed_since')
      .where((eb) => eb.not(eb.exists(eb.selectFrom('webhook_deliveries as d').select('d.id')
        .whereRef('d.endpoint_id', '=', 'e.id').whereRef('d.subject_id', '=', 'v.id')
        .where('d.event_type', 'in', ['video.completed', 'video.failed']))))
      .orderBy('v.completed_at').limit(limit).execute();
    return rows.map((r) => ({
      endpointId: r.endpointId, ownerId: r.ownerId, events: JSON.parse(r.events) as WebhookEventType[], videoId: r.videoId,
      status: r.status as 'completed' | 'failed', completedAt: Number(r.completedAt),
    }));
  }

  /** Drops finished deliveries older than `before` (the log keeps a month, not forever). */
  async pruneFinished(before: number): Promise<number> {
    const r = await this.db.deleteFrom('webhook_deliveries').where('status', 'in', ['delivered', 'failed']).where('created_at', '<', before).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
