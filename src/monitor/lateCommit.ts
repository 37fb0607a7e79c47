import { VastApiError } from '../api/errors';
import type { Clock } from '../util/clock';
import { errorMessage } from '../util/errorMessage';
import { sleep } from '../util/sleep';
import type { Instance } from '../vast/types';
import type { InstanceMonitor } from './instanceMonitor';

/**
 * How long a create whose answer was lost (or that was cancelled in flight) may still commit: the
 * request timeout, plus two polls to see it. A poll that started before the failure proves nothing.
 */
export interface LateCommitWatch {
  /** When the create failed or was cancelled (epoch ms). */
  since: number;
  /** Keep looking until this long after `since` (at least the request timeout plus two polls). */
  windowMs: number;
  /** Between looks. */
  recheckMs: number;
  /** Polls started after `since` before concluding "not created" (default 2). */
  minPolls?: number;
  signal?: AbortSignal;
}

/** Default window: a 30 s request timeout plus two 5 s polls. */
export function lateCommitWindowMs(requestTimeoutMs = 30_000, pollMs = 5_000): number {
  return requestTimeoutMs + 2 * pollMs;
}

/**
 * The first instance `match` accepts in a poll that started after `watch.since`, or undefined once
 * the window has passed with at least `minPolls` such polls and none matched. Throws
 * 'outcome-unknown' when the list cannot be read: then nobody may conclude it was not created.
 */
export async function lookForLateCommit(
  monitor: InstanceMonitor,
  clock: Clock,
  match: (instance: Instance) => boolean,
  watch: LateCommitWatch,
): Promise<Instance | undefined> {
  const minPolls = watch.minPolls ?? 2;
  let polls = 0;
  for (;;) {
    let snapshot;
    try {
      snapshot = await monitor.refresh();
    } catch (error) {
      throw unknown(errorMessage(error));
    }
    if (snapshot.lastError) throw unknown(snapshot.lastError.message);
    if (snapshot.listStartedAt !== undefined && snapshot.listStartedAt >= watch.since) {
      polls++;
      for (const instance of snapshot.instances.values()) if (match(instance)) return instance;
    }
    if (polls >= minPolls && clock.now() - watch.since >= watch.windowMs) return undefined;
    await sleep(clock, watch.recheckMs, watch.signal);
  }
}

function unknown(detail: string): VastApiError {
  return new VastApiError('outcome-unknown', `Could not read the instance list to check whether the create happened (${detail}); not resending.`);
}
