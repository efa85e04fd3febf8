// GET /docs: the OpenAPI document rendered on the server into one plain HTML page (a table of
// contents, every operation, every object). No script and nothing fetched: its CSP allows only
// its own inline style, by hash.
import { createHash } from 'node:crypto';
import type { Access } from './access.js';
import type { OpenApiDocument, Operation, Parameter } from './openapi.js';
import type { ResponseDoc, Schema } from './schemas/common.js';

const CSS = `body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1d1d1f;background:#fff}
.layout{display:flex;align-items:flex-start}nav{position:sticky;top:0;max-height:100vh;overflow:auto;width:17rem;flex:none;padding:1rem;border-right:1px solid #e3e3e3;font-size:13px;box-sizing:border-box}
nav ul{list-style:none;padding-left:.6rem;margin:.2rem 0 .8rem}nav a{color:inherit;text-decoration:none}nav a:hover{text-decoration:underline}
main{flex:1;min-width:0;overflow-wrap:anywhere;max-width:62rem;padding:1rem 2rem 4rem}h1{margin-top:.5rem}h2{margin-top:2.5rem;border-bottom:1px solid #e3e3e3;padding-bottom:.3rem}
article{margin:1.5rem 0 2.2rem}h3{font-size:1.05rem;margin:0 0 .3rem}code{font:13px/1.4 ui-monospace,monospace;background:#f3f3f5;border-radius:4px;padding:.05rem .3rem}
.m{display:inline-block;min-width:3.6rem;text-align:center;border-radius:4px;font:600 12px/1.7 ui-monospace,monospace;color:#fff;margin-right:.4rem}
.get{background:#2f6fb2}.post{background:#2e8540}.put{background:#a05a00}.delete{background:#b3261e}.patch{background:#6d4aa8}
.who{font-size:13px;color:#555}table{border-collapse:collapse;width:100%;margin:.4rem 0 .8rem;font-size:14px}th,td{text-align:left;vertical-align:top;border-top:1px solid #eee;padding:.3rem .5rem}
th,.nw{white-space:nowrap;overflow-wrap:normal}th{font-weight:600;color:#555;font-size:12px;text-transform:uppercase;letter-spacing:.03em}td table{margin:.3rem 0 0}.opt{color:#777;font-size:12px}.k{font-weight:600;font-size:13px;margin:.7rem 0 .2rem}
@media (max-width:50rem){.layout{display:block}nav{position:static;width:auto;max-height:none;border-right:0;border-bottom:1px solid #e3e3e3}main{padding:1rem}}`;

/** The page's Content-Security-Policy: its one inline style, nothing else. */
export const DOCS_CSP = [
  "default-src 'none'", `style-src 'sha256-${createHash('sha256').update(CSS).digest('base64')}'`, "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'",
].join('; ');

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const REF = '#/components/schemas/';

/** The little markdown the descriptions use: paragraphs, `code` and **bold**. */
function inline(text: string): string {
  return escape(text).replace(/`([^`]+)`/g, '<code>$1</code>').replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>');
}
function prose(text: string | undefined): string {
  return (text ?? '').split(/\n{2,}/).filter((p) => p.trim()).map((p) => `<p>${inline(p)}</p>`).join('\n');
}

/** A schema's type in a few words: links for named objects, values for enums and constants. */
function typeOf(s: Schema): string {
  if (typeof s.$ref === 'string') {
    const name = s.$ref.slice(REF.length);
    return `<a href="#schema-${escape(name)}">${escape(name)}</a>`;
  }
  if ('const' in s) return `<code>${escape(JSON.stringify(s.const))}</code>`;
  if (Array.isArray(s.enum)) return s.enum.map((v) => `<code>${escape(JSON.stringify(v))}</code>`).join(' | ');
  const union = (s.anyOf ?? s.oneOf) as Schema[] | undefined;
  if (union) return union.map(typeOf).join(' | ');
  if (typeof s.contentMediaType === 'string') return 'file (bytes)';
  const types = Array.isArray(s.type) ? s.type as string[] : typeof s.type === 'string' ? [s.type] : [];
  if (!types.length) return s.properties ? 'object' : 'any JSON';
  return types.map((t) => (t === 'array' && s.items ? `${typeOf(s.items as Schema)}[]` : t)).join(' | ');
}

function constraints(s: Schema): string {
  const parts: string[] = [];
  if (s.minimum !== undefined || s.maximum !== undefined) parts.push(`${s.minimum ?? '…'} to ${s.maximum ?? '…'}`);
  if (s.minLength !== undefined) parts.push(`at least ${s.minLength} characters`);
  if (s.maxLength !== undefined) parts.push(`at most ${s.maxLength} characters`);
  if (s.default !== undefined) parts.push(`default ${JSON.stringify(s.default)}`);
  return parts.length ? ` <span class="opt">(${escape(parts.join('; '))})</span>` : '';
}

/** An inline object's properties as a table; anything else as its type. */
function schemaBlock(s: Schema): string {
  const objectLike = s.anyOf ? (s.anyOf as Schema[]).find((x) => x.properties) : s;
  if (!objectLike?.properties) return `${typeOf(s)}${s.description && !s.$ref ? ` — ${inline(String(s.description))}` : ''}`;
  return propertiesTable(objectLike);
}

function propertiesTable(s: Schema): string {
  const required = new Set((s.required as string[] | undefined) ?? []);
  const rows = Object.entries(s.properties as Record<string, Schema>).map(([name, p]) => {
    const inner = p.properties ? propertiesTable(p) : (p.anyOf as Schema[] | undefined)?.find((x) => x.properties) ? schemaBlock(p) : '';
    return `<tr><td><code>${escape(name)}</code>${required.has(name) ? '' : ' <span class="opt">optional</span>'}</td><td>${typeOf(p)}${constraints(p)}</td><td>${inline(String(p.description ?? ''))}${inner}</td></tr>`;
  });
  return `<table><tr><th>Field</th><th>Type</th><th>Description</th></tr>${rows.join('')}</table>`;
}

function parametersTable(list: Parameter[]): string {
  const rows = list.map((p) => `<tr><td><code>${escape(p.name)}</code>${p.required ? '' : ' <span class="opt">optional</span>'}</td><td class="nw">${p.in}</td><td>${typeOf(p.schema)}${constraints(p.schema)}</td><td>${inline(p.description ?? '')}</td></tr>`);
  return `<div class="k">Parameters</div><table><tr><th>Name</th><th>In</th><th>Type</th><th>Description</th></tr>${rows.join('')}</table>`;
}

/** Each media type with its schema: a named object on the same line, an inline one as a table. */
function content(c: Record<string, { schema: Schema }> | undefined): string {
  return Object.entries(c ?? {}).map(([media, { schema }]) => {
    const table = schema.properties || (schema.anyOf as Schema[] | undefined)?.some((x) => x.properties);
    return table ? `<div class="opt">${escape(media)}:</div>${schemaBlock(schema)}` : `<div><span class="opt">${escape(media)}:</span> ${schemaBlock(schema)}</div>`;
  }).join('');
}

function responses(r: Record<string, ResponseDoc>): string {
  const rows = Object.entries(r).map(([status, resp]) => {
    const headers = Object.entries(resp.headers ?? {}).map(([h, d]) => `<div><code>${escape(h)}</code>: ${inline(d.description)}</div>`).join('');
    return `<tr><td><strong>${escape(status)}</strong></td><td>${inline(resp.description)}${headers}${content(resp.content)}</td></tr>`;
  });
  return `<div class="k">Responses</div><table><tr><th>Status</th><th>Answer</th></tr>${rows.join('')}</table>`;
}

function who(op: Operation): string {
  const access: Access = op['x-melies-access'];
  if (access === 'public') return 'Anyone (no credentials needed).';
  const csrf = op.security.some((s) => 'csrf' in s) ? ' (with <code>x-csrf-token</code>)' : '';
  if (access === 'session') return `A signed-in studio session${csrf}; not an API key.`;
  if (access === 'admin') return `Operators: an admin session${csrf}, or an API key with the <code>admin</code> scope.`;
  const scope = op.security.find((s) => s.apiKey)?.apiKey?.[0] ?? '';
  return `An API key with <code>${escape(scope)}</code>, or a signed-in session${csrf}.`;
}

function operationHtml(path: string, method: string, op: Operation): string {
  return `<article id="op-${escape(op.operationId)}">
<h3><span class="m ${method}">${method.toUpperCase()}</span><code>${escape(path)}</code></h3>
<div><strong>${inline(op.summary)}</strong></div><div class="who">Who: ${who(op)}</div>
${prose(op.description)}
${op.parameters?.length ? parametersTable(op.parameters) : ''}
${op.requestBody ? `<div class="k">Request body</div>${prose(op.requestBody.description)}${content(op.requestBody.content)}` : ''}
${responses(op.responses)}
</article>`;
}

export function docsPage(doc: OpenApiDocument): string {
  const ops = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })));
  const byTag = doc.tags.map((t) => ({ ...t, ops: ops.filter((o) => o.op.tags[0] === t.name) }));
  const untagged = ops.filter((o) => !doc.tags.some((t) => t.name === o.op.tags[0]));
  if (untagged.length) byTag.push({ name: 'Other', description: '', ops: untagged });
  const schemas = Object.entries(doc.components.schemas);
  const toc = byTag.map((t) => `<li><a href="#tag-${escape(t.name)}">${escape(t.name)}</a><ul>${t.ops.map((o) => `<li><a href="#op-${escape(o.op.operationId)}">${escape(o.op.summary)}</a></li>`).join('')}</ul></li>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(doc.info.title)} reference</title><style>${CSS}</style></head>
<body><div class="layout"><nav aria-label="Contents"><strong>${escape(doc.info.title)}</strong><ul>${toc}<li><a href="#schemas">Objects</a><ul>${schemas.map(([n]) => `<li><a href="#schema-${escape(n)}">${escape(n)}</a></li>`).join('')}</ul></li></ul></nav>
<main><h1>${escape(doc.info.title)} <span class="opt">${escape(doc.info.version)}</span></h1>
<p>${inline(doc.info.summary)} Server: <code>${escape(doc.servers[0]?.url ?? '')}</code>. The same, as an OpenAPI 3.1 document: <a href="/openapi.json">/openapi.json</a>.</p>
${prose(doc.info.description)}
${byTag.map((t) => `<section><h2 id="tag-${escape(t.name)}">${escape(t.name)}</h2>${prose(t.description)}${t.ops.map((o) => operationHtml(o.path, o.method, o.op)).join('\n')}</section>`).join('\n')}
<section><h2 id="schemas">Objects</h2>${schemas.map(([name, s]) => `<article id="schema-${escape(name)}"><h3>${escape(name)}</h3>${prose(s.description as string | undefined)}${schemaBlock({ ...s, description: undefined })}</article>`).join('\n')}</section>
</main></div></body></html>`;
}
