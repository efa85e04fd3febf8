// Writes test/fixtures/openai-videos-files.schemas.json: the response schemas of OpenAI's Videos
// and Files operations (and every schema they reference), cut from openai/openai-openapi's
// openapi.json, for the SDK conformance test (test/api/openai-conformance.test.ts).
// Usage: node scripts/extract-openai-schemas.mjs <path to openapi.json> <commit>
import { readFileSync, writeFileSync } from 'node:fs';

const [file, commit] = process.argv.slice(2);
if (!file || !commit) throw new Error('usage: extract-openai-schemas.mjs <openapi.json> <commit>');
const spec = JSON.parse(readFileSync(file, 'utf8'));
const roots = ['VideoResource', 'VideoListResource', 'DeletedVideoResource', 'VideoCharacterResource', 'OpenAIFile', 'ListFilesResponse', 'DeleteFileResponse'];
const schemas = {};
const visit = (name) => {
  if (schemas[name]) return;
  const s = spec.components.schemas[name];
  if (!s) throw new Error(`no schema ${name}`);
  schemas[name] = s;
  for (const m of JSON.stringify(s).matchAll(/"#\/components\/schemas\/([^"]+)"/g)) visit(m[1]);
};
roots.forEach(visit);
const operations = {};
for (const [path, ops] of Object.entries(spec.paths)) {
  if (!/^\/(videos|files)/.test(path)) continue;
  for (const [method, op] of Object.entries(ops)) {
    const ref = op?.responses?.['200']?.content?.['application/json']?.schema?.$ref;
    if (ref) operations[`${method.toUpperCase()} ${path}`] = ref.split('/').pop();
  }
}
const out = { source: `openai/openai-openapi openapi.json at ${commit}`, operations, schemas };
writeFileSync(new URL('../test/fixtures/openai-videos-files.schemas.json', import.meta.url), `${JSON.stringify(out, null, 1)}\n`);
console.log(`wrote ${Object.keys(schemas).length} schemas for ${Object.keys(operations).length} operations`);
