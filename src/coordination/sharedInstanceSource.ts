import { VastApiError, type VastErrorKind } from '../api/errors';
import { Emitter, type Disposable } from '../util/emitter';
import type { Instance } from '../vast/types';
import { RemoteError, type Coordinator } from './coordinator';
import { LIST_METHOD, REUSE_WITHIN_MS, SNAPSHOT_EVENT, type PollHub, type SharedSnapshot } from './pollHub';

/** What the monitor needs from its source (kept structural so the monitor does not import this). */
export interface PollingSource {
  listInstances(options?: { signal?: AbortSignal; fresh?: boolean }): Promise<Instance[]>;
}

/**
 * An InstanceMonitor's source when its budget is shared across processes: its polls go to the
 * leader's PollHub (one poll per tick for the whole machine), and a poll any other process caused
 * is offered to the monitor as news (`onDidPollElsewhere`), answered from the broadcast without a
 * request. When the leader has nobody to poll with, this process polls through its own client
 * (still through the shared gates).
 */
export class SharedInstanceSource implements Disposable {
  private seenPolledAt?: number;
  private pushed?: SharedSnapshot;
  private readonly polledElsewhere = new Emitter<void>();
  private readonly subscriptions: Disposable[] = [];
  private disposed = false;
  private readonly linked: Promise<Coordinator | undefined>;

  constructor(
    link: Promise<{ coordinator: Coordinator; hub: PollHub } | undefined>,
    private readonly direct: PollingSource,
  ) {
    this.linked = link.then((joined) => {
      if (!joined || this.disposed) return undefined;
      const { coordinator, hub } = joined;
      this.subscriptions.push(
        hub.addPoller((signal) => direct.listInstances({ signal })),
        coordinator.onEvent(SNAPSHOT_EVENT, (data) => {
          if (typeof data.polledAt !== 'number' || !Array.isArray(data.instances)) return;
          if (this.seenPolledAt !== undefined && data.polledAt <= this.seenPolledAt) return;
          this.pushed = { polledAt: data.polledAt, instances: data.instances as Instance[] };
          this.polledElsewhere.fire();
        }),
      );
      return coordinator;
    });
  }

  /** Another process's poll brought news this source has not handed out yet. */
  readonly onDidPollElsewhere = this.polledElsewhere.event;

  async listInstances(options: { signal?: AbortSignal; fresh?: boolean } = {}): Promise<Instance[]> {
    const pushed = this.pushed;
    if (!options.fresh && pushed && this.isNews(pushed) && Date.now() - pushed.polledAt <= REUSE_WITHIN_MS) return this.take(pushed);
    const coordinator = await this.linked;
    if (!coordinator) return this.direct.listInstances({ signal: options.signal });
    let snapshot: SharedSnapshot;
    try {
      snapshot = await coordinator.call<SharedSnapshot>(LIST_METHOD, { after: this.seenPolledAt ?? null, fresh: options.fresh === true }, options.signal);
    } catch (error) {
      if (options.signal?.aborted) throw error;
      if (error instanceof RemoteError && error.fields.code === 'no-poller') return this.direct.listInstances({ signal: options.signal });
      throw asLocalError(error);
    }
    if (!snapshot || !Array.isArray(snapshot.instances) || typeof snapshot.polledAt !== 'number') {
      throw new VastApiError('invalid-response', 'The leading process sent an unreadable instance list.');
    }
    return this.take(snapshot);
  }

  dispose(): void {
    this.disposed = true;
    for (const subscription of this.subscriptions) subscription.dispose();
    this.polledElsewhere.dispose();
  }

  private isNews(snapshot: SharedSnapshot): boolean {
    return this.seenPolledAt === undefined || snapshot.polledAt > this.seenPolledAt;
  }

  private take(snapshot: SharedSnapshot): Instance[] {
    if (this.isNews(snapshot)) this.seenPolledAt = snapshot.polledAt;
    return snapshot.instances;
  }
}

const KINDS = new Set<VastErrorKind>(['auth', 'not-found', 'bad-request', 'rate-limited', 'server', 'network', 'invalid-response', 'outcome-unknown', 'invalid-input']);

/** The leader's VastApiError, rebuilt here so the monitor classifies it as if this process had polled. */
function asLocalError(error: unknown): unknown {
  if (!(error instanceof RemoteError)) return error;
  const { kind, endpoint, status, code, attempts, resumeAt } = error.fields;
  if (typeof kind !== 'string' || !KINDS.has(kind as VastErrorKind)) return new Error(error.message);
  return new VastApiError(kind as VastErrorKind, error.message, {
    endpoint: typeof endpoint === 'string' ? (endpoint as VastApiError['endpoint']) : undefined,
    status: typeof status === 'number' ? status : undefined,
    code: typeof code === 'string' ? code : undefined,
    attempts: typeof attempts === 'number' ? attempts : undefined,
    resumeAt: typeof resumeAt === 'number' ? resumeAt : undefined,
  });
}
