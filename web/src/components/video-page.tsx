// One video: the player, its parameters and scene plan, and what to do next — download,
// favourite, delete (confirmed), reuse its settings, remix, extend or edit it, copy an API snippet. Lineage is
// shown both ways: what it was remixed from, and what was remixed from it. Its owner publishes
// it from here (publish-panel.tsx) when the server has sharing.
import { useCallback, useEffect, useState } from 'react';
import { api, ApiFailure, contentUrl, errorText } from '../lib/api';
import { draftFromVideo, extensionSeconds, type Draft } from '../lib/card-controls';
import type { JobStore } from '../lib/job-store';
import { failureHint, formatDuration, statusLabel } from '../lib/progress';
import { navigate } from '../lib/router';
import { curlSnippet, sdkSnippet } from '../lib/snippets';
import { excerpt, quoted } from '../lib/text';
import { isTerminal, type ModelCard, type Sharing, type Video, type VideoDetail } from '../lib/types';
import { Player } from './player';
import { PublishPanel } from './publish-panel';
import { useNewVideo, useRemix } from './use-remix';

interface Props {
  id: string;
  models: ModelCard[];
  store: JobStore;
  onReuse(draft: Draft): void;
  /** The server's sharing settings; null when it has none (no publishing). */
  sharing?: Sharing | null;
}

const go = (path: string) => (e: { preventDefault(): void }) => { e.preventDefault(); navigate(path); };

export function VideoPage({ id, models, store, onReuse, sharing = null }: Props) {
  const [video, setVideo] = useState<VideoDetail | null>(null);
  const [loadError, setLoadError] = useState<ApiFailure | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);

  const load = useCallback(async () => {
    try {
      const v = await api.detail(id);
      setVideo(v);
      setLoadError(null);
      if (!isTerminal(v.status)) store.track(v);
    } catch (err) {
      setLoadError(err instanceof ApiFailure ? err : new ApiFailure(String(err), 0));
    }
  }, [id, store]);

  useEffect(() => { void load(); }, [load]);

  // Live progress comes through the job store's stream; the finished video is re-read for its plan.
  useEffect(() => store.onChange((change) => {
    if ('removedId' in change) {
      if (change.removedId === id) setLoadError(new ApiFailure('This video was deleted.', 404));
      return;
    }
    if (change.video.id !== id) return;
    setVideo((cur) => (cur ? { ...cur, ...change.video, lineage: cur.lineage } : cur));
    if (isTerminal(change.video.status)) void load();
  }), [store, id, load]);

  useEffect(() => { if (video) document.title = `${excerpt(video.prompt, 60)} · Méliès`; }, [video]);

  if (loadError) {
    return (
      <div className="state error" role="alert">
        <h1>{loadError.status === 404 ? 'Video not found' : 'The video could not load'}</h1>
        <p>{loadError.message}</p>
        <p><a href="/" onClick={go('/')}>Back to the studio</a></p>
      </div>
    );
  }
  if (!video) return <p className="state" role="status">Loading the video…</p>;

  const card = models.find((m) => m.id === video.model);
  const [width, height] = video.size.split('x').map(Number) as [number, number];
  const origin = location.origin;
  const act = async (fn: () => Promise<void>) => {
    setActionError(null);
    try { await fn(); } catch (err) { setActionError(errorText(err)); }
  };
  const reuse = () => onReuse(draftFromVideo(video));

  return (
    <article className="video-page" aria-labelledby="video-h">
      <p className="crumbs"><a href="/" onClick={go('/')}>← Studio</a></p>
      <h1 id="video-h" className="video-title">{video.prompt}</h1>

      <div className="video-layout">
        <div className="video-main">
          {video.status === 'completed' ? (
            <Player src={contentUrl(video.id)} fps={video.fps} width={width} height={height} label={`Video: ${excerpt(video.prompt, 100)}`} />
          ) : (
            <div className={`placeholder big ${video.status}`} style={{ aspectRatio: `${width} / ${height}` }}>
              <div>
                <p className="status">{statusLabel(video)}</p>
                {!isTerminal(video.status) && (
                  <div className="bar" role="progressbar" aria-label="Progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={video.progress}>
                    <span style={{ transform: `scaleX(${video.progress / 100})` }} />
                  </div>
                )}
                {video.status === 'failed' && (
                  <div role="alert">
                    <p>{video.error?.message}</p>
                    <p className="hint">{failureHint(video.error)}</p>
                    {video.error?.detail && (
                      <details className="error-detail">
                        <summary>Details for operators</summary>
                        <pre>{video.error.detail}</pre>
                      </details>
                    )}
                  </div>
                )}
              </div>
            </div>
          )}

          <div className="actions">
            {video.status === 'completed' && <a className="button" href={contentUrl(video.id)} download={`${video.id}.mp4`}>Download MP4</a>}
            <button type="button" aria-pressed={Boolean(video.favorite)} onClick={() => act(async () => {
              const updated = await api.favorite(video.id, !video.favorite);
              setVideo((cur) => (cur ? { ...cur, favorite: updated.favorite } : cur));
              store.announce({ ...video, ...updated });
            })}>{video.favorite ? '★ Favourite' : '☆ Add to favourites'}</button>
            <button type="button" onClick={reuse}>Reuse settings</button>
            {!isTerminal(video.status) && <button type="button" onClick={() => act(async () => store.announce(await api.cancel(video.id)))}>Cancel</button>}
            {!confirming ? (
              <button type="button" className="danger" onClick={() => setConfirming(true)}>Delete…</button>
            ) : (
              <span className="confirm" role="group" aria-label="Confirm delete">
                <span>Delete this video and its files for good?</span>
                <button type="button" className="danger" autoFocus onClick={() => act(async () => {
                  await api.remove(video.id);
                  store.forget(video.id);
                  navigate('/');
                })}>Delete</button>
                <button type="button" onClick={() => setConfirming(false)}>Keep it</button>
              </span>
            )}
          </div>
          {actionError && <p className="error-box" role="alert">{actionError}</p>}

          {video.status === 'completed' && sharing && <PublishPanel video={video} sharing={sharing} />}
          {video.status === 'completed' && card?.remix && <RemixForm video={video} store={store} />}
          {video.status === 'completed' && card && extensionSeconds(card, Number(video.seconds)).length > 0 && <ExtendForm video={video} card={card} store={store} />}
          {video.status === 'completed' && editorsOf(models, video).length > 0 && <EditForm video={video} editors={editorsOf(models, video)} store={store} />}
        </div>

        <aside className="video-side">
          <h2>Parameters</h2>
          <dl className="params">
            <dt>Engine</dt><dd>{card?.label ?? video.model} <code>{video.model}</code></dd>
            {video.made_by_model && <><dt>Made by</dt><dd><code>{video.made_by_model}</code> (the server's fallback for {video.model})</dd></>}
            {video.cost_usd != null && <><dt>Cost</dt><dd>${video.cost_usd.toFixed(2)}</dd></>}
            <dt>Size</dt><dd>{video.size}</dd>
            <dt>Duration</dt><dd>{video.seconds} s at {video.fps} fps</dd>
            <dt>Seed</dt><dd><code>{video.seed}</code></dd>
            {video.negative_prompt && <><dt>Negative prompt</dt><dd>{video.negative_prompt}</dd></>}
            {video.has_input_reference && <><dt>First frame</dt><dd>from an uploaded image</dd></>}
            {video.has_last_frame && <><dt>Last frame</dt><dd>from an uploaded image</dd></>}
            <dt>Created</dt><dd>{new Date(video.created_at * 1000).toLocaleString()}</dd>
            {video.started_at && video.completed_at && <><dt>Render time</dt><dd>{formatDuration(video.completed_at - video.started_at)}</dd></>}
            <dt>Status</dt><dd>{statusLabel(video)}{!isTerminal(video.status) ? ` (${video.progress}%)` : ''}</dd>
            <dt>Id</dt><dd><code>{video.id}</code></dd>
          </dl>

          <Lineage video={video} sharing={sharing !== null} />

          {video.plan != null && (
            <details className="plan">
              <summary>Scene plan (what the engine understood)</summary>
              <pre tabIndex={0}>{JSON.stringify(video.plan, null, 2)}</pre>
            </details>
          )}

          <Snippets video={video} origin={origin} />
        </aside>
      </div>
    </article>
  );
}

function RemixForm({ video, store }: { video: Video; store: JobStore }) {
  const { prompt, setPrompt, busy, error, submit } = useRemix(video.id, video.prompt, store);
  return (
    <form className="remix" onSubmit={submit}>
      <h2><label htmlFor="remix-prompt">Remix</label></h2>
      <p className="hint">A new video on top of this one: same engine, size, duration and seed; your new prompt.</p>
      <textarea id="remix-prompt" rows={3} value={prompt} onChange={(e) => setPrompt(e.target.value)}
        onKeyDown={(e) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); e.currentTarget.form?.requestSubmit(); } }} />
      <button type="submit" className="primary" disabled={busy}>{busy ? 'Submitting…' : 'Remix'}</button>
      {error && <p className="error-box" role="alert">{error}</p>}
    </form>
  );
}

function ExtendForm({ video, card, store }: { video: Video; card: ModelCard; store: JobStore }) {
  const choices = extensionSeconds(card, Number(video.seconds));
  const [seconds, setSeconds] = useState(choices.includes(4) ? 4 : choices[0]!);
  const { prompt, setPrompt, busy, error, submit } = useNewVideo('', (p) => api.extend(video.id, p, seconds), store);
  return (
    <form className="remix" onSubmit={submit} aria-labelledby="extend-h">
      <h2 id="extend-h">Extend</h2>
      <p className="hint">A new, longer video: this one, then what happens next, joined seamlessly at its last frame.</p>
      <label htmlFor="extend-prompt">What happens next</label>
      <textarea id="extend-prompt" rows={2} value={prompt} required onChange={(e) => setPrompt(e.target.value)} />
      <label htmlFor="extend-seconds">Seconds to add</label>
      <select id="extend-seconds" value={seconds} onChange={(e) => setSeconds(Number(e.target.value))}>
        {choices.map((s) => <option key={s} value={s}>{s} s (then {Number(video.seconds) + s} s in all)</option>)}
      </select>
      <button type="submit" className="primary" disabled={busy || !prompt.trim()}>{busy ? 'Submitting…' : 'Extend'}</button>
      {error && <p className="error-box" role="alert">{error}</p>}
    </form>
  );
}

/** Models that can edit this video: its own, if it re-renders its plans, and any video-to-video model. */
function editorsOf(models: ModelCard[], video: Video): ModelCard[] {
  return models.filter((m) => m.edit && m.available && (m.id === video.model || m.inputs.includes('video')));
}

function EditForm({ video, editors, store }: { video: Video; editors: ModelCard[]; store: JobStore }) {
  const [model, setModel] = useState(editors[0]!.id);
  const { prompt, setPrompt, busy, error, submit } = useNewVideo('', (p) => api.edit(video.id, p, model), store);
  return (
    <form className="remix" onSubmit={submit}>
      <h2><label htmlFor="edit-prompt">Edit</label></h2>
      <p className="hint">The same video with a change you describe: “make it night”, “add rain”, “three more birds”.</p>
      <textarea id="edit-prompt" rows={2} value={prompt} required onChange={(e) => setPrompt(e.target.value)} />
      {editors.length > 1 && (
        <>
          <label htmlFor="edit-model">Made by</label>
          <select id="edit-model" value={model} onChange={(e) => setModel(e.target.value)}>
            {editors.map((m) => <option key={m.id} value={m.id}>{m.label}</option>)}
          </select>
        </>
      )}
      <button type="submit" className="primary" disabled={busy || !prompt.trim()}>{busy ? 'Submitting…' : 'Edit'}</button>
      {error && <p className="error-box" role="alert">{error}</p>}
    </form>
  );
}

function Lineage({ video, sharing }: { video: VideoDetail; sharing: boolean }) {
  const { parent, parent_id, children } = video.lineage;
  const upload = video.source_file;
  if (!parent_id && !upload && children.length === 0) return null;
  return (
    <section className="lineage" aria-labelledby="lineage-h">
      <h2 id="lineage-h">Lineage</h2>
      {upload && <p>{video.kind === 'edit' ? 'Edited' : 'Extended'} from your upload <strong>{upload.filename}</strong> ({upload.duration_seconds.toFixed(1)} s, {upload.size})</p>}
      {parent_id && (
        <p>Remixed from {parent
          ? <a href={`/videos/${parent.id}`} onClick={go(`/videos/${parent.id}`)}>{quoted(parent.prompt, 80)}</a>
          : sharing
            // With sharing, a parent the viewer cannot open is usually someone else's published video.
            ? <>another person’s video or a deleted one: <a href={`/v/${parent_id}`} onClick={go(`/v/${parent_id}`)}>its public page</a>, if it is published</>
            : <><code>{parent_id}</code> (deleted)</>}</p>
      )}
      {children.length > 0 && (
        <>
          <p>Remixed into:</p>
          <ul>{children.map((c) => <li key={c.id}><a href={`/videos/${c.id}`} onClick={go(`/videos/${c.id}`)}>{quoted(c.prompt, 80)}</a> <span className="hint">{statusLabel(c)}</span></li>)}</ul>
        </>
      )}
    </section>
  );
}

function Snippets({ video, origin }: { video: Video; origin: string }) {
  const [tab, setTab] = useState<'curl' | 'sdk'>('curl');
  const [copied, setCopied] = useState(false);
  const text = tab === 'curl' ? curlSnippet(video, origin) : sdkSnippet(video, origin);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      // Clipboard access can be refused (http on a non-local name): select the text instead.
      const range = document.createRange();
      const pre = document.getElementById('snippet');
      if (pre) { range.selectNodeContents(pre); getSelection()?.removeAllRanges(); getSelection()?.addRange(range); }
    }
  };
  return (
    <section className="snippets" aria-labelledby="snippets-h">
      <h2 id="snippets-h">Make it again with the API</h2>
      <div className="segmented" role="tablist" aria-label="Snippet language">
        <button type="button" role="tab" aria-selected={tab === 'curl'} className={tab === 'curl' ? 'on' : ''} onClick={() => setTab('curl')}>curl</button>
        <button type="button" role="tab" aria-selected={tab === 'sdk'} className={tab === 'sdk' ? 'on' : ''} onClick={() => setTab('sdk')}>openai SDK</button>
      </div>
      <pre id="snippet" tabIndex={0} role="tabpanel" aria-label={tab === 'curl' ? 'curl command' : 'openai SDK script'}>{text}</pre>
      <button type="button" onClick={copy}>{copied ? 'Copied' : 'Copy'}</button>
    </section>
  );
}
