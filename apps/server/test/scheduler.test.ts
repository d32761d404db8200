import { describe, expect, test } from 'vitest';
import { every } from '../src/platform/scheduler.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('background schedule', () => {
  test('runs never overlap, a failure does not stop the schedule, and stop waits for the run in progress', async () => {
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    const errors: unknown[] = [];
    let finished = false;
    const schedule = every(
      5,
      async (round) => {
        active++;
        maxActive = Math.max(maxActive, active);
        runs++;
        await sleep(20);
        active--;
        if (round === 0) throw new Error('first run fails');
        finished = true;
      },
      (err) => errors.push(err),
    );
    await sleep(120);
    await schedule.stop();
    const after = runs;
    expect(maxActive).toBe(1);
    expect(runs).toBeGreaterThanOrEqual(2);
    expect(errors).toHaveLength(1);
    expect(finished).toBe(true);
    expect(active).toBe(0);
    await sleep(30);
    expect(runs).toBe(after);
  });
});
