// Every route the server registered, as the router has it: what the access test walks (so a new
// route cannot be forgotten) and what the OpenAPI document is generated from.
import type { FastifyInstance, FastifySchema, HTTPMethods, RouteOptions } from 'fastify';
import type { Access } from './access.js';

export interface RouteEntry {
  method: HTTPMethods;
  /** The router's pattern: '/v1/videos/:id', '/v1/models/*'. */
  url: string;
  /** The declared rule; a route that declares none is admin-only (see access.ts). */
  access: Access;
  schema: FastifySchema | undefined;
}

type Recorded = RouteOptions;
const TABLES = new WeakMap<FastifyInstance, Recorded[]>();

/** Starts recording; call before any route is registered. */
export function recordRoutes(app: FastifyInstance): void {
  const table: Recorded[] = [];
  TABLES.set(app, table);
  // The options object itself is kept and read later: hooks of inner contexts (e.g. the one that
  // makes the studio's files public) run after this one and may still change it.
  app.addHook('onRoute', (route) => { table.push(route); });
}

export function routeTable(app: FastifyInstance): RouteEntry[] {
  const table = TABLES.get(app);
  if (!table) throw new Error('routes were not recorded for this app (recordRoutes)');
  return table.flatMap((route) => (Array.isArray(route.method) ? route.method : [route.method]).map((method) => ({
    method: method as HTTPMethods, url: route.url, access: route.config?.access ?? 'admin', schema: route.schema,
  })));
}
