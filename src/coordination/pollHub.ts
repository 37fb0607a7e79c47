import type { Instance } from '../vast/types';
import type { Coordinator } from './coordinator';

/** A poll's result as it travels between processes. */
export interface SharedSnapshot {
  /** When the poll finished (epoch ms, this machine's clock). */
  polledAt: number;
  instances: Instance[];
}

export const LIST_METHOD = 'instances.list';
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

  constructor(private readonly coordinator: Coordinator) {
    coordinator.handle(LIST_METHOD, (params, { signal }) =>
      this.list(typeof params.after === 'number' ? params.after : undefined, params.fresh === true, signal),
    );
    // Followers keep the last broadcast: if they become leader, they start from it.
    coordinator.onEvent(SNAPSHOT_EVENT, (data) => {
      if (typeof data.polledAt === 'number' && Array.isArray(data.instances) && (!this.latest || data.polledAt > this.latest.polledAt)) {
        this.latest = { polledAt: data.polledAt, instances: data.instances as Instance[] };
      }
    });
  }

  /** A way to poll from this process (its VastClient); the leader needs one to serve the others. */
  addPoller(poller: Poller): { dispose(): void } {
    this.pollers.add(poller);
    return { dispose: () => this.pollers.delete(poller) };
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
    const instances = await poller(new AbortController().signal);
    const snapshot = { polledAt: Date.now(), instances };
    this.latest = snapshot;
    this.coordinator.broadcast(SNAPSHOT_EVENT, { ...snapshot });
    return snapshot;
  }
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
