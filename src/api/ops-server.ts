// The small HTTP port of a process that serves no API (`melies worker --ops-port`), or a separate
// one beside an API server: /healthz, /readyz and /metrics, to anyone who can reach it. Its access
// is the address it listens on: bind it to loopback or a private interface that only Prometheus
// and the orchestrator reach, never to the public side (the API's own /metrics is admin-only).
import Fastify, { type FastifyInstance } from 'fastify';
import type { Metrics } from './metrics.js';

export interface OpsDeps {
  metrics: Metrics;
  /** Resolves when the process can take work (database, Redis, storage); throws saying what is wrong. */
  ready: () => Promise<void>;
}

export function buildOpsApi(deps: OpsDeps): FastifyInstance {
  const app = Fastify({ logger: false });
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) => {
    try {
      await deps.ready();
      return { status: 'ready' };
    } catch (err) {
      return reply.status(503).send({ status: 'unavailable', reason: (err as Error).message });
    }
  });
  app.get('/metrics', async (_req, reply) => reply.type(deps.metrics.contentType).header('cache-control', 'no-store').send(await deps.metrics.scrape()));
  app.setNotFoundHandler((req, reply) => reply.status(404).send({ error: { message: `Unknown route: ${req.method} ${req.url.split('?')[0]}; this port serves /healthz, /readyz and /metrics.`, type: 'invalid_request_error', param: null, code: 'unknown_route' } }));
  return app;
}
