// Outgoing webhooks (issue 14 §5): the events a user may subscribe to, the thin event envelope
// OpenAI's Videos API sent (`{"object":"event","id","type","created_at","data":{"id"}}`), and ids.
// Signing is Standard Webhooks (the `standardwebhooks` library, in jobs/deliver-webhook.job.ts).
import { createHash, randomBytes } from 'node:crypto';

export const WEBHOOK_EVENTS = ['video.completed', 'video.failed', 'video.published', 'video.remixed'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];
/** Sent only by POST /api/webhooks/{id}/test: never subscribed to, always allowed. */
export const TEST_EVENT = 'webhook.test';

/**
 * What each event's `data` holds. Thin on purpose, like OpenAI's: the receiver fetches the video
 * (GET /v1/videos/{id}) with its own key, so a leaked payload reveals nothing but an id.
 * - video.completed / video.failed / video.published: `{ id }` — the video.
 * - video.remixed (sent to the PARENT's owner): `{ id, remix_id }` — `id` is the owner's own video
 *   (the one they can fetch), `remix_id` the new video made from it.
 */
export type WebhookEventData = { id: string; remix_id?: string; [k: string]: unknown };

export interface WebhookEvent {
  object: 'event';
  id: string;
  type: WebhookEventType | typeof TEST_EVENT;
  /** Unix seconds. */
  created_at: number;
  data: WebhookEventData;
}

export type WebhookEndpointStatus = 'active' | 'disabled';
export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface WebhookEndpoint {
  id: string;
  ownerId: string;
  url: string;
  events: WebhookEventType[];
  description: string;
  status: WebhookEndpointStatus;
  disabledReason: string | null;
  /** The signing secret, `whsec_` + base64: the server needs it in clear to sign. */
  secret: string;
  /** Events that happened before this (creation, re-enabling, a new event list) are never sent. */
  subscribedSince: number;
  lastSuccessAt: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface WebhookDelivery {
  id: string;
  endpointId: string;
  eventId: string;
  eventType: string;
  /** The video the event is about, for completed/failed (what the recovery sweep matches on). */
  subjectId: string | null;
  /** The exact body, fixed at emission: every retry sends the same bytes under the same webhook-id. */
  payload: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  nextAttemptAt: number;
  lastStatusCode: number | null;
  lastLatencyMs: number | null;
  lastError: string | null;
  createdAt: number;
  deliveredAt: number | null;
}

export const isWebhookEvent = (v: unknown): v is WebhookEventType => typeof v === 'string' && (WEBHOOK_EVENTS as readonly string[]).includes(v);

export const newEndpointId = () => `wh_${randomBytes(16).toString('hex')}`;
export const newDeliveryId = () => `whd_${randomBytes(16).toString('hex')}`;
export const newEventId = () => `evt_${randomBytes(16).toString('hex')}`;
/** Standard Webhooks: `whsec_` + base64 of 24–64 random bytes; 32 here. */
export const newWebhookSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

/**
 * The id of "this video finished": the same every time it is computed, so emitting it twice (the
 * worker right after the row changed, and the recovery sweep after a crash) makes one event.
 */
export function videoEventId(type: WebhookEventType, videoId: string): string {
  return `evt_${createHash('sha256').update(`${type}\n${videoId}`).digest('hex').slice(0, 32)}`;
}

export function eventBody(type: WebhookEvent['type'], id: string, data: WebhookEventData, at: number): string {
  const event: WebhookEvent = { object: 'event', id, type, created_at: Math.floor(at / 1000), data };
  return JSON.stringify(event);
}
