import { describe, expect, test } from 'vitest';
import { backgroundCount, drainBackground, runInBackground } from '../src/platform/background.js';
import type { Runtime } from '../src/platform/runtime.js';

/** Background jobs (imports) are waited for at shutdown, so the database is not closed under them. */
describe('background jobs at shutdown', () => {
  const runtime = () => ({}) as Runtime;
  const after = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

  test('a shutdown waits for a running job to finish before it returns', async () => {
    const rt = runtime();
    let finished = false;
    runInBackground(
      rt,
      after(50).then(() => {
        finished = true;
      }),
    );
    expect(backgroundCount(rt)).toBe(1);
    expect(await drainBackground(rt, 5_000)).toBe(0);
    expect(finished).toBe(true);
    expect(backgroundCount(rt)).toBe(0);
  });

  test('the wait is bounded: a job still running after the limit is reported, not waited for', async () => {
    const rt = runtime();
    runInBackground(rt, after(500));
    expect(await drainBackground(rt, 20)).toBe(1);
    expect(await drainBackground(rt, 5_000)).toBe(0);
  });

  test('jobs of one application do not hold up another', async () => {
    const a = runtime();
    const b = runtime();
    runInBackground(a, after(500));
    expect(await drainBackground(b, 5_000)).toBe(0);
    expect(await drainBackground(a, 5_000)).toBe(0);
  });
});
