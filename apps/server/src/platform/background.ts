import type { Runtime } from './runtime.js';

/**
 * Work that outlives its request (an import being validated or committed): tracked per Runtime so
 * that shutting the application down waits for it instead of closing the database under it. A job
 * cut off by a closed database would fail half-way and leave its record saying so; waiting lets it
 * finish (or fail for its own reasons) and record that properly.
 */
const running = new WeakMap<Runtime, Set<Promise<unknown>>>();

/** Runs `work` in the background of `runtime`; the caller handles its errors (`work` must not reject). */
export function runInBackground(runtime: Runtime, work: Promise<unknown>): void {
  let set = running.get(runtime);
  if (set === undefined) {
    set = new Set();
    running.set(runtime, set);
  }
  const tracked = set;
  tracked.add(work);
  void work.finally(() => tracked.delete(work));
}

/** How many background jobs are running now. */
export function backgroundCount(runtime: Runtime): number {
  return running.get(runtime)?.size ?? 0;
}

/**
 * Waits for the background work of `runtime` to settle, at most `timeoutMs`; returns how many jobs
 * were still running when the wait ended (0 when all finished).
 */
export async function drainBackground(runtime: Runtime, timeoutMs = 60_000): Promise<number> {
  const set = running.get(runtime);
  if (set === undefined || set.size === 0) return 0;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
  });
  await Promise.race([Promise.allSettled([...set]), timeout]);
  clearTimeout(timer);
  return set.size;
}
