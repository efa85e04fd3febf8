// A sleep that ends early, rejecting with the signal's reason, when the signal aborts: waits
// between retries and polls must not hold a cancelled job (or a shutdown) for their full length.
// In domain/ because both jobs/ and engines/ wait this way, and neither may import the other.

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, ms);
    const onAbort = () => { clearTimeout(t); reject(signal!.reason); };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
