// Vitest's per-test cleanup when these helpers run inside a test, and nothing when a benchmark
// (bench/*.ts, plain tsx) imports them: importing vitest outside its runner throws at once.
const vitest = process.env.VITEST ? await import('vitest') : null;

/** Runs `fn` when the current test ends; false when there is no current test (a hook, a benchmark). */
export function afterThisTest(fn: () => unknown): boolean {
  if (!vitest) return false;
  try {
    vitest.onTestFinished(async () => { await fn(); });
    return true;
  } catch {
    return false;
  }
}
