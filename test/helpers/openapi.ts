// Reading an OpenAPI document in tests: its $refs, its path parameters, and a validator that holds
// real answers to the documented schemas in a closed world (an object may carry only the fields
// the document lists, unless the schema itself says more may come), so a field the handler sends
// and the document forgets fails as surely as a field the document promises and the handler lacks.
import Ajv2020Module from 'ajv/dist/2020.js';
import type { OpenApiDocument, Operation } from '../../src/api/openapi.js';

// ajv is CommonJS: its class is the module itself, typed as the default export.
const Ajv2020 = ((Ajv2020Module as unknown as { default?: unknown }).default ?? Ajv2020Module) as unknown as typeof Ajv2020Module.default;

type Json = unknown;

/** Every `$ref` string anywhere in a JSON value. */
export function refsIn(value: Json, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => refsIn(v, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else refsIn(v, out);
    }
  }
  return out;
}

/** What a local `#/…` JSON pointer points at in the document, or undefined. */
export function resolvePointer(doc: Json, ref: string): Json {
  if (!ref.startsWith('#/')) return undefined;
  let node: any = doc;
  for (const part of ref.slice(2).split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))) {
    if (node === null || typeof node !== 'object' || !(part in node)) return undefined;
    node = node[part];
  }
  return node;
}

/** The same schema with every object closed to the properties it lists, and refs pointing at `base`. */
function closedWorld(value: Json, base: string): Json {
  if (Array.isArray(value)) return value.map((v) => closedWorld(v, base));
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === '$ref' && typeof v === 'string') out[k] = v.replace('#/components/schemas/', `${base}#/$defs/`);
    else if (k === 'properties' && v && typeof v === 'object') out[k] = Object.fromEntries(Object.entries(v).map(([name, s]) => [name, closedWorld(s, base)]));
    else out[k] = closedWorld(v, base);
  }
  if (out.properties && !('additionalProperties' in out)) out.additionalProperties = false;
  return out;
}

export const contentType = (headers: Headers | Record<string, unknown>): string => {
  const raw = headers instanceof Headers ? headers.get('content-type') : headers['content-type'];
  return String(raw ?? '').split(';')[0]!.trim().toLowerCase();
};

export class DocumentChecker {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  private readonly compiled = new Map<string, ReturnType<typeof this.ajv.compile>>();
  /** Operations answered with a documented 2xx whose body matched: `GET /v1/videos/{id}`. */
  readonly succeeded = new Set<string>();

  constructor(readonly doc: OpenApiDocument) {
    this.ajv.addSchema({ $id: 'openapi', $defs: closedWorld(doc.components.schemas, 'openapi') as object });
  }

  operation(method: string, template: string): Operation {
    const op = this.doc.paths[template]?.[method.toLowerCase()];
    if (!op) throw new Error(`${method} ${template} is not in the document`);
    return op;
  }

  /** Problems with `body` as the schema at `media` of a documented response or request body; [] if none. */
  problems(schema: object, body: Json): string[] {
    const key = JSON.stringify(schema);
    let validate = this.compiled.get(key);
    if (!validate) this.compiled.set(key, (validate = this.ajv.compile(closedWorld(schema, 'openapi') as object)));
    return validate(body) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
  }

  /**
   * Checks one real answer against the document: its status is documented for the operation, its
   * media type is one the status lists, and a JSON body matches that schema. Returns the problems.
   */
  answer(method: string, template: string, status: number, headers: Headers | Record<string, unknown>, body: Json): string[] {
    const op = this.operation(method, template);
    const response = op.responses[String(status)];
    const where = `${method} ${template} → ${status}`;
    if (!response) return [`${where}: status not documented (documented: ${Object.keys(op.responses).join(', ')})`];
    const media = contentType(headers);
    const documented = response.content ?? {};
    if (!Object.keys(documented).length) {
      // A documented empty answer (204): seen succeeding when it came back empty.
      if (media && body !== '' && body !== undefined) return [`${where}: a body (${media}) where none is documented`];
      if (status >= 200 && status < 300) this.succeeded.add(`${method.toUpperCase()} ${template}`);
      return [];
    }
    const entry = documented[media];
    if (!entry) return [`${where}: answered ${media || 'no content type'}, documented ${Object.keys(documented).join(', ')}`];
    const found = media === 'application/json' ? this.problems(entry.schema, body).map((p) => `${where}: ${p}`) : [];
    if (!found.length && status >= 200 && status < 300) this.succeeded.add(`${method.toUpperCase()} ${template}`);
    return found;
  }

  /** A request body as sent, against the documented request body for its media type. */
  request(method: string, template: string, media: string, body: Json): string[] {
    const entry = this.operation(method, template).requestBody?.content[media];
    if (!entry) return [`${method} ${template}: no ${media} request body documented`];
    return this.problems(entry.schema, body).map((p) => `${method} ${template} request: ${p}`);
  }
}
