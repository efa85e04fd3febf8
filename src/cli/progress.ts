// A progress display for long jobs: a bar on a terminal, plain lines (every 10%) in logs and CI.
import cliProgress from 'cli-progress';

export interface ProgressDisplay {
  update(percent: number, status: string): void;
  stop(): void;
}

export function progressDisplay(stream: NodeJS.WriteStream = process.stderr): ProgressDisplay {
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar({
      stream,
      format: '{bar} {percentage}% | {status} | elapsed {duration_formatted} | eta {eta_formatted}',
      hideCursor: true,
      clearOnComplete: false,
    }, cliProgress.Presets.shades_classic);
    bar.start(100, 0, { status: 'queued' });
    return {
      update: (p, status) => bar.update(p, { status }),
      stop: () => bar.stop(),
    };
  }
  let lastStep = -1;
  let lastStatus = '';
  return {
    update(p, status) {
      const step = Math.floor(p / 10);
      if (step === lastStep && status === lastStatus) return;
      lastStep = step;
      lastStatus = status;
      stream.write(`${String(Math.floor(p)).padStart(3)}% ${status}\n`);
    },
    stop() {},
  };
}
