// Whether a process id on this machine is still running. Shared by the embedded queue (reclaiming
// a dead worker's jobs at once) and the job runner (sweeping a dead run's scratch files).
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return true; // unknown: assume alive, let leases decide
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
