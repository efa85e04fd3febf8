// The Batch panel: drop a prompt list (text, CSV or JSONL) or paste one, see it as the server read
// it (each video, the bad lines and why, how much the plan takes), start it, follow its progress
// live (SSE), cancel it, download the zip. Progress is announced politely, problems as alerts.
// The latest batches are listed below, so a batch still running after a reload can be followed again.
import { useCallback, useEffect, useRef, useState, type DragEvent } from 'react';
import { api, errorText } from '../lib/api';
import { countsText, startChoice, type Batch, type BatchPreview } from '../lib/batches';
import { TableWrap } from './table-wrap';

const SHOWN_ROWS = 50;

export function BatchPanel() {
  const [list, setList] = useState<File | null>(null);
  const [pasted, setPasted] = useState('');
  const [preview, setPreview] = useState<BatchPreview | null>(null);
  const [partial, setPartial] = useState(false);
  const [batch, setBatch] = useState<Batch | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [over, setOver] = useState(false);
  const [recent, setRecent] = useState<Batch[]>([]);
  const source = useRef<EventSource | null>(null);

  // A server without batches (or one failing to list them) just shows no list.
  const loadRecent = useCallback(() => api.batches.recent().then(setRecent, () => setRecent([])), []);
  useEffect(() => { void loadRecent(); }, [loadRecent]);
  useEffect(() => () => source.current?.close(), []);

  const check = async (f: File) => {
    setList(f);
    setPreview(null);
    setBatch(null);
    setError(null);
    setBusy(true);
    try { setPreview(await api.batches.preview(f, {})); } catch (err) { setError(errorText(err)); } finally { setBusy(false); }
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    const f = e.dataTransfer.files[0];
    if (f) void check(f);
  };

  const follow = (b: Batch) => {
    source.current?.close();
    setBatch(b);
    void loadRecent();
    if (b.status !== 'in_progress') return;
    const es = new EventSource(api.batches.eventsUrl(b.id));
    source.current = es;
    const onEvent = (e: MessageEvent<string>) => {
      const next = JSON.parse(e.data) as Batch;
      setBatch(next);
      if (next.status !== 'in_progress') { es.close(); void loadRecent(); }
    };
    for (const name of ['batch.in_progress', 'batch.completed', 'batch.cancelled']) es.addEventListener(name, onEvent as EventListener);
  };

  const start = async () => {
    if (!list) return;
    setError(null);
    setBusy(true);
    try { follow(await api.batches.create(list, {}, partial)); } catch (err) { setError(errorText(err)); } finally { setBusy(false); }
  };
  const cancel = async () => {
    if (!batch) return;
    setError(null);
    try { follow(await api.batches.cancel(batch.id)); } catch (err) { setError(errorText(err)); }
  };

  const choice = preview ? startChoice(preview) : 'blocked';
  return (
    <section className="panel batch" aria-labelledby="batch-h">
      <h2 id="batch-h">Batch</h2>
      <p className="hint">Many videos from one list: one prompt a line, a CSV with a <code>prompt</code> column (and any of model, seconds, size, fps, seed, variations), or JSONL. The download holds every finished MP4 and a manifest.csv.</p>
      <div className={`drop${over ? ' over' : ''}`} onDragOver={(e) => { e.preventDefault(); setOver(true); }} onDragLeave={() => setOver(false)} onDrop={onDrop}>
        <label htmlFor="batch-file">Drop a list here (.txt, .csv, .jsonl), or choose one</label>
        <input id="batch-file" type="file" accept=".txt,.csv,.tsv,.jsonl,.ndjson,text/plain,text/csv" onChange={(e) => { const f = e.target.files?.[0]; if (f) void check(f); }} />
      </div>
      <details>
        <summary>Or paste a list</summary>
        <label htmlFor="batch-text">The list</label>
        <textarea id="batch-text" rows={5} value={pasted} onChange={(e) => setPasted(e.target.value)} />
        {/* No extension: the server tells text, CSV and JSONL apart by their content. */}
        <button type="button" disabled={!pasted.trim()} onClick={() => void check(new File([pasted], 'pasted list'))}>Check the list</button>
      </details>
      {busy && <p className="state" role="status">{batch ? 'Starting…' : `Reading ${list?.name ?? 'the list'}…`}</p>}
      {error && <p className="error-box" role="alert">{error}</p>}
      {preview && !batch && <PreviewTable preview={preview} />}
      {preview && !batch && choice !== 'blocked' && (
        <div className="row">
          {choice === 'partial' && (
            <label><input type="checkbox" checked={partial} onChange={(e) => setPartial(e.target.checked)} /> Start the first {preview.fits} and skip the rest</label>
          )}
          <button type="button" className="primary" disabled={busy || (choice === 'partial' && !partial)} onClick={() => void start()}>
            Start {choice === 'partial' && partial ? preview.fits : preview.videos} video{(choice === 'partial' && partial ? preview.fits : preview.videos) === 1 ? '' : 's'}
          </button>
        </div>
      )}
      {batch && <BatchProgress batch={batch} onCancel={() => void cancel()} />}
      {recent.length > 0 && <RecentBatches batches={recent} current={batch?.id ?? null} onFollow={follow} />}
    </section>
  );
}

function PreviewTable({ preview: p }: { preview: BatchPreview }) {
  return (
    <div className="batch-preview">
      <p role="status">
        {p.videos} video{p.videos === 1 ? '' : 's'}, {p.seconds} s in all, read as {p.format === 'text' ? 'plain text' : p.format.toUpperCase()}.
        {p.fit_message && <> <strong>{p.fit_message}</strong></>}
      </p>
      {p.problems.length > 0 && (
        <div className="error-box" role="alert">
          <p>{p.problems.length} line{p.problems.length === 1 ? '' : 's'} cannot be used; fix {p.problems.length === 1 ? 'it' : 'them'} and choose the file again:</p>
          <ul>{p.problems.map((x, i) => <li key={i}>Line {x.line}: {x.message}</li>)}</ul>
        </div>
      )}
      {p.rows.length > 0 && (
        <TableWrap label="The videos of this list">
          <table>
            <caption>The videos this list makes{p.rows.length > SHOWN_ROWS ? ` (the first ${SHOWN_ROWS} of ${p.rows.length})` : ''}</caption>
            <thead><tr><th scope="col">Line</th><th scope="col">Prompt</th><th scope="col">Model</th><th scope="col">Seconds</th><th scope="col">Size</th><th scope="col">Seed</th></tr></thead>
            <tbody>
              {p.rows.slice(0, SHOWN_ROWS).map((r) => (
                <tr key={`${r.line}-${r.variation}`}>
                  <td>{r.line}{r.variation > 1 ? ` (${r.variation})` : ''}</td><td className="prompt-cell">{r.prompt}</td><td><code>{r.model}</code></td>
                  <td>{r.seconds}</td><td>{r.size}</td><td>{r.seed ?? 'random'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </div>
  );
}

function BatchProgress({ batch: b, onCancel }: { batch: Batch; onCancel(): void }) {
  const label = b.status === 'in_progress' ? 'Running' : b.status === 'cancelled' ? 'Cancelled' : 'Finished';
  return (
    <div className="batch-progress" data-status={b.status}>
      <p>
        <strong>{label}</strong>{b.name ? <> · {b.name}</> : null}
        {b.skipped > 0 && <> · {b.skipped} skipped (not covered by your plan)</>}
      </p>
      <progress max={100} value={b.progress} aria-label={`Batch progress, ${b.progress}%`} />
      <p aria-live="polite" role="status">{countsText(b)}</p>
      <div className="row">
        {b.status === 'in_progress' && <button type="button" onClick={onCancel}>Cancel the batch</button>}
        {b.counts.completed > 0 && <a className="button" href={api.batches.downloadUrl(b.id)} download>Download {b.status === 'in_progress' ? 'what is finished' : 'all'} (zip)</a>}
      </div>
    </div>
  );
}

function RecentBatches({ batches, current, onFollow }: { batches: Batch[]; current: string | null; onFollow(b: Batch): void }) {
  return (
    <>
      <h3 id="recent-batches-h">Recent batches</h3>
      <ul className="plain recent-batches" aria-labelledby="recent-batches-h">
        {batches.map((b) => (
          <li key={b.id}>
            <span>{b.name ?? 'Untitled list'} · {new Date(b.created_at * 1000).toLocaleString()} · {b.status === 'in_progress' ? `${b.progress}%` : b.status} · {countsText(b)}</span>
            {b.status === 'in_progress' && b.id !== current && <button type="button" className="linkish" onClick={() => onFollow(b)}>Follow</button>}
            {b.counts.completed > 0 && <a href={api.batches.downloadUrl(b.id)} download aria-label={`Download ${b.name ?? 'the batch'} (zip)`}>Download</a>}
          </li>
        ))}
      </ul>
    </>
  );
}
