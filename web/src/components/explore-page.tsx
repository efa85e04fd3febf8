// The public feed: what people on this server published, newest first or most remixed.
import { useEffect, useState } from 'react';
import type { FeedSort } from '../lib/types';
import { FeedList, go } from './public-parts';

const SORTS: { value: FeedSort; label: string }[] = [{ value: 'newest', label: 'Newest' }, { value: 'remixed', label: 'Most remixed' }];

export function ExplorePage() {
  const [sort, setSort] = useState<FeedSort>('newest');
  useEffect(() => { document.title = 'Explore · Méliès'; }, []);
  return (
    <section className="panel explore" aria-labelledby="explore-h">
      <div className="library-head">
        <h1 id="explore-h">Explore</h1>
        <div className="segmented" role="group" aria-label="Order">
          {SORTS.map((s) => (
            <button key={s.value} type="button" aria-pressed={sort === s.value} className={sort === s.value ? 'on' : ''} onClick={() => setSort(s.value)}>{s.label}</button>
          ))}
        </div>
      </div>
      <p className="hint">Everything here was made on this server and carries signed provenance. Got a video file? <a href="/verify" onClick={go('/verify')}>Check where it came from</a>.</p>
      <FeedList sort={sort} label={sort === 'newest' ? 'Published videos, newest first' : 'Published videos, most remixed first'} empty="Nothing is published yet." />
    </section>
  );
}
