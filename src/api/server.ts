// Builds the Fastify app: /v1 (OpenAI-compatible videos + models), SSE, /api for the studio, the
// built studio itself, health, and one error mapper for everything. It receives services; it never picks implementations.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, sep } from 'node:path';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from 'fastify';
import type { Logger } from 'pino';
import { ApiError } from '../domain/errors.js';
import type { VideoService } from '../services/video.service.js';
import { assertNoNul, nulRefused } from '../domain/text-guard.js';
import { allow } from './access.js';
import { UNMATCHED_ROUTE, type Metrics } from './metrics.js';
import { clientErrorHandler, sendError } from './errors.js';
import { recordRoutes } from './route-table.js';
import { targetAuthority, targetHasNul, toOriginForm } from './request-target.js';
import { landingPage } from './landing.js';
import { DOCS_CSP, docsPage } from './docs-page.js';
import { openApiDocument } from './openapi.js';
import { serverSchemas } from './schemas/server.schemas.js';
import { contentRoutes } from './routes/content.routes.js';
import { eventRoutes } from './routes/events.routes.js';
import { modelRoutes } from './routes/models.routes.js';
import { studioRoutes } from './routes/studio.routes.js';
import { authRoutes } from './routes/auth.routes.js';
import { adminRoutes } from './routes/admin.routes.js';
import { registerAuth } from './auth-hook.js';
import type { Coordination } from '../coordination/coordination.js';
import type { AdminService } from '../services/accounts/admin.service.js';
import type { AuthService } from '../services/accounts/auth.service.js';
import type { Authenticator } from '../services/accounts/authenticator.js';
import { videoRoutes } from './routes/videos.routes.js';
import { engineRoutes } from './routes/engines.routes.js';
import { sharingRoutes, type SharingRouteDeps } from './routes/sharing.routes.js';
import { moderationRoutes, type ModerationRouteDeps } from './routes/moderation.routes.js';
import { openGraphTags } from './open-graph.js';
import type { EngineStatusService } from '../services/engine-status.service.js';
import type { WebhookService } from '../services/webhook.service.js';
import { webhookRoutes } from './routes/webhooks.routes.js';
import type { ProvenanceService } from '../services/provenance.service.js';
import { provenanceRoutes } from './routes/provenance.routes.js';
import type { QueueControlService } from '../services/queue-control.service.js';
import { queueRoutes } from './routes/queue.routes.js';
import type { BatchService } from '../services/batch.service.js';
import { batchRoutes } from './routes/batches.routes.js';
import type { FileService } from '../services/file.service.js';
import { fileRoutes } from './routes/files.routes.js';
import type { CharacterService } from '../services/character.service.js';
import { characterRoutes } from './routes/characters.routes.js';

export interface ApiDeps {
  videos: VideoService;
  logger: Logger;
  maxUploadBytes: number;
  /** Checks the database answers; used by /readyz. */
  ready: () => Promise<void>;
  /** Host names answered besides loopback ones (see hostGuard). */
  allowedHosts: readonly string[];
  /** The built studio (web/dist); without it / shows a plain page on how to use the API. */
  studioDir?: string | null;
  authenticator: Authenticator;
  /** Null in local mode. */
  auth: AuthService | null;
  admin: AdminService;
  requestsPerMinute: number;
  /** Where the per-key request counts live: this process (default) or Redis, shared by every server. */
  coordination?: Coordination;
  trustProxy?: boolean;
  /** How long a client has to send a whole request, and its headers (ms). */
  requestTimeoutMs?: number;
  headersTimeoutMs?: number;
  /** GET /api/engines (operators). */
  engineStatus?: EngineStatusService;
  /** GET /metrics (admins; see metrics.ts) and the HTTP series. Without it there is no /metrics. */
  metrics?: Metrics;
  /** X-Accel-Redirect mode for /content behind nginx: its internal prefix, e.g. '/protected/' (content.routes.ts). */
  accelRedirect?: string | null;
  /** Redirect /content to presigned store URLs valid this long (S3_PRESIGN); null: relay the bytes. */
  presignSeconds?: number | null;
  /** Publishing, the public feed, moderation (issue 14). */
  sharing?: SharingRouteDeps & ModerationRouteDeps;
  /** /api/webhooks (issue 14 §5); without it there are no webhook routes. */
  webhooks?: WebhookService;
  /** Pause, resume, reorder one's queue (issue 15 §7); without it there are no queue routes. */
  queueControl?: QueueControlService;
  /** GET /v1/videos/{id}/provenance and POST /api/verify. */
  provenance?: ProvenanceService;
  /** Largest file POST /api/verify reads (MELIES_VERIFY_MAX_BYTES). */
  maxVerifyBytes?: number;
  /** /api/batches (issue 15 §6); without it there are no batch routes. */
  batches?: BatchService;
  /** /v1/files (issue 15 §4) and the largest upload it takes (MELIES_FILE_MAX_BYTES); without it there are no file routes. */
  files?: { service: FileService; maxFileBytes: number };
  /** Characters (issue 15 §3): /v1/videos/characters and /api/characters; clips up to MELIES_FILE_MAX_BYTES. */
  characters?: { service: CharacterService; maxFileBytes: number };
}

// The studio loads only its own files and talks only to this origin; nothing may frame it.
const STUDIO_CSP = [
  "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data: blob:",
  "media-src 'self' blob:", "connect-src 'self'", "font-src 'self'", "object-src 'none'", "base-uri 'none'",
  "form-action 'self'", "frame-ancestors 'none'",
].join('; ');

const LOOPBACK_HOST = /^(localhost|[a-z0-9-]+\.localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])$/i;

/** The host name a request was addressed to, without the port ("[::1]:8080" → "[::1]"). */
export function requestHostName(host: string): string {
  return host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0]!;
}

export async function buildApi(deps: ApiDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger as unknown as FastifyBaseLogger,
    // Per-request lines would drown the job logs; errors are still logged by the error mapper.
    logController: new LogController({ disableRequestLogging: true }),
    // randomUUID draws from a cached entropy pool; randomBytes(12) made a syscall per request.
    genReqId: () => `req_${randomUUID().replace(/-/g, '')}`,
    // JSON bodies may carry a base64 data: URL image, a third larger than the file itself.
    bodyLimit: Math.ceil(deps.maxUploadBytes * 1.4) + 1024 * 1024,
    routerOptions: { ignoreTrailingSlash: true },
    trustProxy: deps.trustProxy ?? false,
    // A client that stops sending (a body shorter than its Content-Length) is answered 408 and cut
    // off instead of holding a connection, and a shutdown, for minutes. Node checks these every
    // `connectionsCheckingInterval`, so that is kept well below them.
    requestTimeout: deps.requestTimeoutMs ?? 120_000,
    http: {
      requestTimeout: deps.requestTimeoutMs ?? 120_000,
      headersTimeout: Math.min(deps.headersTimeoutMs ?? 20_000, deps.requestTimeoutMs ?? 120_000),
      connectionsCheckingInterval: Math.max(100, Math.min(5_000, Math.floor((deps.headersTimeoutMs ?? 20_000) / 4))),
    },
    // Idle keep-alive connections are closed at shutdown (forceCloseConnections: 'idle', the
    // default); stalled ones by startServer's close after the grace period.
    keepAliveTimeout: 5_000,
    rewriteUrl: (req) => toOriginForm(req.url ?? '/'),
    // Errors raised before any route or hook runs (a malformed URL such as /v1/%ff) and by Node's
    // parser: in the envelope, like every other error.
    frameworkErrors: (err, req, reply) => { sendError(reply, req, err); },
    clientErrorHandler,
  });

  recordRoutes(app);
  // Route schemas document the API (GET /openapi.json, /docs); they do not enforce it. Requests
  // are checked by the domain parsers, which take what the SDKs send (numbers as multipart text)
  // and answer in OpenAI's envelope with messages written for people; Fastify's ajv would coerce
  // and strip values and answer in its own words first. Answers stay JSON.stringify: a serializer
  // compiled from a schema silently drops every field the schema does not list. The schemas are
  // held true instead by test/api/openapi.test.ts, which validates real answers against them.
  app.setValidatorCompiler(() => () => true);
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  // Only JSON and multipart bodies: anything else is a 415, not a string that fails later.
  app.removeContentTypeParser('text/plain');
  await app.register(multipart, {
    // SDK ≥ 6.28 sends everything as multipart, so a base64 `input_reference[image_url]` arrives as
    // a text field: it gets the same room as an uploaded file.
    limits: { fileSize: deps.maxUploadBytes, files: 2, fields: 50, parts: 60, fieldSize: Math.ceil(deps.maxUploadBytes * 1.4) + 64 * 1024, fieldNameSize: 200 },
  });

  const allowed = new Set(deps.allowedHosts.map((h) => h.toLowerCase()));
  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    reply.header('cross-origin-opener-policy', 'same-origin');
    // API answers are data, never documents: nothing in them may run or be framed. Studio pages
    // replace this with their own policy (sendStudioPage).
    reply.header('content-security-policy', "default-src 'none'; frame-ancestors 'none'");
    if (req.protocol === 'https') reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    // DNS-rebinding guard: a web page whose own name resolves to 127.0.0.1 sends its own Host.
    // An absolute-form target names the host itself, and that name replaces Host (RFC 9112 §3.2.2).
    const target = targetAuthority(req.originalUrl ?? req.url);
    const host = target.form === 'absolute' ? target.authority : req.headers.host;
    if (host) {
      const name = requestHostName(host).toLowerCase();
      if (!LOOPBACK_HOST.test(name) && !allowed.has(name)) {
        throw new ApiError(403, `Requests addressed to '${name.slice(0, 100)}' are refused: this server answers to loopback names only. If a proxy forwards that name, add it to MELIES_ALLOWED_HOSTS.`, { code: 'host_not_allowed' });
      }
    }
  });
  // NUL cannot be stored (PostgreSQL text): refused here once, for the URL and every parsed body,
  // before any route reads it (multipart fields are checked as they are read, in multipart.ts).
  app.addHook('onRequest', async (req) => {
    if (targetHasNul(req.url)) throw nulRefused(null);
  });
  app.addHook('preValidation', async (req) => {
    assertNoNul(req.body);
  });
  registerAuth(app, deps.authenticator, { requestsPerMinute: deps.requestsPerMinute, coordination: deps.coordination });
  const metrics = deps.metrics;
  if (metrics) {
    // Labelled by the matched route's pattern, never the URL (bounded series). Hijacked answers
    // (SSE streams) never get here: the open-streams gauge counts them instead.
    app.addHook('onResponse', async (req, reply) => {
      metrics.observeHttp(req.routeOptions.url ?? UNMATCHED_ROUTE, req.method, reply.statusCode, reply.elapsedTime / 1000);
    });
  }
  app.setErrorHandler((err, req, reply) => sendError(reply, req, err));
  const studio = deps.studioDir && existsSync(join(deps.studioDir, 'index.html')) ? deps.studioDir : null;
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0]!;
    // The studio routes its own pages (/videos/…): any other GET for a page gets its index.html.
    if (studio && req.method === 'GET' && !/^\/(v1|api)(\/|$)/.test(path) && (req.headers.accept ?? '').includes('text/html')) {
      return sendStudioPage(reply);
    }
    return sendError(reply, req, new ApiError(404, `Unknown route: ${req.method} ${path}`, { code: 'unknown_route' }));
  });

  const sendStudioPage = (reply: FastifyReply) =>
    reply.header('content-security-policy', STUDIO_CSP).header('x-frame-options', 'DENY').header('cache-control', 'no-cache')
      .sendFile('index.html', studio!, { cacheControl: false }); // ours, not the plugin's max-age=0
  if (studio) {
    // Two registrations: one gives every reply sendFile (the studio's index.html, served by the
    // not-found handler too); the other serves the built files, each a route of its own, all public.
    await app.register(fastifyStatic, { root: studio, serve: false });
    await app.register(async (files) => {
      files.addHook('onRoute', (route) => { route.config = { ...route.config, access: 'public' }; });
      await files.register(fastifyStatic, {
        root: studio,
        decorateReply: false,
        wildcard: false, // one route per built file; unknown paths fall through to the handler above
        index: false,
        cacheControl: false, // set below, per file
        // Vite names assets by content hash: they never change under the same name.
        setHeaders: (res, filePath) => {
          res.setHeader('cache-control', filePath.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
        },
      });
    });
    app.get('/', { ...allow('public'), schema: serverSchemas.home }, async (_req, reply) => sendStudioPage(reply));
  } else {
    app.get('/', { ...allow('public'), schema: serverSchemas.home }, async (req, reply) => reply.type('text/html; charset=utf-8').send(landingPage(deps.videos.models(), `${req.protocol}://${req.host}`)));
  }
  app.get('/healthz', { ...allow('public'), schema: serverSchemas.healthz }, async () => ({ status: 'ok' }));
  app.get('/readyz', { ...allow('public'), schema: serverSchemas.readyz }, async (_req, reply) => {
    try {
      await deps.ready();
      return { status: 'ready' };
    } catch (err) {
      return reply.status(503).send({ status: 'unavailable', reason: (err as Error).message });
    }
  });

  // The host guard has already accepted req.host: the document names the server as it was reached.
  app.get('/openapi.json', { ...allow('public'), schema: serverSchemas.openapi }, async (req) => openApiDocument(app, `${req.protocol}://${req.host}`));
  app.get('/docs', { ...allow('public'), schema: serverSchemas.docs }, async (req, reply) =>
    reply.type('text/html; charset=utf-8').header('content-security-policy', DOCS_CSP).header('cache-control', 'no-cache')
      .send(docsPage(openApiDocument(app, `${req.protocol}://${req.host}`))));

  // Admins only (an admin API key as Prometheus's bearer token): series name engines, routes and
  // queue sizes. A worker's or a separate ops port serves it to anyone instead (ops-server.ts).
  if (metrics) {
    app.get('/metrics', { ...allow('admin'), schema: serverSchemas.metrics }, async (_req, reply) =>
      reply.type(metrics.contentType).header('cache-control', 'no-store').send(await metrics.scrape()));
  }

  modelRoutes(app, deps.videos);
  videoRoutes(app, deps.videos, { maxUploadBytes: deps.maxUploadBytes, maxSourceBytes: deps.files?.maxFileBytes ?? deps.maxUploadBytes });
  contentRoutes(app, deps.videos, { accelRedirect: deps.accelRedirect, presignSeconds: deps.presignSeconds });
  eventRoutes(app, deps.videos, metrics ? { onStream: () => metrics.sseOpened() } : {});
  studioRoutes(app, deps.videos);
  authRoutes(app, { authenticator: deps.authenticator, auth: deps.auth, admin: deps.admin });
  adminRoutes(app, { admin: deps.admin, auth: deps.auth, engines: () => [...new Set(deps.videos.models().map((m) => m.engine))] });
  if (deps.engineStatus) engineRoutes(app, deps.engineStatus);
  const sharing = deps.sharing;
  if (sharing) {
    sharingRoutes(app, sharing);
    moderationRoutes(app, sharing);
    if (studio) {
      // A shared link previews (Open Graph) when the feed is public; the page itself is the studio's.
      app.get<{ Params: { id: string } }>('/v/:id', { ...allow('public'), schema: serverSchemas.publicPage }, async (req, reply) => {
        const page = sharing.publicFeed ? await sharing.feed.video(null, req.params.id).catch(() => null) : null;
        if (!page) return sendStudioPage(reply);
        const html = openGraphTags(await readFile(join(studio, 'index.html'), 'utf8'), page, `${req.protocol}://${req.host}`);
        return reply.header('content-security-policy', STUDIO_CSP).header('x-frame-options', 'DENY').header('cache-control', 'no-cache')
          .type('text/html; charset=utf-8').send(html);
      });
    }
  }
  if (deps.webhooks) webhookRoutes(app, deps.webhooks);
  if (deps.queueControl) queueRoutes(app, deps.queueControl);
  if (deps.batches) batchRoutes(app, deps.batches, metrics ? { onStream: () => metrics.sseOpened() } : {});
  if (deps.files) fileRoutes(app, deps.files.service, { maxFileBytes: deps.files.maxFileBytes });
  if (deps.characters) characterRoutes(app, deps.characters.service, { maxFileBytes: deps.characters.maxFileBytes });
  if (deps.provenance) await provenanceRoutes(app, deps.provenance, { maxVerifyBytes: deps.maxVerifyBytes ?? 128 * 1024 * 1024 });
  return app;
}
