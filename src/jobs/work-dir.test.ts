import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { processAlive } from '../domain/process-alive.js';
import { newRunName, sweepVideoWorkDir, sweepWorkRoot } from './work-dir.js';

describe('work dir sweeps', () => {
  const deadPid = 4_000_000; // above Linux's pid_max: never a live process
  it('removes runs of dead processes and of this one, keeps live ones, then empty folders', async () => {
    expect(processAlive(deadPid)).toBe(false);
    const root = mkdtempSync(join(tmpdir(), 'melies-work-'));
    onTestFinished(() => rmSync(root, { recursive: true, force: true }));
    const dead = join(root, 'video_a', `run-1-${deadPid}-abcd`);
    const ours = join(root, 'video_a', newRunName(2));
    const live = join(root, 'video_a', 'run-1-1-beef'); // pid 1 always exists
    const deadOnly = join(root, 'video_b', `run-3-${deadPid}-0123`);
    for (const d of [dead, ours, live, deadOnly]) mkdirSync(d, { recursive: true });
    await sweepVideoWorkDir(root, 'video_a');
    expect([existsSync(dead), existsSync(ours), existsSync(live)]).toEqual([false, false, true]);
    await sweepWorkRoot(root);
    expect(existsSync(join(root, 'video_b'))).toBe(false);
    expect(existsSync(live)).toBe(true);
  });
});
