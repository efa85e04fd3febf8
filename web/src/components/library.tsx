// The library: the server's videos, newest first, with filters and text search, loaded a page at
// a time as the user scrolls (cursor pages stay fast at any size). Live changes from the job store
// update or insert cards in place instead of re-fetching.
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, type LibraryFilters, errorText } from '../lib/api';
import type { JobStore } from '../lib/job-store';
import { matchesWords } from '../lib/text';
import type { ModelCard, Video } from '../lib/types';
import { VideoCard } from './video-card';

const PAGE = 48;

/** Whether a video belongs in the list the filters describe (for live inserts). */
export function matchesFilters(v: Video, f: LibraryFilters): boolean {
  if (f.status === 'active' ? !(v.status === 'queued' || v.status === 'in_progress') : f.status && v.status !== f.status) return false;
  if (f.model && v.model !== f.model) return false;
  if (f.favorite && !v.favorite) return false;
  // Ignoring case and accents, as the server's search does.
  return matchesWords(v.prompt, f.q ?? '');
}

interface ListState {
  items: Video[];
  cursor: string | null;
  hasMore: boolean;
  loading: boolean;
  error: string | null;
}

export function Library({ models, store }: { models: ModelCard[]; store: JobStore }) {
  const [filters, setFilters] = useState<LibraryFilters>({});
  const [query, setQuery] = useState('');
  const [list, setList] = useState<ListState>({ items: [], cursor: null, hasMore: true, loading: true, error: null });
  const generation = useRef(0);
  const inflight = useRef(false);
  const sentinel = useRef<HTMLDivElement>(null);
  const filtersRef = useRef(filters);
  filtersRef.current = filters;
  const listRef = useRef(list);
  listRef.current = list;

  // Text search waits for a pause in typing.
  useEffect(() => {
    const t = setTimeout(() => setFilters((f) => (f.q === query ? f : { ...f, q: query })), 250);
    return () => clearTimeout(t);
  }, [query]);

  const loadMore = useCallback(async (reset: boolean) => {
    if (!reset && inflight.current) return;
    const gen = reset ? ++generation.current : generation.current;
    inflight.current = true;
    const cursor = reset ? null : listRef.current.cursor;
    setList((l) => (reset ? { items: [], cursor: null, hasMore: true, loading: true, error: null } : { ...l, loading: true, error: null }));
    try {
      const page = await api.library(filtersRef.current, cursor ?? undefined, PAGE);
      if (gen !== generation.current) return; // the filters changed meanwhile
      setList((l) => {
        const seen = new Set(l.items.map((v) => v.id));
        return { items: [...l.items, ...page.data.filter((v) => !seen.has(v.id))], cursor: page.last_id, hasMore: page.has_more, loading: false, error: null };
      });
    } catch (err) {
      if (gen !== generation.current) return;
      setList((l) => ({ ...l, loading: false, error: errorText(err) }));
    } finally {
      if (gen === generation.current) inflight.current = false;
    }
  }, []);

  useEffect(() => { void loadMore(true); }, [filters, loadMore]);

  // Next page when the end of the grid comes near.
  useEffect(() => {
    const el = sentinel.current;
    if (!el || !list.hasMore || list.loading || list.error) return;
    const io = new IntersectionObserver((entries) => { if (entries.some((e) => e.isIntersecting)) void loadMore(false); }, { rootMargin: '800px' });
    io.observe(el);
    return () => io.disconnect();
  }, [list.hasMore, list.loading, list.error, list.items.length, loadMore]);

  useEffect(() => store.onChange((change) => {
    setList((l) => {
      if ('removedId' in change) return { ...l, items: l.items.filter((v) => v.id !== change.removedId) };
      const { video } = change;
      const at = l.items.findIndex((v) => v.id === video.id);
      const fits = matchesFilters(video, filtersRef.current);
      if (at >= 0) {
        if (!fits) return { ...l, items: l.items.filter((v) => v.id !== video.id) };
        const items = l.items.slice();
        items[at] = { ...items[at], ...video };
        return { ...l, items };
      }
      return fits ? { ...l, items: [video, ...l.items] } : l;
    });
  }), [store]);

  const filtered = Boolean(filters.status || filters.model || filters.favorite || filters.q);
  return (
    <section className="library" id="library" aria-labelledby="library-h">
      <div className="library-head">
        <h2 id="library-h">Library</h2>
        <div className="filters" role="search">
          <label className="sr-only" htmlFor="lib-q">Search prompts</label>
          <input id="lib-q" type="search" placeholder="Search prompts" value={query} onChange={(e) => setQuery(e.target.value)} />
          <label className="sr-only" htmlFor="lib-status">Status</label>
          <select id="lib-status" value={filters.status ?? ''} onChange={(e) => setFilters((f) => ({ ...f, status: e.target.value || undefined }))}>
            <option value="">Any status</option>
            <option value="completed">Completed</option>
            <option value="active">In progress</option>
            <option value="failed">Failed</option>
          </select>
          <label className="sr-only" htmlFor="lib-model">Engine</label>
          <select id="lib-model" value={filters.model ?? ''} onChange={(e) => setFilters((f) => ({ ...f, model: e.target.value || undefined }))}>
            <option value="">Any engine</option>
            {models.map((m) => <option key={m.id} value={m.id}>{m.label}</option>)}
          </select>
          <label className="check">
            <input type="checkbox" checked={Boolean(filters.favorite)} onChange={(e) => setFilters((f) => ({ ...f, favorite: e.target.checked || undefined }))} />
            Favourites
          </label>
        </div>
      </div>

      {list.items.length > 0 && <ul className="grid" aria-label="Videos, newest first">{list.items.map((v) => <VideoCard key={v.id} video={v} />)}</ul>}
      {!list.loading && !list.error && list.items.length === 0 && (
        <p className="empty">{filtered ? 'No videos match these filters.' : 'No videos yet. Write a prompt above and your first one lands here.'}</p>
      )}
      {list.error && (
        <div className="error-box" role="alert">
          <p>The library could not load: {list.error}</p>
          <button type="button" onClick={() => void loadMore(list.items.length === 0)}>Try again</button>
        </div>
      )}
      <div ref={sentinel} className="sentinel" aria-hidden="true" />
      {list.loading && <p className="state" role="status">Loading videos…</p>}
      {!list.hasMore && list.items.length > PAGE && <p className="end">That is all {list.items.length} videos.</p>}
    </section>
  );
}
