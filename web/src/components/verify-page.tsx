// Anyone can check a video file here: drop or pick an MP4; the server reads its signed manifest
// and says whether it is valid, who signed it, what made it, who made it and when, what it was
// remixed from, whether this server made it, and whether it was altered since.
import { useEffect, useState, type DragEvent } from 'react';
import { api, errorText } from '../lib/api';
import { dateText, manifestAuthor, sourceTypeWords, trainingWords, verifyHeadline } from '../lib/sharing';
import type { VerifyResult } from '../lib/types';
import { go } from './public-parts';

export function VerifyPage() {
  const [file, setFile] = useState<File | null>(null);
  const [result, setResult] = useState<VerifyResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [over, setOver] = useState(false);
  useEffect(() => { document.title = 'Verify a video · Méliès'; }, []);

  const check = async (f: File) => {
    setFile(f);
    setResult(null);
    setError(null);
    setBusy(true);
    try { setResult(await api.verify(f)); } catch (err) { setError(errorText(err)); } finally { setBusy(false); }
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    const f = e.dataTransfer.files[0];
    if (f) void check(f);
  };

  return (
    <section className="panel verify" aria-labelledby="verify-h">
      <h1 id="verify-h">Verify a video</h1>
      <p className="hint">Every video this server makes carries a signed record of what made it. Check any MP4: the file is read by the server and not kept.</p>
      <div className={`drop${over ? ' over' : ''}`} onDragOver={(e) => { e.preventDefault(); setOver(true); }} onDragLeave={() => setOver(false)} onDrop={onDrop}>
        <label htmlFor="verify-file">Drop an MP4 here, or choose one</label>
        <input id="verify-file" type="file" accept="video/mp4,.mp4" onChange={(e) => { const f = e.target.files?.[0]; if (f) void check(f); }} />
      </div>
      {busy && <p className="state" role="status">Checking {file?.name}…</p>}
      {error && <p className="error-box" role="alert">{error}</p>}
      {result && <VerifyReport result={result} name={file?.name ?? 'the file'} />}
    </section>
  );
}

function VerifyReport({ result: r, name }: { result: VerifyResult; name: string }) {
  const head = verifyHeadline(r);
  return (
    <div className={`verdict ${head.tone}`} role="status" aria-labelledby="verdict-h" data-state={r.state}>
      <h2 id="verdict-h">{head.tone === 'ok' ? '✓ ' : head.tone === 'bad' ? '✗ ' : ''}{head.title}</h2>
      <p>{r.reason}</p>
      <dl className="params">
        <dt>File</dt><dd>{name}</dd>
        <dt>Valid</dt><dd>{r.valid ? 'yes' : 'no'}</dd>
        <dt>Altered since signing</dt><dd>{r.altered ? 'yes' : 'no'}</dd>
        <dt>Signed by</dt><dd>{r.signer ?? 'unknown'}</dd>
        {(r.engine || r.model) && <><dt>Made with</dt><dd>{r.engine && <code>{r.engine}</code>}{r.engine && r.model && ', model '}{r.model && <code>{r.model}</code>}</dd></>}
        <dt>Author</dt><dd>{r.author?.handle
          ? <a href={`/u/${r.author.handle}`} onClick={go(`/u/${r.author.handle}`)}>{manifestAuthor(r.author)}</a>
          : manifestAuthor(r.author) ?? 'unknown'}</dd>
        {r.digital_source_type && <><dt>Source</dt><dd>{sourceTypeWords(r.digital_source_type)}</dd></>}
        {r.training && <><dt>AI training</dt><dd>{trainingWords(r.training)}</dd></>}
        <dt>Made on</dt><dd>{dateText(r.created_at)}</dd>
        <dt>Made by this server</dt>
        <dd>{r.made_here ? <>yes{r.video_id && <> — <a href={`/v/${r.video_id}`} onClick={go(`/v/${r.video_id}`)}>its public page</a>, if published</>}</> : 'no'}</dd>
      </dl>
      <h3>Ingredients</h3>
      {r.ingredients.length === 0 ? <p className="empty">None: it was not remixed from another video.</p> : (
        <ul className="plain ingredients" aria-label="Ingredients">
          {r.ingredients.map((g, i) => (
            <li key={`${g.video_id ?? 'x'}-${i}`}>
              {g.video_id ? <a href={`/v/${g.video_id}`} onClick={go(`/v/${g.video_id}`)}><em>{g.title}</em></a> : <em>{g.title}</em>}
              {manifestAuthor(g.author) && <> by {manifestAuthor(g.author)}</>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
