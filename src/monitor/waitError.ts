import type { Instance } from '../vast/types';

/**
 * Why a wait for `running` ended without it. `instance` is the last state seen, if any.
 * - never-running: exited, offline, stopped, or a failed start: it will not come up by itself
 * - unknown: no host heartbeat for longer than the grace period
 * - destroyed: it was in the list, then it was gone
 * - not-found: it never appeared in the list within the grace period
 * - timeout: still not running when the time was up
 */
export type WaitErrorKind = 'never-running' | 'unknown' | 'destroyed' | 'not-found' | 'timeout';

export class WaitError extends Error {
  override readonly name = 'WaitError';

  constructor(
    readonly kind: WaitErrorKind,
    readonly instanceId: number,
    message: string,
    readonly instance?: Instance,
  ) {
    super(message);
  }
}
