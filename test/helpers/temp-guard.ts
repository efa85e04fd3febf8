// vitest globalSetup: the test run gets a temp folder of its own (TMPDIR for the workers and for
// every process they start), and must leave it empty. Anything left there (a data dir a failed
// test did not remove, a killed server's files, a fake's cache) is named, the run fails, and the
// folder is removed, so the system temp folder is never littered. Its own folder, rather than a
// before/after listing of the system one: other runs on the same machine write there too.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');

export default function setup(): () => void {
  const previous = process.env.TMPDIR;
  const runDir = mkdtempSync(join(tmpdir(), 'melies-test-run-'));
  process.env.TMPDIR = runDir;
  // The `melies` child processes run through tsx, which keeps its compile cache in
  // $TMPDIR/tsx-<uid>: that name points into the project's ignored .tmp/, so the cache stays warm
  // across runs and out of the system temp folder.
  const tsxCache = `tsx-${process.geteuid?.() ?? userInfo().username}`;
  mkdirSync(join(ROOT, '.tmp', 'tsx-cache'), { recursive: true });
  symlinkSync(join(ROOT, '.tmp', 'tsx-cache'), join(runDir, tsxCache), 'dir');
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    const left = leftovers(runDir, [tsxCache]);
    rmSync(runDir, { recursive: true, force: true });
    if (left.length > 0) {
      const message = `Tests left ${left.length} item(s) in the temp folder (now removed):\n${left.map((l) => `  ${l}`).join('\n')}`;
      console.error(`\n${'!'.repeat(80)}\n${message}\n${'!'.repeat(80)}\n`);
      process.exitCode = 1;
      throw new Error(message);
    }
  };
}

/** Top-level leftovers, each with a few of the names inside it, to tell who made them. */
function leftovers(dir: string, ours: string[]): string[] {
  return readdirSync(dir).filter((name) => !ours.includes(name)).sort().map((name) => {
    const path = join(dir, name);
    if (!statSync(path, { throwIfNoEntry: false })?.isDirectory()) return name;
    const inside = readdirSync(path);
    return `${name}/ (${inside.slice(0, 4).join(', ')}${inside.length > 4 ? `, … ${inside.length} in all` : ''})`;
  });
}
