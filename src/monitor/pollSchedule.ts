import { CLIENT_DEFAULTS } from '../api/clientDefaults';

/**
 * When to poll next. Normally every `normalMs`; while something is transitional or someone waits,
 * fast: `fastMs`, growing by `growth` each poll back up to `normalMs` (a boot takes minutes, so the
 * first seconds matter most). After a failed poll, exponential backoff from `errorBaseMs`.
 */
export interface PollPolicy {
  normalMs: number;
  fastMs: number;
  growth: number;
  errorBaseMs: number;
  errorCapMs: number;
}

export const DEFAULT_POLL_POLICY: PollPolicy = {
  normalMs: CLIENT_DEFAULTS.refreshIntervalSeconds * 1000,
  fastMs: 5_000,
  growth: 1.5,
  errorBaseMs: 5_000,
  errorCapMs: 5 * 60_000,
};

/**
 * How often fast polls come while a wait is pending: 90 % of `fastMs`, because a fast poll may queue
 * about a second behind a page of the full list at the gate. (The leader's merged id polls,
 * MERGED_ID_POLL_SPACING_MS in src/coordination/mergedIdPolls.ts, leave at this cadence.)
 */
export function waitPollDelayMs(policy: PollPolicy): number {
  return Math.round(policy.fastMs * 0.9);
}

export class PollSchedule {
  private fastDelay: number;
  private inFastMode = false;
  private failures = 0;

  constructor(readonly policy: PollPolicy) {
    this.fastDelay = policy.fastMs;
  }

  /** A new wait started or a change is expected: the next polls come quickly again. */
  resetFast(): void {
    this.fastDelay = this.policy.fastMs;
  }

  /** Delay before the next poll, after a poll that succeeded. */
  afterSuccess(fast: boolean): number {
    this.failures = 0;
    if (!fast) {
      this.inFastMode = false;
      return this.policy.normalMs;
    }
    if (!this.inFastMode) {
      this.inFastMode = true;
      this.fastDelay = this.policy.fastMs;
    }
    const delay = Math.round(this.fastDelay);
    this.fastDelay = Math.min(this.fastDelay * this.policy.growth, this.policy.normalMs);
    return delay;
  }

  /** Delay before the next poll, after a poll that failed; `notBeforeMs` when the API said when to come back. */
  afterFailure(notBeforeMs = 0): number {
    this.failures++;
    const backoff = Math.min(this.policy.errorBaseMs * 2 ** (this.failures - 1), this.policy.errorCapMs);
    return Math.max(backoff, notBeforeMs);
  }

  /** Where the fast sequence stands (for tests and the status bar's "next poll"). */
  get currentFastDelay(): number {
    return this.fastDelay;
  }
}
