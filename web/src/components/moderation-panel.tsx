// The operator's moderation tab: the publish policy (open, review, off), the queue of videos
// waiting for review (approve, or reject with a reason the author sees), and the reports viewers
// filed (dismiss, or take the video down with a reason; takedowns are in the audit log).
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { when } from '../lib/account';
import { api, errorText } from '../lib/api';
import { atHandle, policyWords, remixWords } from '../lib/sharing';
import type { PublicVideo, PublishPolicy, Report, ReviewItem } from '../lib/types';
import { go } from './public-parts';

const POLICIES: { value: PublishPolicy; label: string }[] = [
  { value: 'open', label: 'Open: published at once' },
  { value: 'review', label: 'Review: a moderator approves first' },
  { value: 'off', label: 'Off: nobody can publish' },
];

export function ModerationPanels() {
  return (
    <>
      <PolicyPanel />
      <ReviewPanel />
      <ReportsPanel />
    </>
  );
}

function PolicyPanel() {
  const [policy, setPolicy] = useState<PublishPolicy | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => { api.moderation.sharing().then((s) => setPolicy(s.publish_policy), (err: unknown) => setError(errorText(err))); }, []);
  const change = async (next: PublishPolicy) => {
    setError(null);
    setSaved(false);
    try { setPolicy((await api.moderation.setPolicy(next)).publish_policy); setSaved(true); } catch (err) { setError(errorText(err)); }
  };
  return (
    <section className="panel" aria-labelledby="policy-h">
      <h2 id="policy-h">Publish policy</h2>
      {policy === null && !error ? <p className="state" role="status">Loading the policy…</p> : (
        <div className="field">
          <label htmlFor="publish-policy">Who decides what appears in the public feed</label>
          <select id="publish-policy" className="fit" value={policy ?? ''} onChange={(e) => void change(e.target.value as PublishPolicy)}>
            {POLICIES.map((p) => <option key={p.value} value={p.value}>{p.label}</option>)}
          </select>
          {policy && <p className="hint" role={saved ? 'status' : undefined}>{saved ? 'Saved. ' : ''}{policyWords(policy)}</p>}
        </div>
      )}
      {error && <p className="error-box" role="alert">{error}</p>}
    </section>
  );
}

/** One video in a queue: a small player, its title, author, prompt and licence. */
function QueuedVideo({ video }: { video: PublicVideo }) {
  const [w, h] = video.size.split('x').map(Number) as [number, number];
  // Admins may play any submitted video's public file, waiting ones included; a file gone meanwhile shows a note.
  const [playable, setPlayable] = useState(true);
  return (
    <div className="queued-video">
      {playable
        ? <video src={video.content_url} poster={video.thumbnail_url} controls preload="none" width={w} height={h} aria-label={`Video: ${video.title}`} onError={() => setPlayable(false)} />
        : <p className="placeholder-note hint">No preview: the file could not be played (deleted meanwhile?).</p>}
      <div>
        <h3>{video.title}</h3>
        <p className="hint">by {atHandle(video.author)} · {video.made_with} · <code>{video.model}</code></p>
        <p className="prompt">{video.prompt}</p>
        {video.description && <p>{video.description}</p>}
        <p className="hint">{remixWords(video.remix)}</p>
      </div>
    </div>
  );
}

/** A decision that needs a reason: a button that opens a small form. */
function WithReason({ label, confirm, name, onSubmit }: { label: string; confirm: { text: string; label: string }; name: string; onSubmit(reason: string): Promise<void> }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const id = `reason-${name.replace(/[^a-z0-9]/gi, '-')}`;
  if (!open) return <button type="button" className="danger" onClick={() => setOpen(true)}>{label}…</button>;
  const submit = (e: FormEvent) => { e.preventDefault(); void onSubmit(reason.trim()); };
  return (
    <form className="inline-form reason" onSubmit={submit}>
      <div className="field wide">
        <label htmlFor={id}>Reason (the author sees it)</label>
        <input id={id} value={reason} onChange={(e) => setReason(e.target.value)} required maxLength={500} />
      </div>
      <button type="submit" className="danger" aria-label={confirm.label}>{confirm.text}</button>
      <button type="button" onClick={() => setOpen(false)}>Cancel</button>
    </form>
  );
}

function ReviewPanel() {
  const [items, setItems] = useState<ReviewItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => api.moderation.queue().then(setItems, (err: unknown) => setError(errorText(err))), []);
  useEffect(() => { void load(); }, [load]);
  const run = async (fn: () => Promise<unknown>) => {
    setError(null);
    try { await fn(); await load(); } catch (err) { setError(errorText(err)); }
  };
  return (
    <section className="panel" aria-labelledby="review-h">
      <h2 id="review-h">Waiting for review{items && items.length > 0 ? ` (${items.length})` : ''}</h2>
      {error && <p className="error-box" role="alert">{error}</p>}
      {items === null && !error ? <p className="state" role="status">Loading the queue…</p> : items && items.length === 0 ? <p className="empty">Nothing is waiting.</p> : (
        <ul className="plain queue">
          {items?.map((p) => (
            <li key={p.video_id} data-video-id={p.video_id}>
              <QueuedVideo video={p.video} />
              <span className="row">
                <button type="button" className="primary" onClick={() => run(() => api.moderation.approve(p.video_id))} aria-label={`Approve ${p.title}`}>Approve</button>
                <WithReason label="Reject" confirm={{ text: 'Reject', label: `Reject ${p.title}` }} name={`reject-${p.video_id}`} onSubmit={(r) => run(() => api.moderation.reject(p.video_id, r))} />
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function ReportsPanel() {
  const [reports, setReports] = useState<Report[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => api.moderation.reports().then(setReports, (err: unknown) => setError(errorText(err))), []);
  useEffect(() => { void load(); }, [load]);
  const run = async (fn: () => Promise<unknown>) => {
    setError(null);
    try { await fn(); await load(); } catch (err) { setError(errorText(err)); }
  };
  return (
    <section className="panel" aria-labelledby="reports-h">
      <h2 id="reports-h">Reports{reports && reports.length > 0 ? ` (${reports.length})` : ''}</h2>
      {error && <p className="error-box" role="alert">{error}</p>}
      {reports === null && !error ? <p className="state" role="status">Loading reports…</p> : reports && reports.length === 0 ? <p className="empty">No open reports.</p> : (
        <ul className="plain queue">
          {reports?.map((r) => (
            <li key={r.id} data-report={r.id}>
              <p><strong>“{r.reason}”</strong> <span className="hint">— {atHandle(r.reporter)}, {when(r.created_at)}</span></p>
              {r.video ? <QueuedVideo video={r.video} /> : <p className="hint">The video is no longer public (<code>{r.video_id}</code>).</p>}
              <span className="row">
                {r.video && <a href={`/v/${r.video_id}`} onClick={go(`/v/${r.video_id}`)}>Public page</a>}
                <button type="button" onClick={() => run(() => api.moderation.dismiss(r.id))} aria-label={`Dismiss the report “${r.reason}”`}>Dismiss</button>
                {r.video && <WithReason label="Take down" confirm={{ text: 'Take it down', label: `Take down ${r.video.title}` }} name={`takedown-${r.id}`} onSubmit={(reason) => run(() => api.moderation.takedown(r.video_id, reason))} />}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
