// Pieces the public pages share: an author linked to their profile (never an email), the credit
// lines of a remix (a tombstone without a link when the parent is gone), a feed tile, and the feed
// itself, cursor-paged with a "Load more" button.
import { memo, useCallback, useEffect, useReducer, useRef, type MouseEvent } from 'react';
import { api, errorText } from '../lib/api';
import { navigate } from '../lib/router';
import { atHandle, authorName, creditLine, emptyFeed, feedReducer } from '../lib/sharing';
import type { Author, Credit, FeedSort, PublicVideo } from '../lib/types';

export const go = (path: string) => (e: MouseEvent) => {
  if (e.metaKey || e.ctrlKey || e.shiftKey) return;
  e.preventDefault();
  navigate(path);
};

export function AuthorLink({ author }: { author: Author }) {
  const href = `/u/${author.handle}`;
  const name = authorName(author);
  return (
    <a href={href} onClick={go(href)} className="author">
      {name}{name !== atHandle(author) && <span className="handle"> {atHandle(author)}</span>}
    </a>
  );
}

/** "Remixed from @handle — *title*": part of the video, shown wherever it is; it cannot be removed. */
export function CreditLines({ credit }: { credit: Credit[] }) {
  if (credit.length === 0) return null;
  return (
    <ul className="plain credit" aria-label="Credit">
      {credit.map((c, i) => {
        const l = creditLine(c);
        return (
          <li key={`${c.video_id ?? 'gone'}-${i}`}>
            Remixed from <a href={`/u/${c.author.handle}`} onClick={go(`/u/${c.author.handle}`)}>{l.handle}</a> —{' '}
            {l.href ? <a href={l.href} onClick={go(l.href)}><em>{l.title}</em></a> : <><em>{l.title}</em> <span className="hint">(deleted)</span></>}
          </li>
        );
      })}
    </ul>
  );
}

const sizeOf = (size: string) => size.split('x').map(Number) as [number, number];

export const PublicCard = memo(function PublicCard({ video }: { video: PublicVideo }) {
  const [w, h] = sizeOf(video.size);
  const href = `/v/${video.id}`;
  return (
    <li className="card public-card" data-video-id={video.id}>
      <a href={href} onClick={go(href)}>
        <div className="frame" style={{ aspectRatio: `${w} / ${h}` }}>
          <img src={video.thumbnail_url} alt="" loading="lazy" decoding="async" width={w} height={h} />
        </div>
        <p className="card-prompt">{video.title}</p>
      </a>
      <p className="card-meta">
        <AuthorLink author={video.author} />
        {video.remix_count > 0 && <> · {video.remix_count === 1 ? '1 remix' : `${video.remix_count} remixes`}</>}
      </p>
    </li>
  );
});

/** The public feed (or one author's part of it): a grid and a "Load more" button following the cursor. */
export function FeedList({ sort, author, label, empty }: { sort: FeedSort; author?: string; label: string; empty: string }) {
  const [feed, dispatch] = useReducer(feedReducer, emptyFeed);

  const load = useCallback(async (generation: number, cursor: string | null) => {
    try {
      dispatch({ type: 'loaded', generation, page: await api.feed(sort, cursor, { author }) });
    } catch (err) {
      dispatch({ type: 'failed', generation, error: errorText(err) });
    }
  }, [sort, author]);

  const loadRef = useRef(load);
  loadRef.current = load;

  // A new sort or author starts a new list (a reset); each reset loads its first page, and the
  // reducer drops answers meant for an older list.
  useEffect(() => { dispatch({ type: 'reset' }); }, [sort, author]);
  useEffect(() => { if (feed.generation > 0) void loadRef.current(feed.generation, null); }, [feed.generation]);

  const more = () => {
    dispatch({ type: 'loading' });
    void load(feed.generation, feed.cursor);
  };

  return (
    <div className="feed">
      {feed.items.length > 0 && <ul className="grid" aria-label={label}>{feed.items.map((v) => <PublicCard key={v.id} video={v} />)}</ul>}
      {!feed.loading && !feed.error && feed.items.length === 0 && feed.generation > 0 && <p className="empty">{empty}</p>}
      {feed.error && (
        <div className="error-box" role="alert">
          <p>The videos could not load: {feed.error}</p>
          <button type="button" onClick={feed.items.length === 0 ? () => dispatch({ type: 'reset' }) : more}>Try again</button>
        </div>
      )}
      {feed.loading && <p className="state" role="status">Loading videos…</p>}
      {!feed.loading && !feed.error && feed.more && feed.items.length > 0 && <p><button type="button" onClick={more}>Load more</button></p>}
    </div>
  );
}
