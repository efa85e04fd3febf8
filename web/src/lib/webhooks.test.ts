import { describe, expect, it } from 'vitest';
import { deliveryStatus, WEBHOOK_EVENTS } from './webhooks';

describe('webhook delivery words', () => {
  it('offers the four events', () => {
    expect(WEBHOOK_EVENTS.map((e) => e.type)).toEqual(['video.completed', 'video.failed', 'video.published', 'video.remixed']);
  });
  it('says how a delivery went: code, else the error, and when it is tried again', () => {
    expect(deliveryStatus({ status: 'delivered', last_status_code: 200, last_error: null, next_attempt_at: null })).toBe('delivered (HTTP 200)');
    expect(deliveryStatus({ status: 'pending', last_status_code: null, last_error: null, next_attempt_at: null })).toBe('pending');
    expect(deliveryStatus({ status: 'failed', last_status_code: null, last_error: 'connection refused', next_attempt_at: null })).toBe('failed (connection refused)');
    expect(deliveryStatus({ status: 'pending', last_status_code: 503, last_error: null, next_attempt_at: 1 })).toMatch(/^pending \(HTTP 503\), next try /);
  });
});
