// The jobs a provider fake is working on. Time-based: a job is queued for the first quarter of
// `renderMs`, running until `renderMs`, then done — unless the test holds it (to kill Méliès in
// between) or gave it a fate (failed by moderation, …). Each fake maps these phases onto its own
// status words. Result URLs carry a token a test can expire.
import { randomBytes } from 'node:crypto';

export type Fate = 'ok' | 'content_policy' | 'failed';

export interface FakeTask<P = Record<string, unknown>> {
  id: string;
  params: P;
  createdAt: number;
  fate: Fate;
  held: boolean;
  /** Rotated when a download fails as expired: a fresh poll shows a new URL. */
  token: string;
  polls: number;
  downloads: number;
  cancelled: boolean;
}

export type Phase = 'queued' | 'running' | 'done';

export class TaskBook<P = Record<string, unknown>> {
  private readonly tasks = new Map<string, FakeTask<P>>();
  /** New jobs are held (never finish) until release(). */
  holdNew = false;

  constructor(public renderMs = 300, private readonly newId: () => string = () => randomBytes(12).toString('hex')) {}

  create(params: P, fate: Fate = 'ok'): FakeTask<P> {
    const t: FakeTask<P> = { id: this.newId(), params, createdAt: Date.now(), fate, held: this.holdNew, token: randomBytes(6).toString('hex'), polls: 0, downloads: 0, cancelled: false };
    this.tasks.set(t.id, t);
    return t;
  }

  get(id: string): FakeTask<P> | undefined {
    return this.tasks.get(id);
  }

  all(): FakeTask<P>[] {
    return [...this.tasks.values()];
  }

  phase(t: FakeTask<P>): Phase {
    const age = Date.now() - t.createdAt;
    if (age < this.renderMs / 4) return 'queued';
    if (t.held || age < this.renderMs) return 'running';
    return 'done';
  }

  /** 0..1 while running. */
  progress(t: FakeTask<P>): number {
    return Math.max(0, Math.min(0.99, (Date.now() - t.createdAt) / this.renderMs));
  }

  /** Lets held jobs finish (from now, after the rest of their render time). */
  release(): void {
    this.holdNew = false;
    for (const t of this.tasks.values()) t.held = false;
  }

  expire(t: FakeTask<P>): void {
    t.token = randomBytes(6).toString('hex');
  }
}
