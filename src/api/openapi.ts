// The OpenAPI 3.1 document, generated from the routes the server registered (route-table.ts) and
// the schema each one carries (api/schemas/): a route cannot be added without appearing here.
// Who may call an operation comes from the route's own access rule, as the auth hook enforces it.
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { isSafeMethod, type Access } from './access.js';
import { routeTable, type RouteEntry } from './route-table.js';
import { accountComponents } from './schemas/account.schemas.js';
import { sharingComponents } from './schemas/sharing.schemas.js';
import { components as commonComponents, error, type ResponseDoc, type RouteDoc, type Schema } from './schemas/common.js';
import { videoComponents } from './schemas/video.schemas.js';
import { webhookComponents } from './schemas/webhook.schemas.js';
import { fileComponents } from './schemas/file.schemas.js';
import { characterComponents } from './schemas/character.schemas.js';
import { provenanceComponents } from './schemas/provenance.schemas.js';
import { queueComponents } from './schemas/queue.schemas.js';
import { batchComponents } from './schemas/batch.schemas.js';

export interface Operation {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  'x-melies-access': Access;
  security: Record<string, string[]>[];
  parameters?: Parameter[];
  requestBody?: NonNullable<RouteDoc['body']>;
  responses: Record<string, ResponseDoc>;
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  description?: string;
  schema: Schema;
}

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; summary: string; description: string; license: { name: string; identifier: string } };
  servers: { url: string }[];
  tags: { name: string; description: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema>; securitySchemes: Record<string, Record<string, unknown>> };
}

/** Both from src/ (tsx) and dist/ (built) the package root is two levels up. */
const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

const INTRO = `\`/v1\` speaks OpenAI's Videos API: point the openai SDK's \`baseURL\` at this server's \`/v1\`. \`/api\` holds what the web studio needs beyond it: the library, accounts, and the operators' controls.

**Authentication.** In local mode (the default on loopback) there is one implicit user: no credentials are needed, and the routes for sign-in, sessions and keys answer 404 \`local_mode\`. In multi-user mode (\`MELIES_AUTH=multi\`, forced when the server listens beyond loopback) every route but the public ones needs an API key (\`Authorization: Bearer mls_…\`, what the SDK sends as \`apiKey\`) or the studio's session cookie. With the cookie, every write (POST, PUT, PATCH, DELETE) also carries \`x-csrf-token\` (the \`csrf_token\` from sign-in or \`GET /api/session\`), and a write the browser marks cross-site is refused (403 \`csrf_failed\`). A request with a key ignores cookies. Keys have scopes: \`videos:read\` for GET, \`videos:write\` for the rest, \`admin\` for the operators' routes.

**Errors.** Every error, from any layer, is OpenAI's envelope \`{"error":{"message","type","param","code"}}\` with a message written for people and a stable \`code\`. Too many requests: 429 \`rate_limited\` with \`Retry-After\`. Over quota: 429 \`insufficient_quota\`, saying when it resets.

**Conventions.** Times are Unix seconds, money is US dollars, ids carry their kind (\`video_\`, \`usr_\`, \`key_\`, \`inv_\`, \`ses_\`). Every GET also answers HEAD. Every answer carries \`x-request-id\`.`;

const TAGS = [
  { name: 'Videos', description: "OpenAI's Videos API: create, list, retrieve, delete, remix, download; and a Server-Sent Events stream per video." },
  { name: 'Files', description: "OpenAI's Files API: upload an image or an MP4 video once, then use it as `input_reference: {file_id}`." },
  { name: 'Characters', description: "OpenAI's video characters (Sora 2's cameos): a person or figure from a short clip, used in up to 2 videos' `characters`; its creator confirms consent, decides who may use it, revokes it at once and sees every video made with it." },
  { name: 'Models', description: 'The model cards: what each model can do, and what it costs.' },
  { name: 'Studio', description: "The web studio's library: search, one video with its lineage, favourites, cancel." },
  { name: 'Account', description: "The caller's own account: sign-in, sessions, API keys, usage." },
  { name: 'Admin', description: "Operators' controls: users, plans, invites, pauses, anyone's key, the audit log, the engines' health." },
  { name: 'Sharing', description: "Publishing on the author's terms: licences, the public feed and pages, remix credit, reports, notifications." },
  { name: 'Moderation', description: "Operators' publish policy, review queue, reports and takedowns." },
  { name: 'Batches', description: 'Many videos from one prompt list (text, CSV or JSONL): checked against the plan as a whole, followed as one, cancelled as one, downloaded as one zip with a manifest.' },
  { name: 'Webhooks', description: 'Signed events (Standard Webhooks) to your own URLs: a video completed, failed, was published or remixed.' },
  { name: 'Provenance', description: 'Every video is signed (C2PA, in the MP4): check any file against this instance.' },
  { name: 'Health', description: 'For load balancers and supervisors.' },
  { name: 'Documentation', description: 'This document, as JSON and as a page.' },
];

const SECURITY_SCHEMES = {
  apiKey: {
    type: 'http', scheme: 'bearer', bearerFormat: 'mls_…',
    description: 'An API key, made in the studio (Settings) or with `melies keys create`. Its scopes are listed on each operation.',
  },
  session: {
    type: 'apiKey', in: 'cookie', name: 'melies_session',
    description: "The studio's session cookie, set by sign-in: `__Host-melies_session` behind TLS, `melies_session` on plain-http loopback.",
  },
  csrf: {
    type: 'apiKey', in: 'header', name: 'x-csrf-token',
    description: "With the session cookie, every write carries the session's `csrf_token`.",
  },
};

const ACCESS_NOTES: Record<Access, string | null> = {
  public: null,
  member: null,
  session: 'Signed-in studio sessions only: API keys cannot call it.',
  admin: 'Operators only: an admin session, or an API key with the `admin` scope.',
};

/** OpenAPI's security requirements for a route's access rule (role names per scheme, as 3.1 allows). */
function security(access: Access, method: string): Record<string, string[]>[] {
  if (access === 'public') return [];
  const write = !isSafeMethod(method);
  const role = access === 'admin' ? ['admin'] : [];
  const session: Record<string, string[]> = write ? { session: role, csrf: [] } : { session: role };
  if (access === 'session') return [session];
  return [{ apiKey: [access === 'admin' ? 'admin' : write ? 'videos:write' : 'videos:read'] }, session];
}

function authErrors(access: Access): Record<string, ResponseDoc> {
  if (access === 'public') return {};
  return {
    401: error('`unauthorized` (no credentials) or `invalid_api_key` (unknown, expired or revoked).'),
    403: error(`\`forbidden\` (the key or account lacks the permission${access === 'session' ? '; API keys cannot use this route' : ''}) or \`csrf_failed\` (a cookie write without the right \`x-csrf-token\`).`),
    429: error('`rate_limited`: too many requests for this key or account (`Retry-After`).'),
  };
}

const ANY_ERROR = error('Any other error, in the same envelope: e.g. 400 `invalid_url` or `invalid_characters` for a malformed request, 5xx for faults of the server\'s own.');

/** A response status the route documents and the auth layer adds to: one entry, both descriptions. */
function mergeResponses(own: Record<string, ResponseDoc>, added: Record<string, ResponseDoc>): Record<string, ResponseDoc> {
  const out: Record<string, ResponseDoc> = { ...own };
  for (const [status, response] of Object.entries(added)) {
    out[status] = out[status] ? { ...out[status], description: `${out[status].description} Also ${response.description}` } : response;
  }
  const sorted = Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
  return { ...sorted, default: ANY_ERROR };
}

/** '/v1/videos/:id' → '/v1/videos/{id}'; a wildcard takes the name of the path parameter its schema declares. */
export function openApiPath(url: string, params?: Schema): string {
  const named = [...url.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!);
  const declared = Object.keys((params?.properties as Record<string, Schema> | undefined) ?? {});
  const wildcard = declared.find((p) => !named.includes(p)) ?? 'path';
  return url.replace(/:([A-Za-z0-9_]+)/g, '{$1}').replace('*', `{${wildcard}}`);
}

function parameters(where: Parameter['in'], schema: Schema | undefined): Parameter[] {
  const properties = (schema?.properties ?? {}) as Record<string, Schema>;
  const required = new Set((schema?.required as string[] | undefined) ?? []);
  return Object.entries(properties).map(([name, { description, ...rest }]) => ({
    name, in: where, required: where === 'path' || required.has(name),
    ...(typeof description === 'string' ? { description } : {}),
    schema: rest,
  }));
}

function operation(route: RouteEntry): Operation {
  const doc = route.schema as RouteDoc | undefined;
  const note = ACCESS_NOTES[route.access];
  const description = [doc?.description, note].filter(Boolean).join('\n\n');
  const params = [...parameters('path', doc?.params), ...parameters('query', doc?.querystring), ...parameters('header', doc?.headers)];
  return {
    operationId: doc?.operationId ?? `${route.method.toLowerCase()}${route.url.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
    summary: doc?.summary ?? `${route.method} ${route.url}`,
    ...(description ? { description } : {}),
    tags: doc?.tags ?? [],
    'x-melies-access': route.access,
    security: security(route.access, route.method),
    ...(params.length ? { parameters: params } : {}),
    ...(doc?.body ? { requestBody: doc.body } : {}),
    responses: mergeResponses(doc?.response ?? {}, authErrors(route.access)),
  };
}

/** The routes the document describes: not HEAD twins of GET routes, nor the studio's built files. */
export function documentedRoutes(routes: RouteEntry[]): RouteEntry[] {
  const gets = new Set(routes.filter((r) => r.method === 'GET').map((r) => r.url));
  return routes.filter((r) => !(r.method === 'HEAD' && gets.has(r.url)) && !(r.schema as RouteDoc | undefined)?.hide);
}

function build(app: FastifyInstance): Omit<OpenApiDocument, 'servers'> {
  const paths: OpenApiDocument['paths'] = {};
  for (const route of documentedRoutes(routeTable(app))) {
    const path = openApiPath(route.url, (route.schema as RouteDoc | undefined)?.params);
    (paths[path] ??= {})[route.method.toLowerCase()] = operation(route);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Méliès API', version: VERSION, summary: "OpenAI's Videos API, and the Méliès studio's own routes.", description: INTRO,
      license: { name: 'AGPL-3.0-or-later', identifier: 'AGPL-3.0-or-later' },
    },
    tags: TAGS,
    paths,
    components: { schemas: { ...commonComponents, ...videoComponents, ...accountComponents, ...sharingComponents, ...webhookComponents, ...provenanceComponents, ...queueComponents, ...batchComponents, ...fileComponents, ...characterComponents }, securitySchemes: SECURITY_SCHEMES },
  };
}

const BUILT = new WeakMap<FastifyInstance, Omit<OpenApiDocument, 'servers'>>();

/**
 * The document for a request arriving at `origin`. Built once, on first use: by then every route
 * is registered (routes cannot be added once the server listens).
 */
export function openApiDocument(app: FastifyInstance, origin: string): OpenApiDocument {
  let doc = BUILT.get(app);
  if (!doc) BUILT.set(app, (doc = build(app)));
  return { openapi: doc.openapi, info: doc.info, servers: [{ url: origin }], tags: doc.tags, paths: doc.paths, components: doc.components };
}
