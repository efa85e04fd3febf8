// Words for the webhooks panel: the events one can subscribe to, and a delivery's state in a
// sentence (HTTP code, error, next try). Pure, so tested without a browser.
import { when } from './account';
import type { WebhookDelivery } from './types';

export const WEBHOOK_EVENTS: { type: string; help: string }[] = [
  { type: 'video.completed', help: 'A video of yours finished rendering.' },
  { type: 'video.failed', help: 'A video of yours failed.' },
  { type: 'video.published', help: 'A video of yours appeared in the public feed.' },
  { type: 'video.remixed', help: 'Someone remixed one of your published videos.' },
];

/** "delivered (HTTP 200)", "failed (HTTP 500), next try 12:00", "pending". */
export function deliveryStatus(d: Pick<WebhookDelivery, 'status' | 'last_status_code' | 'last_error' | 'next_attempt_at'>): string {
  const code = d.last_status_code !== null ? `HTTP ${d.last_status_code}` : d.last_error;
  const base = code ? `${d.status} (${code})` : d.status;
  return d.status !== 'delivered' && d.next_attempt_at !== null ? `${base}, next try ${when(d.next_attempt_at)}` : base;
}
