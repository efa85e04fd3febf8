// Publishing one's own video: a dialog for the title, description and licence (remix and AI
// training, with the artist-friendly defaults), then the publication's status as the server has
// it — published, pending review, rejected or taken down with the reason — and Unpublish, which
// takes effect at once. Hidden when the operator turned publishing off (unless something of this
// video is still published, so its owner can always take it back).
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { api, errorText } from '../lib/api';
import { navigate } from '../lib/router';
import { excerpt } from '../lib/text';
import { policyWords, publicationStatus, REMIX_CHOICES, remixWords, TRAINING_CHOICES, trainingWords } from '../lib/sharing';
import type { Publication, RemixLicence, Sharing, TrainingLicence, Video } from '../lib/types';
import { CreditLines } from './public-parts';

export function PublishPanel({ video, sharing }: { video: Video; sharing: Sharing }) {
  // undefined while loading; null when not published.
  const [publication, setPublication] = useState<Publication | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const load = useCallback(() => api.publication(video.id).then(setPublication, (err: unknown) => setError(errorText(err))), [video.id]);
  useEffect(() => { void load(); }, [load]);

  if (publication === undefined) return error ? <p className="error-box" role="alert">{error}</p> : null;
  if (!publication && sharing.publish_policy === 'off') return null;

  const unpublish = async () => {
    setError(null);
    try { await api.unpublish(video.id); setPublication(null); } catch (err) { setError(errorText(err)); }
  };
  const status = publication ? publicationStatus(publication) : null;

  return (
    <section className="panel publish" aria-labelledby="publish-h">
      <h2 id="publish-h">Sharing</h2>
      {!publication ? (
        <>
          <p className="hint">Only you can see this video. {policyWords(sharing.publish_policy)}</p>
          <button type="button" className="primary" onClick={() => setOpen(true)}>Publish…</button>
        </>
      ) : (
        <>
          <p className="pub-status" data-status={publication.status}>
            <strong>{status!.label}</strong>{status!.detail && <> — {status!.detail}</>}
          </p>
          <p className="hint">“{publication.title}”. {remixWords(publication.remix)} {trainingWords(publication.training)}</p>
          <CreditLines credit={publication.credit} />
          <span className="row">
            {status!.live && <a className="button" href={`/v/${video.id}`} onClick={(e) => { e.preventDefault(); navigate(`/v/${video.id}`); }}>Public page</a>}
            {/* A takedown is the moderators' decision: the server keeps it down (403), so there is nothing to undo here. */}
            {publication.status !== 'taken_down' && <button type="button" onClick={() => void unpublish()}>Unpublish</button>}
          </span>
        </>
      )}
      {error && <p className="error-box" role="alert">{error}</p>}
      {open && <PublishDialog video={video} onClose={() => setOpen(false)} onPublished={(p) => { setPublication(p); setOpen(false); }} />}
    </section>
  );
}

function PublishDialog({ video, onClose, onPublished }: { video: Video; onClose(): void; onPublished(p: Publication): void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const [title, setTitle] = useState(() => excerpt(video.prompt, 80));
  const [description, setDescription] = useState('');
  const [remix, setRemix] = useState<RemixLicence>('allow-with-credit');
  const [training, setTraining] = useState<TrainingLicence>('not-allowed');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  // A modal dialog: focus moves into it, Escape closes it, the page behind is inert.
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onPublished(await api.publish(video.id, { title: title.trim(), ...(description.trim() ? { description: description.trim() } : {}), remix, training }));
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };

  return (
    <dialog ref={ref} className="dialog" aria-labelledby="pub-dialog-h" onCancel={(e) => { e.preventDefault(); onClose(); }}>
      <form className="stack" onSubmit={submit}>
        <h2 id="pub-dialog-h">Publish this video</h2>
        <div className="field">
          <label htmlFor="pub-title">Title</label>
          <input id="pub-title" value={title} onChange={(e) => setTitle(e.target.value)} required maxLength={120} />
        </div>
        <div className="field">
          <label htmlFor="pub-desc">Description <span className="optional">(optional)</span></label>
          <textarea id="pub-desc" rows={3} value={description} onChange={(e) => setDescription(e.target.value)} maxLength={2000} />
        </div>
        <fieldset className="field">
          <legend>Remixes by others</legend>
          {REMIX_CHOICES.map((c) => (
            <label key={c.value} className="check"><input type="radio" name="pub-remix" value={c.value} checked={remix === c.value} onChange={() => setRemix(c.value)} /> {c.label}</label>
          ))}
          <p className="hint">{remixWords(remix)}</p>
        </fieldset>
        <fieldset className="field">
          <legend>Use for AI training</legend>
          {TRAINING_CHOICES.map((c) => (
            <label key={c.value} className="check"><input type="radio" name="pub-training" value={c.value} checked={training === c.value} onChange={() => setTraining(c.value)} /> {c.label}</label>
          ))}
          <p className="hint">{trainingWords(training)} This is written into the video’s signed provenance.</p>
        </fieldset>
        {error && <p className="error-box" role="alert">{error}</p>}
        <span className="row">
          <button type="submit" className="primary" disabled={busy}>{busy ? 'Publishing…' : 'Publish'}</button>
          <button type="button" onClick={onClose}>Cancel</button>
        </span>
      </form>
    </dialog>
  );
}
