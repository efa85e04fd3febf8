// The video player: native controls plus loop, frame-by-frame steps and playback speed.
import { useEffect, useRef, useState } from 'react';

const SPEEDS = [0.25, 0.5, 1, 1.5, 2];

export function Player({ src, fps, width, height, label }: { src: string; fps: number; width: number; height: number; label: string }) {
  const ref = useRef<HTMLVideoElement>(null);
  const [loop, setLoop] = useState(true);
  const [speed, setSpeed] = useState(1);
  const [frame, setFrame] = useState(0);

  useEffect(() => { if (ref.current) ref.current.playbackRate = speed; }, [speed]);

  const step = (frames: number) => {
    const v = ref.current;
    if (!v) return;
    v.pause();
    // Aim at the middle of the target frame so rounding never lands on its neighbour.
    const target = Math.max(0, Math.min(Math.floor(v.currentTime * fps + 1e-3) + frames, Math.max(0, Math.floor(v.duration * fps) - 1)));
    v.currentTime = (target + 0.5) / fps;
    setFrame(target);
  };

  return (
    <div className="player">
      <video
        ref={ref} src={src} controls loop={loop} playsInline preload="auto" width={width} height={height}
        aria-label={label} style={{ aspectRatio: `${width} / ${height}` }}
        onTimeUpdate={(e) => setFrame(Math.floor(e.currentTarget.currentTime * fps))}
      />
      <div className="player-bar">
        <button type="button" onClick={() => step(-1)} aria-label="Previous frame" title="Previous frame">◀︎ frame</button>
        <span className="frame-no" aria-live="off">frame {frame}</span>
        <button type="button" onClick={() => step(1)} aria-label="Next frame" title="Next frame">frame ▶︎</button>
        <label className="check"><input type="checkbox" checked={loop} onChange={(e) => setLoop(e.target.checked)} /> Loop</label>
        <label>
          Speed{' '}
          <select value={speed} onChange={(e) => setSpeed(Number(e.target.value))}>
            {SPEEDS.map((s) => <option key={s} value={s}>{s}×</option>)}
          </select>
        </label>
      </div>
    </div>
  );
}
