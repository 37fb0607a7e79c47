/**
 * Exponential backoff with full jitter (AWS, "Exponential Backoff and Jitter"): the least total work
 * when many clients collide. A floor keeps a 429 with no hint from being retried at once: Vast's
 * own guidance is to start at 1 s or more.
 */
export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
  floorMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1000, capMs: 30_000, floorMs: 1000 };

/** Delay before retry number `retry` (1 for the first retry). */
export function fullJitterDelay(retry: number, policy: BackoffPolicy, random: () => number): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, retry - 1));
  return Math.max(policy.floorMs, Math.round(random() * ceiling));
}
