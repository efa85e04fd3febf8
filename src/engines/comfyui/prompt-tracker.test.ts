import { describe, expect, it, vi } from 'vitest';
import { loadTemplates } from './workflow-template.js';
import { progressWeights, PromptTracker } from './prompt-tracker.js';

const templates = loadTemplates({ bundled: true, dir: null, files: [] });
const wan = templates.find((t) => t.id === 'wan2.2-ti2v-5b-t2v')!;
const ltx = templates.find((t) => t.id === 'ltx-video')!;

describe('prompt progress', () => {
  it('weights sampling most, decoding some, and the other nodes a little', () => {
    const w = progressWeights(wan.workflow);
    expect(w.get('3')).toBeCloseTo(85);
    expect(w.get('8')).toBeCloseTo(8);
    const rest = [...w].filter(([id]) => id !== '3' && id !== '8');
    expect(rest.reduce((n, [, v]) => n + v, 0)).toBeCloseTo(7);
    // SamplerCustom's steps come from its scheduler; KSamplerSelect is not a sampler.
    const l = progressWeights(ltx.workflow);
    expect(l.get('72')).toBeCloseTo(85);
    expect(l.get('73')!).toBeLessThan(2);
  });

  it('rises with the sampler\'s steps and node completions, never falls, and reaches 1 only on success', () => {
    const t = new PromptTracker('p1', wan.workflow);
    const seen: number[] = [];
    const ev = (type: string, data: Record<string, unknown>) => { t.handle(type, { prompt_id: 'p1', ...data }); seen.push(t.progress); };
    ev('execution_start', {});
    ev('execution_cached', { nodes: ['37', '38', '39'] });
    for (const n of ['48', '6', '7', '55']) ev('executing', { node: n });
    ev('executing', { node: '3' });
    for (let i = 1; i <= 10; i++) ev('progress', { node: '3', value: i, max: 10 });
    expect(t.progress).toBeGreaterThan(0.85);
    expect(t.progress).toBeLessThan(0.95);
    ev('progress', { node: '3', value: 3, max: 10 }); // a late, lower event changes nothing
    ev('executing', { node: '8' });
    ev('executed', { node: '58', output: { images: [{ filename: 'a.mp4', subfolder: '', type: 'output' }], animated: [true] } });
    expect(t.progress).toBeLessThan(1);
    ev('execution_success', {});
    expect(seen.every((p, i) => i === 0 || p >= seen[i - 1]!)).toBe(true);
    expect(t.progress).toBe(1);
    expect(t.state).toBe('succeeded');
    expect(t.outputs['58']).toBeDefined();
  });

  it('reads the outcome from a history entry: success, error, interrupted', () => {
    const ok = new PromptTracker('a', null);
    ok.fromHistory({ outputs: {}, status: { status_str: 'success', completed: true, messages: [['execution_start', {}], ['execution_success', {}]] } });
    expect(ok.state).toBe('succeeded');
    const bad = new PromptTracker('b', null);
    bad.fromHistory({ status: { status_str: 'error', completed: false, messages: [['execution_error', { node_id: '3', exception_message: 'boom' }]] } });
    expect(bad).toMatchObject({ state: 'failed', error: { node_id: '3', exception_message: 'boom' } });
    const stopped = new PromptTracker('c', null);
    stopped.fromHistory({ status: { status_str: 'error', completed: false, messages: [['execution_interrupted', { node_id: '3' }]] } });
    expect(stopped.state).toBe('interrupted');
  });

  it('wakes a waiting poll on the next event, not at its timeout', async () => {
    const t = new PromptTracker('p', wan.workflow);
    vi.useFakeTimers();
    try {
      let woke = false;
      const waited = t.changed(5000, new AbortController().signal).then(() => { woke = true; });
      await vi.advanceTimersByTimeAsync(10);
      expect(woke).toBe(false); // nothing happened yet
      t.handle('execution_start', { prompt_id: 'p' });
      await vi.advanceTimersByTimeAsync(0); // no time passes: only the event can wake it
      expect(woke).toBe(true);
      await waited;
    } finally {
      vi.useRealTimers();
    }
    const ac = new AbortController();
    const waiting = t.changed(5000, ac.signal);
    ac.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
  });
});
