// The page at / when no built studio is found (e.g. `npm run build:web` never ran): what is running
// and how to use the API anyway.
import type { ModelCard } from '../domain/model-card.js';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function landingPage(models: ModelCard[], origin: string): string {
  const rows = models.map((m) => `<li><code>${escape(m.id)}</code> — ${escape(m.label)}: ${escape(m.description)}</li>`).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Méliès</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:3rem auto;padding:0 1rem;color:#222}code,pre{background:#f3f3f3;border-radius:4px;padding:.1rem .3rem}pre{padding:1rem;overflow:auto}</style>
</head><body>
<h1>Méliès</h1>
<p>An open, self-hostable text-to-video server. This server speaks OpenAI's Videos API at <code>/v1</code>.</p>
<p>The web studio is not built here: run <code>npm run build:web</code> (or <code>npm start</code>, which builds it) and reload.</p>
<h2>Models</h2><ul>${rows}</ul>
<h2>Make a video</h2>
<pre>curl -s ${escape(origin)}/v1/videos -H 'content-type: application/json' \\
  -d '{"model":"sketch","prompt":"a lighthouse on a cliff at dusk","seconds":"8","size":"1280x720"}'</pre>
<p>Then poll <code>GET /v1/videos/{id}</code> (or stream <code>GET /v1/videos/{id}/events</code>) and download
<code>GET /v1/videos/{id}/content</code>.</p>
</body></html>`;
}
