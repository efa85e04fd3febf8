// Writes that must not be lost to a passing database fault. Recording a provider's job id is the
// one step between paying a provider and being able to resume without paying again: if that write
// fails because PostgreSQL dropped the connection (a restart, a failover, a network cut), failing
// the attempt would submit again on retry and pay twice. So it is retried while the database comes
// back (the pool reconnects on the next query), for about half a minute. Even when the job has been
// aborted meanwhile (its lease lapsed, a shutdown): the provider has the job either way, and the
// receipt is what lets whichever run comes next poll it instead of paying again.
const DELAYS_MS = [100, 250, 500, 1000, 2000, 4000, 8000, 15000];

export async function durableWrite<T>(write: () => Promise<T>, onRetry?: (err: unknown, attempt: number) => void): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await write();
    } catch (err) {
      if (attempt >= DELAYS_MS.length) throw err;
      onRetry?.(err, attempt + 1);
      await new Promise((r) => setTimeout(r, DELAYS_MS[attempt]!));
    }
  }
}
