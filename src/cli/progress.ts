// A progress display for long jobs: a bar on a terminal, plain lines (every 10%) in logs and CI.
// The ETA is ours, not cli-progress's: its estimate is Infinity until progress moves, which its
// formatter prints as "NFs". Ours is "eta --" until there is a rate to extrapolate.
import cliProgress from 'cli-progress';

export interface ProgressDisplay {
  update(percent: number, status: string): void;
  stop(): void;
}

/** "42s", "3m 05s", "1h 02m": whole, finite seconds only. */
export function formatSeconds(totalSeconds: number): string {
  const s = Math.max(0, Math.round(totalSeconds));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

/**
 * Seconds left from the rate so far, or null while it would be a guess: before rendering has run a
 * second, under 1% done, or when the inputs are not finite numbers.
 */
export function etaSeconds(percent: number, runningSeconds: number): number | null {
  if (!Number.isFinite(percent) || !Number.isFinite(runningSeconds) || percent < 1 || runningSeconds < 1) return null;
  if (percent >= 100) return 0;
  const eta = (runningSeconds * (100 - percent)) / percent;
  return Number.isFinite(eta) ? eta : null;
}

export const etaText = (eta: number | null) => (eta === null ? 'eta --' : `eta ${formatSeconds(eta)}`);

export interface ProgressOptions {
  now?: () => number;
}

export function progressDisplay(stream: NodeJS.WriteStream = process.stderr, opts: ProgressOptions = {}): ProgressDisplay {
  const now = opts.now ?? Date.now;
  const began = now();
  // The rate counts from the first sign of rendering, so time spent queued does not skew it.
  let renderingSince: number | null = null;
  const eta = (p: number, status: string) => {
    if (renderingSince === null && (p > 0 || status === 'in_progress')) renderingSince = now();
    return etaText(renderingSince === null ? null : etaSeconds(p, (now() - renderingSince) / 1000));
  };
  const elapsed = () => formatSeconds((now() - began) / 1000);
  const clamp = (p: number) => (Number.isFinite(p) ? Math.max(0, Math.min(100, p)) : 0);

  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar({
      stream,
      // Our own tokens: cli-progress fills {eta} and {duration} itself, over any payload of that name.
      format: '{bar} {percentage}% | {status} | elapsed {took} | {left}',
      hideCursor: true,
      clearOnComplete: false,
    }, cliProgress.Presets.shades_classic);
    bar.start(100, 0, { status: 'queued', took: elapsed(), left: etaText(null) });
    return {
      update: (p, status) => bar.update(clamp(p), { status, took: elapsed(), left: eta(clamp(p), status) }),
      stop: () => bar.stop(),
    };
  }
  let lastStep = -1;
  let lastStatus = '';
  return {
    update(raw, status) {
      const p = clamp(raw);
      const left = eta(p, status);
      const step = Math.floor(p / 10);
      if (step === lastStep && status === lastStatus) return;
      lastStep = step;
      lastStatus = status;
      const tail = status === 'in_progress' && left !== 'eta --' ? ` (${left})` : '';
      stream.write(`${String(Math.floor(p)).padStart(3)}% ${status}${tail}\n`);
    },
    stop() {},
  };
}
