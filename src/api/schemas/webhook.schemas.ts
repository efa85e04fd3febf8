// Webhook endpoints and their delivery logs as the /api wire shows them (services/webhook.service.ts),
// and the schemas of the routes that manage them (webhooks.routes.ts).
import { WEBHOOK_EVENTS } from '../../domain/webhook.js';
import {
  bool, error, int, json, jsonBody, nullable, object, optionalFields, pathParams, ref, str, unixSeconds, type RouteDoc, type Schema,
} from './common.js';

const events = { type: 'array', items: { enum: [...WEBHOOK_EVENTS] }, description: 'The events sent to it.' };
const endpointFields: Record<string, Schema> = {
  id: str('Endpoint id (`wh_…`).'),
  url: str('Where events are POSTed.'),
  events,
  description: str('Its note, for people.'),
  status: str('A disabled endpoint gets nothing; `disabled_reason` says why.', { enum: ['active', 'disabled'] }),
  disabled_reason: nullable(str('Why it was disabled: by its owner, 410 Gone, or deliveries failing for the whole retry window.')),
  created_at: unixSeconds('Registered'),
};

export const webhookComponents: Record<string, Schema> = {
  WebhookEndpoint: object(endpointFields, { description: 'A URL that receives signed events (Standard Webhooks).' }),
  WebhookEndpointWithSecret: object({
    ...endpointFields,
    secret: str('The signing secret (`whsec_…`), shown only now and on rotate: verify `webhook-signature` with it.'),
  }),
  WebhookDelivery: object({
    id: str('Delivery id (`whd_…`).'),
    event_type: str('`video.completed`, `video.failed`, `video.published`, `video.remixed`, or `webhook.test`.'),
    event_id: str('The event id (`evt_…`), also sent as the `webhook-id` header, the same on every retry.'),
    status: str('`pending` (waiting or being retried), `delivered` (a 2xx came back), `failed` (given up).', { enum: ['pending', 'delivered', 'failed'] }),
    attempts: int('Attempts so far.'),
    last_status_code: nullable(int('HTTP status of the last attempt; null when nothing answered.')),
    last_latency_ms: nullable(int('How long the last attempt took, in milliseconds.')),
    last_error: nullable(str('Why the last attempt did not count.')),
    created_at: unixSeconds('Emitted'),
    next_attempt_at: nullable(unixSeconds('Next attempt, while pending')),
    delivered_at: nullable(unixSeconds('Delivered')),
  }),
};

const endpointId = pathParams({ id: str('The endpoint id (`wh_…`).') });
const noEndpoint = error('`not_found`: no such endpoint among yours.');
const badUrl = '`invalid_webhook_url`: not http(s), credentials in it, a port other than 80/443/8080/8443, or a private or loopback address (the SSRF guard)';

export const webhookSchemas = {
  list: {
    summary: 'List my webhook endpoints', tags: ['Webhooks'], operationId: 'listWebhooks',
    response: { 200: json('Your endpoints, oldest first.', object({ data: { type: 'array', items: ref('WebhookEndpoint') } })) },
  },
  create: {
    summary: 'Register a webhook endpoint',
    description: 'Events are POSTed as `{"object":"event","id","type","created_at","data":{"id"}}`, signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`); a 2xx acknowledges, anything else is retried with backoff for up to 72 h.',
    tags: ['Webhooks'], operationId: 'createWebhook',
    body: jsonBody(optionalFields({ url: str('An http(s) URL the server may reach.'), events, description: str('A note (at most 500 characters).') }, ['url', 'events'])),
    response: {
      201: json('The endpoint and its secret (shown only here).', ref('WebhookEndpointWithSecret')),
      400: error(`${badUrl}; \`invalid_value\`: unknown event; \`webhook_limit_reached\`.`),
    },
  },
  update: {
    summary: 'Change a webhook endpoint', description: '`enabled: true` re-enables a disabled endpoint; events from while it was off are not sent.',
    tags: ['Webhooks'], operationId: 'updateWebhook',
    params: endpointId,
    body: jsonBody(optionalFields({ url: str('New URL.'), events, description: str('New note.'), enabled: bool('Turn it on or off.') })),
    response: { 200: json('The endpoint.', ref('WebhookEndpoint')), 400: error(`${badUrl}; \`invalid_value\`.`), 404: noEndpoint },
  },
  delete: {
    summary: 'Delete a webhook endpoint', description: 'With its delivery log; nothing more is sent to it.', tags: ['Webhooks'], operationId: 'deleteWebhook',
    params: endpointId,
    response: { 204: { description: 'Deleted.' }, 404: noEndpoint },
  },
  rotate: {
    summary: "Rotate an endpoint's secret", description: 'The old secret stops at once: every later attempt, retries too, is signed with the new one.',
    tags: ['Webhooks'], operationId: 'rotateWebhookSecret',
    params: endpointId,
    response: { 200: json('The new secret (shown only here).', object({ secret: str('`whsec_…`') })), 404: noEndpoint },
  },
  test: {
    summary: 'Send a test event', description: 'Queues a `webhook.test` event (`data.id` is the endpoint id); see its delivery in the log.',
    tags: ['Webhooks'], operationId: 'testWebhook',
    params: endpointId,
    response: { 202: json('Queued.', object({ delivery_id: str('The delivery (`whd_…`).') })), 400: error('`webhook_disabled`: enable it first.'), 404: noEndpoint },
  },
  deliveries: {
    summary: "An endpoint's delivery log", description: 'The latest 100 deliveries, newest first (kept for 30 days).', tags: ['Webhooks'], operationId: 'listWebhookDeliveries',
    params: endpointId,
    response: { 200: json('Deliveries.', object({ data: { type: 'array', items: ref('WebhookDelivery') } })), 404: noEndpoint },
  },
} satisfies Record<string, RouteDoc>;
