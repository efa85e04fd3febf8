// The schemas of the routes api/server.ts registers itself: the studio's page, health, and this
// documentation.
import { html, json, object, str, type RouteDoc } from './common.js';

export const serverSchemas = {
  home: {
    summary: "The studio's page",
    description: 'The web studio (or, when it is not built, a page on how to use the API). Other page addresses (`/videos/…`, `/settings`) get the same page when the browser asks for HTML.',
    tags: ['Studio'], operationId: 'studioPage',
    response: { 200: html('The page.') },
  },
  publicPage: {
    summary: "A published video's page",
    description: "The studio's page for a published video, with Open Graph tags (title, description, thumbnail, video) when the operator opened the feed to everyone, so a shared link previews.",
    tags: ['Sharing'], operationId: 'publicVideoPage',
    params: { type: 'object', properties: { id: { type: 'string', description: 'The video id (`video_…`).' } }, required: ['id'] },
    response: { 200: html('The page.') },
  },
  healthz: {
    summary: 'Liveness', description: 'The process answers.', tags: ['Health'], operationId: 'healthz',
    response: { 200: json('Alive.', object({ status: { const: 'ok' } })) },
  },
  readyz: {
    summary: 'Readiness', description: 'The server can take work (its database answers); when not, `reason` says why.', tags: ['Health'], operationId: 'readyz',
    response: {
      200: json('Ready.', object({ status: { const: 'ready' } })),
      503: json('Not ready, and why.', object({ status: { const: 'unavailable' }, reason: str('What is wrong.') })),
    },
  },
  metrics: {
    summary: 'Metrics for Prometheus',
    description: 'HTTP latency by route, open SSE streams, the queue per engine and state, job durations and engine errors, and the process\'s own figures, in the Prometheus text format. Admins only here (an admin API key as the bearer token); a worker\'s ops port serves it to anyone who can reach that port.',
    tags: ['Health'], operationId: 'metrics',
    response: { 200: { description: 'The Prometheus text exposition (version 0.0.4).', content: { 'text/plain': { schema: { type: 'string' } } } } },
  },
  openapi: {
    summary: 'This API as OpenAPI 3.1', description: 'Generated from the routes the server registered.', tags: ['Documentation'], operationId: 'openapi',
    response: { 200: json('The OpenAPI document.', { type: 'object', description: 'An OpenAPI 3.1.0 document.' }) },
  },
  docs: {
    summary: 'This API as a page', description: 'The OpenAPI document, readable in a browser.', tags: ['Documentation'], operationId: 'docs',
    response: { 200: html('The reference page.') },
  },
} satisfies Record<string, RouteDoc>;
