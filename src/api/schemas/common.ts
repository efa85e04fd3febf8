// The pieces every route's schema is made of. A route's `schema` is written as OpenAPI 3.1 wants
// it (responses and bodies keyed by media type, JSON Schema 2020-12 inside), in the shape Fastify
// also accepts, so one object serves both; api/openapi.ts turns the route table into the document.
// These schemas document the wire, they do not enforce it: see the compilers in api/server.ts.
import type { FastifySchema } from 'fastify';

/** A JSON Schema (2020-12), as plain data. */
export type Schema = Record<string, unknown>;

/** An OpenAPI Response Object; Fastify reads only its `content`. */
export interface ResponseDoc {
  description: string;
  headers?: Record<string, { description: string; schema: Schema }>;
  content?: Record<string, { schema: Schema }>;
}

export interface RouteDoc extends FastifySchema {
  summary: string;
  description?: string;
  tags: string[];
  operationId: string;
  /** Object schemas, one property per parameter (its `description` becomes the parameter's). */
  params?: Schema;
  querystring?: Schema;
  headers?: Schema;
  body?: { description?: string; required?: boolean; content: Record<string, { schema: Schema }> };
  response: Record<string, ResponseDoc>;
  /** Left out of the document (the studio's built files, one route each). */
  hide?: boolean;
}

/** A component of the document, by name (they all live in components.schemas). */
export const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });

export const nullable = (schema: Schema): Schema => {
  if (typeof schema.type === 'string') return { ...schema, type: [schema.type, 'null'] };
  return { anyOf: [schema, { type: 'null' }] };
};

export const str = (description: string, extra: Schema = {}): Schema => ({ type: 'string', description, ...extra });
export const int = (description: string, extra: Schema = {}): Schema => ({ type: 'integer', description, ...extra });
export const num = (description: string, extra: Schema = {}): Schema => ({ type: 'number', description, ...extra });
export const bool = (description: string): Schema => ({ type: 'boolean', description });
export const unixSeconds = (description: string): Schema => ({ type: 'integer', description: `${description} (Unix seconds)` });

/** An object whose listed properties are all present (the wire never leaves one out). */
export function object(properties: Record<string, Schema>, extra: Schema = {}): Schema {
  return { type: 'object', properties, required: Object.keys(properties), ...extra };
}

/** An object of optional fields (request bodies, query strings). */
export function optionalFields(properties: Record<string, Schema>, required: string[] = []): Schema {
  return { type: 'object', properties, ...(required.length ? { required } : {}) };
}

export const pathParams = (properties: Record<string, Schema>): Schema => object(properties);

export const json = (description: string, schema: Schema, headers?: ResponseDoc['headers']): ResponseDoc =>
  ({ description, ...(headers ? { headers } : {}), content: { 'application/json': { schema } } });

export const jsonBody = (schema: Schema, description?: string): NonNullable<RouteDoc['body']> =>
  ({ ...(description ? { description } : {}), required: true, content: { 'application/json': { schema } } });

/** A 4xx/5xx in OpenAI's envelope; the description names the codes a client can expect. */
export const error = (description: string, headers?: ResponseDoc['headers']): ResponseDoc => json(description, ref('Error'), headers);

export const html = (description: string): ResponseDoc => ({ description, content: { 'text/html': { schema: { type: 'string' } } } });

export const OK = object({ ok: { const: true } });

export const components: Record<string, Schema> = {
  Error: object({
    error: object({
      message: str('What went wrong, for a person to read.'),
      type: str("The error's class.", { enum: ['invalid_request_error', 'not_found_error', 'rate_limit_error', 'server_error'] }),
      param: nullable(str('The request field at fault, when there is one.')),
      code: nullable(str('A stable code to act on, e.g. `invalid_value`, `not_found`, `insufficient_quota`.')),
    }),
  }, { description: "Every error, from any layer, in OpenAI's envelope." }),
};
