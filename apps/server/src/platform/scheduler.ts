/**
 * Runs `task` every `intervalMs` in the background: never two runs at once (a tick that finds the
 * previous run still going is skipped), failures go to `onError` and never stop the schedule, and
 * the timer does not keep the process alive. `stop()` waits for a run in progress to finish.
 */
export function every(
  intervalMs: number,
  task: (round: number) => Promise<unknown>,
  onError: (err: unknown) => void,
): { stop: () => Promise<void> } {
  if (!(intervalMs > 0)) throw new Error('the interval must be positive');
  let running: Promise<void> | null = null;
  let stopped = false;
  let round = 0;
  const timer = setInterval(() => {
    if (stopped || running !== null) return;
    running = task(round++)
      .then(() => undefined, onError)
      .finally(() => {
        running = null;
      });
  }, intervalMs);
  timer.unref();
  return {
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
