import type { Instance } from '../vast/types';
import type { Coordinator } from './coordinator';
import { MergedIdPolls, type IdPoller } from './mergedIdPolls';

/** A poll's result as it travels between processes. */
export interface SharedSnapshot {
  /** When the poll finished (epoch ms, this machine's clock). */
  polledAt: number;
  /** When it started: a fast poll of an instance that started later has newer rows for it. */
  startedAt?: number;
  instances: Instance[];
}

export const LIST_METHOD = 'instances.list';
export const BY_IDS_METHOD = 'instances.byIds';
/** More ids than any process has waits and transitions for: the ask is refused, not polled. */
export const MAX_IDS_PER_ASK = 1000;
export const SNAPSHOT_EVENT = 'instances.snapshot';
/** A poll newer than the asker's last but older than this is not reused: the asker wants news. */
export const REUSE_WITHIN_MS = 5000;

export type Poller = (signal: AbortSignal) => Promise<Instance[]>;

/**
 * The leader's side of the machine-wide instance poll: every process's monitor asks here, and a
 * recent poll the asker has not seen yet answers it without a request; otherwise one poll (single
 * flight) answers everyone asking, and is broadcast so every other process's tree and waits update
 * too. `fresh` (an explicit refresh) always waits for a poll that starts now or is running.
 */
export class PollHub {
  private latest?: SharedSnapshot;
  private inFlight?: Promise<SharedSnapshot>;
  private readonly pollers = new Set<Poller>();
  private readonly idPollers = new Set<IdPoller>();
  private readonly idPolls = new MergedIdPolls({ poller: () => [...this.idPollers][0] });

  constructor(private readonly coordinator: Coordinator) {
    coordinator.handle(LIST_METHOD, (params, { signal }) =>
      this.list(typeof params.after === 'number' ? params.after : undefined, params.fresh === true, signal),
    );
    // Fast polls of the instances some process's waits or transitions care about, merged machine-wide.
    coordinator.handle(BY_IDS_METHOD, async (params, { signal }) => ({ instances: await this.idPolls.ask(askedIds(params.ids), signal) }));
    // Followers keep the last broadcast: if they become leader, they start from it.
    coordinator.onEvent(SNAPSHOT_EVENT, (data) => {
      if (typeof data.polledAt === 'number' && Array.isArray(data.instances) && (!this.latest || data.polledAt > this.latest.polledAt)) {
        this.latest = { polledAt: data.polledAt, startedAt: startedAtOf(data), instances: data.instances as Instance[] };
      }
    });
  }

  /** A way to poll from this process (its VastClient); the leader needs one to serve the others. */
  addPoller(poller: Poller, byIds?: IdPoller): { dispose(): void } {
    this.pollers.add(poller);
    if (byIds) this.idPollers.add(byIds);
    return {
      dispose: () => {
        this.pollers.delete(poller);
        if (byIds) this.idPollers.delete(byIds);
      },
    };
  }

  get hasPoller(): boolean {
    return this.pollers.size > 0;
  }

  get lastSnapshot(): SharedSnapshot | undefined {
    return this.latest;
  }

  private async list(after: number | undefined, fresh: boolean, signal: AbortSignal): Promise<SharedSnapshot> {
    const latest = this.latest;
    if (!fresh && latest && latest.polledAt > (after ?? -Infinity) && Date.now() - latest.polledAt <= REUSE_WITHIN_MS) return latest;
    return abortable(this.poll(), signal);
  }

  private poll(): Promise<SharedSnapshot> {
    this.inFlight ??= this.runPoll().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async runPoll(): Promise<SharedSnapshot> {
    const [poller] = this.pollers;
    if (!poller) throw Object.assign(new Error('the leading process has no instance poller'), { code: 'no-poller' });
    // The poll belongs to everyone asking: one caller cancelling does not cancel it.
    const startedAt = Date.now();
    const instances = await poller(new AbortController().signal);
    const snapshot = { polledAt: Date.now(), startedAt, instances };
    this.latest = snapshot;
    this.coordinator.broadcast(SNAPSHOT_EVENT, { ...snapshot });
    return snapshot;
  }
}

/** A snapshot's start from the socket, if it is a time no later than its end. */
export function startedAtOf(data: Record<string, unknown>): number | undefined {
  const { startedAt, polledAt } = data;
  return typeof startedAt === 'number' && Number.isFinite(startedAt) && typeof polledAt === 'number' && startedAt <= polledAt ? startedAt : undefined;
}

/** A follower's ids, checked: a list of positive whole numbers, not absurdly long. */
function askedIds(value: unknown): number[] {
  if (!Array.isArray(value) || value.length > MAX_IDS_PER_ASK || !value.every((id) => Number.isSafeInteger(id) && id > 0)) {
    throw new Error(`an instance id poll names at most ${MAX_IDS_PER_ASK} instance ids, each a positive whole number`);
  }
  return value as number[];
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
