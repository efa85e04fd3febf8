// A published video as anyone allowed to see the feed sees it: the player, title and description,
// the prompt, what made it in honest words, the author, the licence in plain words, the credit
// line (which cannot be removed), the remixes made from it, and whether its provenance is signed.
// Signed-in viewers can remix it (when its licence allows) and report it.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api, ApiFailure, errorText } from '../lib/api';
import type { JobStore } from '../lib/job-store';
import { atHandle, dateText, remixBlock, remixWords, signInHref, trainingWords } from '../lib/sharing';
import type { ModelCard, PublicVideoDetail } from '../lib/types';
import { Player } from './player';
import { AuthorLink, CreditLines, go, PublicCard } from './public-parts';
import { useRemix } from './use-remix';

/** Who is looking: signed in (with the studio's model cards and job store) or not. */
export type Viewer = { signedIn: false } | { signedIn: true; models: ModelCard[]; store: JobStore };

export function PublicVideoPage({ id, viewer }: { id: string; viewer: Viewer }) {
  const [video, setVideo] = useState<PublicVideoDetail | null>(null);
  const [error, setError] = useState<ApiFailure | null>(null);
  const load = useCallback(() => api.publicVideo(id).then((v) => { setVideo(v); setError(null); }, (err: unknown) => {
    setError(err instanceof ApiFailure ? err : new ApiFailure(String(err), 0));
  }), [id]);
  useEffect(() => { void load(); }, [load]);
  useEffect(() => { if (video) document.title = `${video.title} · Méliès`; }, [video]);

  if (error) {
    return (
      <div className="state error" role="alert">
        <h1>{error.status === 404 ? 'This video is not public' : 'The video could not load'}</h1>
        <p>{error.status === 404 ? 'It was never published here, or its author unpublished it, or it was taken down.' : error.message}</p>
        <p><a href="/explore" onClick={go('/explore')}>Explore published videos</a></p>
      </div>
    );
  }
  if (!video) return <p className="state" role="status">Loading the video…</p>;

  const [width, height] = video.size.split('x').map(Number) as [number, number];
  const card = viewer.signedIn ? viewer.models.find((m) => m.id === video.model) : undefined;
  const blocked = remixBlock(video, card?.remix);

  return (
    <article className="video-page public-video" aria-labelledby="video-h" data-video-id={video.id}>
      <p className="crumbs"><a href="/explore" onClick={go('/explore')}>← Explore</a></p>
      <h1 id="video-h" className="video-title">{video.title}</h1>
      <p className="byline">by <AuthorLink author={video.author} /> · {dateText(video.published_at)}</p>
      <CreditLines credit={video.credit} />

      <div className="video-layout">
        <div className="video-main">
          <Player src={video.content_url} fps={24} width={width} height={height} label={`Video: ${video.title}`} />
          <div className="actions">
            <a className="button" href={video.content_url} download={`${video.id}.mp4`}>Download MP4</a>
            {viewer.signedIn && <RemixAction video={video} blocked={blocked} store={viewer.store} />}
            {!viewer.signedIn && <a href={signInHref(`/v/${video.id}`)} onClick={go(signInHref(`/v/${video.id}`))}>Sign in to remix or report</a>}
          </div>
          {video.description && <p className="description">{video.description}</p>}
          {viewer.signedIn && <ReportAction id={video.id} />}
        </div>

        <aside className="video-side">
          <h2>About this video</h2>
          <dl className="params">
            <dt>Prompt</dt><dd className="prompt">{video.prompt}</dd>
            <dt>Made with</dt><dd>{video.made_with}</dd>
            <dt>Engine</dt><dd><code>{video.engine}</code>, model <code>{video.model}</code></dd>
            <dt>Size</dt><dd>{video.size}, {video.seconds} s</dd>
            <dt>Author</dt><dd><AuthorLink author={video.author} /></dd>
            <dt>Remixing</dt><dd>{remixWords(video.remix)}</dd>
            <dt>AI training</dt><dd>{trainingWords(video.training)}</dd>
            <dt>Provenance</dt>
            <dd>{video.signed
              ? <a className="badge ok" href="/verify" onClick={go('/verify')}>✓ Signed provenance</a>
              : <span className="badge">Not signed</span>}</dd>
          </dl>
          {video.signed && <p className="hint">Download the file and check it on the <a href="/verify" onClick={go('/verify')}>verify page</a>: it says who made it, with what, and whether it was altered.</p>}
        </aside>
      </div>

      <section className="remixes" aria-labelledby="remixes-h">
        <h2 id="remixes-h">Remixes{video.remix_count > 0 ? ` (${video.remix_count})` : ''}</h2>
        {video.remixes.length === 0
          ? <p className="empty">No published remixes yet.</p>
          : <ul className="grid" aria-label={`Remixes of ${video.title}`}>{video.remixes.map((r) => <PublicCard key={r.id} video={r} />)}</ul>}
      </section>
    </article>
  );
}

function RemixAction({ video, blocked, store }: { video: PublicVideoDetail; blocked: string | null; store: JobStore }) {
  const [open, setOpen] = useState(false);
  const { prompt, setPrompt, busy, error, submit } = useRemix(video.id, video.prompt, store);
  if (blocked) {
    return (
      <span className="row">
        <button type="button" disabled aria-describedby="remix-blocked">Remix</button>
        <span id="remix-blocked" className="hint">{blocked}</span>
      </span>
    );
  }
  if (!open) return <button type="button" className="primary" onClick={() => setOpen(true)}>Remix</button>;
  return (
    <form className="remix wide-form" onSubmit={submit}>
      <h2><label htmlFor="remix-prompt">Remix</label></h2>
      <p className="hint">
        A new video of yours on top of this one: same engine, size, duration and seed; your prompt.
        {video.remix === 'allow-with-credit' && ` When you publish it, it credits ${atHandle(video.author)}.`}
      </p>
      <textarea id="remix-prompt" rows={3} value={prompt} onChange={(e) => setPrompt(e.target.value)} />
      <span className="row">
        <button type="submit" className="primary" disabled={busy}>{busy ? 'Submitting…' : 'Make the remix'}</button>
        <button type="button" onClick={() => setOpen(false)}>Cancel</button>
      </span>
      {error && <p className="error-box" role="alert">{error}</p>}
    </form>
  );
}

function ReportAction({ id }: { id: string }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (sent) return <p className="hint" role="status">Thank you. The operators of this server will look at your report.</p>;
  if (!open) return <p><button type="button" className="linkish" onClick={() => setOpen(true)}>Report this video…</button></p>;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try { await api.report(id, reason.trim()); setSent(true); } catch (err) { setError(errorText(err)); }
  };
  return (
    <form className="report stack" onSubmit={submit}>
      <div className="field">
        <label htmlFor="report-reason">What is wrong with this video?</label>
        <textarea id="report-reason" rows={2} value={reason} onChange={(e) => setReason(e.target.value)} required maxLength={1000} />
      </div>
      <span className="row">
        <button type="submit" className="danger">Send report</button>
        <button type="button" onClick={() => setOpen(false)}>Cancel</button>
      </span>
      {error && <p className="error-box" role="alert">{error}</p>}
    </form>
  );
}
