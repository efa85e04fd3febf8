// One library tile: the thumbnail, and on hover (or touch-drag) a scrub through the 5x5
// spritesheet the server cuts for every video. The sheet loads only on first hover.
import { memo, useState, type PointerEvent } from 'react';
import { contentUrl } from '../lib/api';
import { statusLabel } from '../lib/progress';
import { navigate } from '../lib/router';
import type { Video } from '../lib/types';

const COLS = 5;
const ROWS = 5;

/** How many tiles of the sheet hold frames (short clips fill fewer than 25; see media/finalize.ts). */
export function spriteTiles(seconds: number, fps: number): number {
  const total = Math.max(1, Math.round(seconds * fps));
  const every = Math.max(1, Math.floor(total / (COLS * ROWS)));
  return Math.min(COLS * ROWS, Math.ceil(total / every));
}

export const VideoCard = memo(function VideoCard({ video }: { video: Video }) {
  const [tile, setTile] = useState<number | null>(null);
  const done = video.status === 'completed';
  const [w, h] = video.size.split('x').map(Number) as [number, number];
  const tiles = spriteTiles(Number(video.seconds), video.fps);

  const onMove = (e: PointerEvent<HTMLElement>) => {
    if (!done) return;
    const r = e.currentTarget.getBoundingClientRect();
    setTile(Math.min(tiles - 1, Math.max(0, Math.floor(((e.clientX - r.left) / r.width) * tiles))));
  };
  const col = (tile ?? 0) % COLS;
  const row = Math.floor((tile ?? 0) / COLS);

  return (
    <li className="card" data-video-id={video.id} data-status={video.status}>
      <a
        href={`/videos/${video.id}`}
        onClick={(e) => { if (!e.metaKey && !e.ctrlKey) { e.preventDefault(); navigate(`/videos/${video.id}`); } }}
        onPointerMove={onMove}
        onPointerLeave={() => setTile(null)}
      >
        <div className="frame" style={{ aspectRatio: `${w} / ${h}` }}>
          {done ? (
            <>
              <img src={contentUrl(video.id, 'thumbnail')} alt="" loading="lazy" decoding="async" width={w} height={h} />
              {tile !== null && (
                <div
                  className="sprite" aria-hidden="true"
                  style={{
                    backgroundImage: `url(${contentUrl(video.id, 'spritesheet')})`,
                    backgroundSize: `${COLS * 100}% ${ROWS * 100}%`,
                    backgroundPosition: `${(col / (COLS - 1)) * 100}% ${(row / (ROWS - 1)) * 100}%`,
                  }}
                />
              )}
            </>
          ) : (
            <div className={`placeholder ${video.status}`}>
              <span>{statusLabel(video)}{video.status === 'in_progress' ? ` ${video.progress}%` : ''}</span>
            </div>
          )}
          {video.favorite && <span className="fav" aria-label="Favourite">★</span>}
        </div>
        <p className="card-prompt">{video.prompt}</p>
        <p className="card-meta">{video.model} · {video.size} · {video.seconds}s</p>
      </a>
    </li>
  );
});
