import { describe, expect, test } from 'vitest';
import { rateLimiter } from '../src/platform/rate-limit.js';

describe('fixed-window rate limiter', () => {
  test('allows the limit per window, says how long to wait, and starts afresh in the next window', () => {
    const limiter = rateLimiter({ limit: 3, windowMs: 60_000 });
    const t0 = 1_000_000;
    expect([1, 2, 3].map(() => limiter.hit('a', t0).allowed)).toEqual([true, true, true]);
    expect(limiter.hit('a', t0 + 10_000)).toEqual({ allowed: false, retryAfterSeconds: 50 });
    expect(limiter.hit('b', t0 + 10_000).allowed).toBe(true);
    expect(limiter.hit('a', t0 + 60_000).allowed).toBe(true);
  });

  test('memory stays bounded under a flood of distinct keys', () => {
    const limiter = rateLimiter({ limit: 1, windowMs: 60_000, maxKeys: 100 });
    for (let i = 0; i < 10_000; i++) limiter.hit(`k${i}`, 0);
    // Still answers correctly for a key seen in the current window after the flood.
    expect(limiter.hit('fresh', 0).allowed).toBe(true);
    expect(limiter.hit('fresh', 0).allowed).toBe(false);
  });
});
