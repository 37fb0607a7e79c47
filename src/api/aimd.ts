/**
 * How an endpoint's interval learns from 429s that carry no `threshold=` (a bare text body, or
 * Retry-After only): additive-increase/multiplicative-decrease on the *rate*, as AWS SDK's adaptive
 * retry mode does, which for an interval means multiply up on a 429 and step down after a run of
 * clean answers. Pure functions, so the policy is tested without a clock or a server.
 */
export interface AimdPolicy {
  /** Interval multiplier per 429. */
  raiseFactor: number;
  /** No interval is ever raised past this. */
  capMs: number;
  /** The least a raise goes to (from 0, say). */
  minRaiseMs: number;
  /** Clean answers in a row before one step down. */
  cleanRunLength: number;
  /** One step down, as a share of the floor's published figure (never less than `minStepMs`). */
  stepShare: number;
  minStepMs: number;
  /** A learned interval with no 429 for this long is forgotten (back to the published/configured one). */
  forgetAfterMs: number;
}

export const DEFAULT_AIMD: AimdPolicy = {
  raiseFactor: 1.5,
  capMs: 60_000,
  minRaiseMs: 1000,
  cleanRunLength: 20,
  stepShare: 0.05,
  minStepMs: 25,
  forgetAfterMs: 24 * 3600_000,
};

/**
 * The interval after a 429 without a threshold: x1.5. From an interval configured as 0 (or tiny)
 * the first step goes to `minRaiseMs` (or the published figure if smaller): x1.5 of nothing is
 * nothing, and Vast's guidance is to back off by a second or more.
 */
export function raisedInterval(currentMs: number, publishedMs: number, policy: AimdPolicy = DEFAULT_AIMD): number {
  const raised = Math.max(Math.max(currentMs, 0) * policy.raiseFactor, Math.min(publishedMs, policy.minRaiseMs));
  return Math.min(policy.capMs, Math.ceil(raised));
}

/** One additive step down after a clean run, never below the floor (the published or configured figure). */
export function loweredInterval(currentMs: number, floorMs: number, publishedMs: number, policy: AimdPolicy = DEFAULT_AIMD): number {
  const step = Math.max(policy.minStepMs, Math.round(publishedMs * policy.stepShare));
  return Math.max(floorMs, currentMs - step);
}

/** Whether what was learned at `lastRateLimitedAt` has gone a whole `forgetAfterMs` without a 429. */
export function learnedExpired(lastRateLimitedAt: number, now: number, policy: AimdPolicy = DEFAULT_AIMD): boolean {
  return now - lastRateLimitedAt >= policy.forgetAfterMs;
}
