// Builds the Fastify app: /v1 (OpenAI-compatible videos + models), SSE, health, and one error
// mapper for everything. It receives services; it never picks implementations.
import { randomBytes } from 'node:crypto';
import multipart from '@fastify/multipart';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { ApiError } from '../domain/errors.js';
import type { VideoService } from '../services/video.service.js';
import { sendError } from './errors.js';
import { landingPage } from './landing.js';
import { contentRoutes } from './routes/content.routes.js';
import { eventRoutes } from './routes/events.routes.js';
import { modelRoutes } from './routes/models.routes.js';
import { videoRoutes } from './routes/videos.routes.js';

export interface ApiDeps {
  videos: VideoService;
  logger: Logger;
  maxUploadBytes: number;
  /** Checks the database answers; used by /readyz. */
  ready: () => Promise<void>;
}

export async function buildApi(deps: ApiDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger as unknown as FastifyBaseLogger,
    // Per-request lines would drown the job logs; errors are still logged by the error mapper.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: () => `req_${randomBytes(12).toString('hex')}`,
    // JSON bodies may carry a base64 data: URL image, a third larger than the file itself.
    bodyLimit: Math.ceil(deps.maxUploadBytes * 1.4) + 1024 * 1024,
    routerOptions: { ignoreTrailingSlash: true },
  });

  // Only JSON and multipart bodies: anything else is a 415, not a string that fails later.
  app.removeContentTypeParser('text/plain');
  await app.register(multipart, {
    limits: { fileSize: deps.maxUploadBytes, files: 2, fields: 50, parts: 60, fieldSize: 1024 * 1024, fieldNameSize: 200 },
  });

  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  app.setErrorHandler((err, req, reply) => sendError(reply, req, err));
  app.setNotFoundHandler((req, reply) =>
    sendError(reply, req, new ApiError(404, `Unknown route: ${req.method} ${req.url.split('?')[0]}`, { code: 'unknown_route' })));

  app.get('/', async (req, reply) => reply.type('text/html; charset=utf-8').send(landingPage(deps.videos.models(), `${req.protocol}://${req.host}`)));
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) => {
    try {
      await deps.ready();
      return { status: 'ready' };
    } catch (err) {
      return reply.status(503).send({ status: 'unavailable', reason: (err as Error).message });
    }
  });

  modelRoutes(app, deps.videos);
  videoRoutes(app, deps.videos, { maxUploadBytes: deps.maxUploadBytes });
  contentRoutes(app, deps.videos);
  eventRoutes(app, deps.videos);
  return app;
}
