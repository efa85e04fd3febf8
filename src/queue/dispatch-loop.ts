// What both queues do to start work in a process: one dispatch pass at a time (a wake during a pass
// asks for one more pass after it, so no wake is lost and passes never overlap), a look every
// poll interval when nothing wakes them, and, at shutdown, a grace period for running jobs.

export class DispatchLoop {
  private running: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private halted = false;

  constructor(private readonly opts: {
    /** Starts what it can; the loop calls it again while wakes arrive during it. */
    pass: () => Promise<void>;
    pollMs: number;
    onError: (err: unknown) => void;
  }) {}

  wake(): void {
    if (this.halted) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop().finally(() => { this.running = null; });
  }

  private async loop(): Promise<void> {
    try {
      do {
        this.again = false;
        await this.opts.pass();
      } while (this.again && !this.halted);
    } catch (err) {
      this.opts.onError(err);
    }
    if (this.halted) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.wake(), this.opts.pollMs);
    this.timer.unref();
  }

  /** No more passes from now on. */
  halt(): void {
    this.halted = true;
    if (this.timer) clearTimeout(this.timer);
  }

  /** Halts, then resolves once the pass in flight (a claim that must release what it took) ends. */
  async stop(): Promise<void> {
    this.halt();
    await this.running;
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

/**
 * Shutdown of a process's running jobs: they get `graceMs` to finish, then are aborted with
 * `reason`; a handler that ignores its signal gets 5 s more and is left behind (its lease lapses),
 * so it cannot hold the shutdown hostage.
 */
export async function drainRuns(runs: Iterable<{ done: Promise<unknown>; controller: AbortController }>, graceMs: number, reason: () => Error): Promise<void> {
  const list = [...runs];
  const all = () => Promise.allSettled(list.map((r) => r.done));
  if (list.length > 0 && graceMs > 0) await Promise.race([all(), sleep(graceMs)]);
  for (const r of list) if (!r.controller.signal.aborted) r.controller.abort(reason());
  await Promise.race([all(), sleep(5000)]);
}
