// Jobs in flight, live over SSE: status, progress, queue position, elapsed time and ETA, with a
// cancel button naming its video. What renders comes first, then the queue next first, then what
// finished (a failed or cancelled one offers its settings again). Fixed-size rows and tabular
// numbers, so progress updates never shift the layout. Queue control (issue 15 §7): a "Pause my
// queue" toggle and "Move to top" on waiting videos; the queue view is read again every few seconds
// while something waits, since other people's videos starting move our positions too.
import { useEffect, useState, useSyncExternalStore } from 'react';
import { api, errorText } from '../lib/api';
import { draftFromVideo, type Draft } from '../lib/card-controls';
import type { JobStore } from '../lib/job-store';
import { elapsedSeconds, etaSeconds, failureHint, formatDuration, statusLabel } from '../lib/progress';
import { navigate } from '../lib/router';
import { excerpt } from '../lib/text';
import { TRAY_HEADINGS, trayGroups } from '../lib/tray';
import { isTerminal, type Video } from '../lib/types';

function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now() / 1000);
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => setNow(Date.now() / 1000), 1000);
    return () => clearInterval(t);
  }, [active]);
  return now;
}

/** How often the queue view is read while something waits (positions move as others' jobs start). */
const QUEUE_POLL_MS = 3000;

function useQueueSync(store: JobStore, waiting: boolean): void {
  const paused = useSyncExternalStore(store.subscribe, store.queuePaused);
  useEffect(() => {
    let stopped = false;
    const read = () => api.queue().then((view) => { if (!stopped) store.applyQueue(view); }, () => { /* a nicety: the next read tries again */ });
    read();
    if (!waiting && !paused) return () => { stopped = true; };
    const t = setInterval(read, QUEUE_POLL_MS);
    return () => { stopped = true; clearInterval(t); };
  }, [store, waiting, paused]);
}

function QueueBar({ store }: { store: JobStore }) {
  const paused = useSyncExternalStore(store.subscribe, store.queuePaused);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const toggle = async () => {
    setBusy(true);
    setError(null);
    try {
      store.applyQueue(await (paused ? api.resumeQueue() : api.pauseQueue()));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="queue-bar">
      {/* A toggle keeps its name; aria-pressed says whether the queue is paused. */}
      <button type="button" aria-pressed={paused} onClick={toggle} disabled={busy}>Pause my queue</button>
      <span role="status" className="queue-state">{paused ? 'Paused: your waiting videos start when you resume. A video already rendering finishes.' : ''}</span>
      {error && <p className="error-box" role="alert">{error}</p>}
    </div>
  );
}

export function JobTray({ jobs, store, onReuse }: { jobs: Video[]; store: JobStore; onReuse(draft: Draft): void }) {
  const now = useNow(jobs.some((j) => !isTerminal(j.status)));
  useQueueSync(store, jobs.some((j) => j.status === 'queued'));
  return (
    <section className="jobs" aria-labelledby="jobs-h">
      <h2 id="jobs-h">In progress</h2>
      <QueueBar store={store} />
      {jobs.length === 0 ? (
        <p className="empty">Nothing rendering. Videos you create show up here with live progress.</p>
      ) : trayGroups(jobs).map(({ group, jobs: list }) => (
        <div key={group} className={`job-group ${group}`}>
          <h3 id={`jobs-${group}`}>{TRAY_HEADINGS[group]}</h3>
          <ul aria-labelledby={`jobs-${group}`}>
            {list.map((j) => <JobRow key={j.id} job={j} now={now} store={store} onReuse={onReuse} />)}
          </ul>
        </div>
      ))}
    </section>
  );
}

function JobRow({ job, now, store, onReuse }: { job: Video; now: number; store: JobStore; onReuse(draft: Draft): void }) {
  const [cancelError, setCancelError] = useState<string | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const [moving, setMoving] = useState(false);
  const eta = etaSeconds(job, now);
  const running = !isTerminal(job.status);
  const failed = job.status === 'failed';
  const cancel = async () => {
    setCancelling(true);
    try {
      store.announce(await api.cancel(job.id));
    } catch (err) {
      setCancelError(errorText(err));
    } finally {
      setCancelling(false);
    }
  };
  const moveToTop = async () => {
    setMoving(true);
    try {
      store.applyQueue(await api.moveToTop(job.id));
    } catch (err) {
      setCancelError(errorText(err));
    } finally {
      setMoving(false);
    }
  };
  return (
    <li className={`job ${job.status}`} data-video-id={job.id}>
      <div className="job-head">
        <a href={`/videos/${job.id}`} onClick={(e) => { e.preventDefault(); navigate(`/videos/${job.id}`); }} className="job-prompt" title={job.prompt}>{job.prompt}</a>
        <span className="job-meta">{job.model} · {job.size} · {job.seconds}s</span>
      </div>
      <div className="job-progress">
        <div
          className="bar" role="progressbar" aria-label={`Progress of “${excerpt(job.prompt, 60)}”`}
          aria-valuemin={0} aria-valuemax={100} aria-valuenow={job.progress}
        >
          <span style={{ transform: `scaleX(${job.progress / 100})` }} />
        </div>
        <span className="pct">{job.progress}%</span>
      </div>
      <div className="job-foot">
        <span className="status" data-status={job.status}>{statusLabel(job)}</span>
        {running && <span className="time">{formatDuration(elapsedSeconds(job, now))} {job.status === 'queued' ? 'waiting' : 'elapsed'}{eta !== null ? ` · about ${formatDuration(eta)} left` : ''}</span>}
        {job.status === 'queued' && <button type="button" onClick={moveToTop} disabled={moving} aria-label={`Move to top of your queue: “${excerpt(job.prompt, 60)}”`}>{moving ? 'Moving…' : 'Move to top'}</button>}
        {running && <button type="button" onClick={cancel} disabled={cancelling} aria-label={`Cancel “${excerpt(job.prompt, 60)}”`}>{cancelling ? 'Cancelling…' : 'Cancel'}</button>}
        {job.status === 'completed' && <a href={`/videos/${job.id}`} onClick={(e) => { e.preventDefault(); navigate(`/videos/${job.id}`); }}>Open</a>}
        {failed && <button type="button" onClick={() => onReuse(draftFromVideo(job))}>Reuse settings</button>}
        {isTerminal(job.status) && <button type="button" onClick={() => store.dismiss(job.id)} aria-label={`Dismiss “${excerpt(job.prompt, 60)}”`}>Dismiss</button>}
      </div>
      {failed && (
        <div className="job-error" role="alert">
          <p>{job.error?.message ?? 'The engine failed.'}</p>
          <p className="hint">{failureHint(job.error)}</p>
        </div>
      )}
      {cancelError && <p className="error-box" role="alert">{cancelError}</p>}
    </li>
  );
}
