import { describe, expect, it } from 'vitest';
import { parseMetrics } from '../../test/helpers/prometheus.js';
import { Metrics, UNMATCHED_ROUTE } from './metrics.js';

describe('Metrics', () => {
  it('counts requests by route pattern, method and status class', async () => {
    const m = new Metrics({ processMetrics: false });
    m.observeHttp('/v1/videos/:id', 'GET', 200, 0.004);
    m.observeHttp('/v1/videos/:id', 'GET', 204, 0.2);
    m.observeHttp('/v1/videos/:id', 'GET', 404, 0.001);
    m.observeHttp(UNMATCHED_ROUTE, 'BREW', 404, 0.001);
    const s = parseMetrics(await m.scrape());
    expect(s.get('melies_http_request_duration_seconds_count{route="/v1/videos/:id",method="GET",status_class="2xx"}')).toBe(2);
    expect(s.get('melies_http_request_duration_seconds_count{route="/v1/videos/:id",method="GET",status_class="4xx"}')).toBe(1);
    // An unknown method is one series, not one per spelling a client invents.
    expect(s.get('melies_http_request_duration_seconds_count{route="unmatched",method="OTHER",status_class="4xx"}')).toBe(1);
    expect(s.get('melies_http_request_duration_seconds_bucket{le="0.005",route="/v1/videos/:id",method="GET",status_class="2xx"}')).toBe(1);
    expect(s.get('melies_http_request_duration_seconds_sum{route="/v1/videos/:id",method="GET",status_class="2xx"}')).toBeCloseTo(0.204);
  });

  it('tracks open SSE streams; closing one twice counts once', async () => {
    const m = new Metrics({ processMetrics: false });
    const a = m.sseOpened();
    const b = m.sseOpened();
    expect(parseMetrics(await m.scrape()).get('melies_sse_clients')).toBe(2);
    a();
    a();
    expect(parseMetrics(await m.scrape()).get('melies_sse_clients')).toBe(1);
    b();
    expect(parseMetrics(await m.scrape()).get('melies_sse_clients')).toBe(0);
  });

  it('records job durations per engine and outcome, and engine errors by code', async () => {
    const m = new Metrics({ processMetrics: false });
    m.observeJob('sketch', 3.5, 'completed');
    m.observeJob('sketch', 7, 'completed');
    m.observeJob('runway', 40, 'failed');
    m.engineError('runway', 'provider_timeout');
    m.engineError('runway', 'provider_timeout');
    const s = parseMetrics(await m.scrape());
    expect(s.get('melies_job_duration_seconds_count{engine="sketch",outcome="completed"}')).toBe(2);
    expect(s.get('melies_job_duration_seconds_sum{engine="sketch",outcome="completed"}')).toBe(10.5);
    expect(s.get('melies_job_duration_seconds_bucket{le="5",engine="sketch",outcome="completed"}')).toBe(1);
    expect(s.get('melies_job_duration_seconds_count{engine="runway",outcome="failed"}')).toBe(1);
    expect(s.get('melies_engine_errors_total{engine="runway",code="provider_timeout"}')).toBe(2);
  });

  it('reads the queue once per scrape: jobs per lane and state, and the depth of each lane', async () => {
    let reads = 0;
    let rows = [
      { lane: 'sketch', state: 'waiting', count: 3 }, { lane: 'sketch', state: 'prioritized', count: 2 }, { lane: 'sketch', state: 'active', count: 1 },
      { lane: 'comfyui', state: 'delayed', count: 4 },
    ];
    const m = new Metrics({ processMetrics: false, queueStates: async () => { reads++; return rows; } });
    let s = parseMetrics(await m.scrape());
    expect(reads).toBe(1);
    expect(s.get('melies_queue_jobs{lane="sketch",state="waiting"}')).toBe(3);
    expect(s.get('melies_queue_jobs{lane="sketch",state="active"}')).toBe(1);
    expect(s.get('melies_queue_depth{lane="sketch"}')).toBe(5);
    expect(s.get('melies_queue_depth{lane="comfyui"}')).toBe(4);
    expect(s.get('melies_queue_up')).toBe(1);
    // A lane that emptied disappears instead of keeping its last count.
    rows = [{ lane: 'sketch', state: 'active', count: 1 }];
    s = parseMetrics(await m.scrape());
    expect(s.has('melies_queue_depth{lane="comfyui"}')).toBe(false);
    expect(s.has('melies_queue_jobs{lane="sketch",state="waiting"}')).toBe(false);
  });

  it('still answers when the queue cannot be read, and says so', async () => {
    const m = new Metrics({ processMetrics: false, queueStates: async () => { throw new Error('Redis is down'); } });
    m.observeHttp('/healthz', 'GET', 200, 0.001);
    const s = parseMetrics(await m.scrape());
    expect(s.get('melies_queue_up')).toBe(0);
    expect(s.get('melies_http_request_duration_seconds_count{route="/healthz",method="GET",status_class="2xx"}')).toBe(1);
  });

  it('keeps each instance to itself (two servers in one process), with process metrics and labels', async () => {
    const a = new Metrics({ labels: { role: 'serve' } });
    const b = new Metrics();
    a.engineError('sketch', 'render_failed');
    const sa = parseMetrics(await a.scrape());
    const sb = parseMetrics(await b.scrape());
    expect(sa.get('melies_engine_errors_total{engine="sketch",code="render_failed",role="serve"}')).toBe(1);
    expect([...sb.keys()].some((k) => k.startsWith('melies_engine_errors_total{'))).toBe(false);
    expect(sb.get('melies_process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(a.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
  });
});
