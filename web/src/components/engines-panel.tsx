// The operator's view of the engines (GET /api/engines): each ComfyUI server with its GPU, VRAM,
// load and the templates it cannot run (and why), plus the queue. Refreshes every few seconds.
import { useCallback, useEffect, useState } from 'react';
import { api, errorText } from '../lib/api';
import { TableWrap } from './table-wrap';
import { gpuName, isComfy, serverState, vramLine, type ComfyStatus, type EnginesOverview } from '../lib/engines';

const REFRESH_MS = 5000;

export function EnginesPanel() {
  const [data, setData] = useState<EnginesOverview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => api.engines().then((d) => { setData(d); setError(null); }, (err: unknown) => setError(errorText(err))), []);
  useEffect(() => {
    void load();
    const t = setInterval(() => void load(), REFRESH_MS);
    return () => clearInterval(t);
  }, [load]);
  return (
    <section className="panel" aria-labelledby="engines-h">
      <h2 id="engines-h">Engines</h2>
      {error && <p className="error-box" role="alert">{error}</p>}
      {!data ? <p className="state" role="status">Loading engines…</p> : (
        <>
          <p className="hint">Queue: {data.queue.queued} waiting, {data.queue.active} running.</p>
          {data.data.map((e) => (isComfy(e.status)
            ? <ComfyEngine key={e.engine} status={e.status} />
            : <p key={e.engine}><strong>{e.engine}</strong>{e.status ? ` (${e.status.kind})` : ''}: running in this process.</p>))}
        </>
      )}
    </section>
  );
}

function ComfyEngine({ status }: { status: ComfyStatus }) {
  const problems = status.servers.flatMap((s) => s.templates.filter((t) => !t.ok && t.problems.length).map((t) => ({ server: s.label, ...t })));
  return (
    <div data-engine="comfyui">
      <h3>ComfyUI GPUs</h3>
      <p className="hint">{status.waiting === 0 ? 'No job is waiting for a GPU.' : `${status.waiting} job${status.waiting === 1 ? '' : 's'} waiting for a free GPU.`}</p>
      <TableWrap label="ComfyUI servers table">
        <table>
          <thead><tr><th scope="col">Server</th><th scope="col">State</th><th scope="col">GPU</th><th scope="col">VRAM</th><th scope="col">ComfyUI</th></tr></thead>
          <tbody>
            {status.servers.map((s) => (
              <tr key={s.url} data-server={s.label}>
                <td><strong>{s.label}</strong><br /><code>{s.url}</code></td>
                <td>{serverState(s)}</td>
                <td>{s.devices.map((d) => gpuName(d)).join(', ') || '—'}</td>
                <td>{s.devices.map((d) => vramLine(d)).join(', ') || '—'}</td>
                <td>{s.version ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      <ul className="plain">
        {status.models.map((m) => (
          <li key={m.id}><code>{m.id}</code>: {m.available ? `runs on ${m.servers} server${m.servers === 1 ? '' : 's'}` : 'unavailable on every server'}</li>
        ))}
      </ul>
      {problems.length > 0 && (
        <>
          <h4>What to fix</h4>
          <ul className="plain" aria-label="Template problems">
            {problems.map((p) => p.problems.map((text) => <li key={`${p.server}-${p.model}-${text}`}><code>{p.model}</code> on {p.server}: {text}</li>))}
          </ul>
        </>
      )}
    </div>
  );
}
