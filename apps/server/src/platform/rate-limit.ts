/**
 * A fixed-window counter per key, in memory (one server process). Used where a limit protects a
 * single endpoint class (sign-in per client IP); counts shared across instances need the database.
 */
export type RateLimiter = { hit: (key: string, nowMs: number) => { allowed: boolean; retryAfterSeconds: number } };

export function rateLimiter(options: { limit: number; windowMs: number; maxKeys?: number }): RateLimiter {
  const windows = new Map<string, { start: number; count: number }>();
  const maxKeys = options.maxKeys ?? 100_000;
  return {
    hit(key, nowMs) {
      let w = windows.get(key);
      if (w === undefined || nowMs - w.start >= options.windowMs) {
        if (windows.size >= maxKeys) {
          // Bounded memory under a flood of distinct keys: drop windows that have ended.
          for (const [k, v] of windows) if (nowMs - v.start >= options.windowMs) windows.delete(k);
          if (windows.size >= maxKeys) windows.clear();
        }
        w = { start: nowMs, count: 0 };
        windows.set(key, w);
      }
      w.count++;
      const allowed = w.count <= options.limit;
      return { allowed, retryAfterSeconds: allowed ? 0 : Math.ceil((w.start + options.windowMs - nowMs) / 1000) };
    },
  };
}
