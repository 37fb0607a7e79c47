import { VastApiError, type VastErrorKind } from '../api/errors';
import { parseInstances } from '../api/wireSchemas';
import { Emitter, type Disposable } from '../util/emitter';
import type { Instance } from '../vast/types';
import { RemoteError, type Coordinator } from './coordinator';
import { BY_IDS_METHOD, LIST_METHOD, REUSE_WITHIN_MS, SNAPSHOT_EVENT, startedAtOf, type PollHub, type SharedSnapshot } from './pollHub';

/** What the monitor needs from its source (kept structural so the monitor does not import this). */
export interface PollingSource {
  listInstances(options?: { signal?: AbortSignal; fresh?: boolean }): Promise<Instance[]>;
  listInstancesById?(ids: readonly number[], options?: { signal?: AbortSignal }): Promise<Instance[]>;
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
  /** When the poll behind each list handed out started (it may predate the ask: a joined or reused poll). */
  private readonly startedAtByList = new WeakMap<readonly Instance[], number>();
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
        hub.addPoller(
          (signal) => direct.listInstances({ signal }),
          direct.listInstancesById ? (ids, signal) => direct.listInstancesById!(ids, { signal }) : undefined,
        ),
        coordinator.onEvent(SNAPSHOT_EVENT, (data) => {
          if (typeof data.polledAt !== 'number' || !Array.isArray(data.instances)) return;
          if (this.seenPolledAt !== undefined && data.polledAt <= this.seenPolledAt) return;
          const instances = coordinator.role === 'follower' ? fromSocket(data.instances) : (data.instances as Instance[]);
          this.pushed = { polledAt: data.polledAt, startedAt: startedAtOf(data), instances };
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
    const instances = coordinator.role === 'follower' ? fromSocket(snapshot.instances) : snapshot.instances;
    return this.take({ polledAt: snapshot.polledAt, startedAt: startedAtOf(snapshot as unknown as Record<string, unknown>), instances });
  }

  /** When the poll that produced `list` (a list this source handed out) started, if known. */
  listStartedAt(list: readonly Instance[]): number | undefined {
    return this.startedAtByList.get(list);
  }

  /**
   * Only these instances, through the leader: its one id-filtered poll per tick asks for every
   * process's instances of interest at once, and this process gets its own rows back. Without a
   * leader (or one that cannot poll), this process asks through its own client.
   */
  async listInstancesById(ids: readonly number[], options: { signal?: AbortSignal } = {}): Promise<Instance[]> {
    if (ids.length === 0) return [];
    const coordinator = await this.linked;
    if (!coordinator) return this.directById(ids, options.signal);
    let answer: unknown;
    try {
      answer = await coordinator.call(BY_IDS_METHOD, { ids: [...ids] }, options.signal);
    } catch (error) {
      if (options.signal?.aborted) throw error;
      if (error instanceof RemoteError && error.fields.code === 'no-poller') return this.directById(ids, options.signal);
      throw asLocalError(error);
    }
    const rows = (answer as { instances?: unknown } | null)?.instances;
    if (!Array.isArray(rows)) throw new VastApiError('invalid-response', 'The leading process sent an unreadable instance list.');
    // Only the asked-for rows count.
    const asked = new Set(ids);
    return fromSocket(rows).filter((instance) => asked.has(instance.id));
  }

  dispose(): void {
    this.disposed = true;
    for (const subscription of this.subscriptions) subscription.dispose();
    this.polledElsewhere.dispose();
  }

  private async directById(ids: readonly number[], signal?: AbortSignal): Promise<Instance[]> {
    if (this.direct.listInstancesById) return this.direct.listInstancesById(ids, { signal });
    const asked = new Set(ids);
    return (await this.direct.listInstances({ signal })).filter((instance) => asked.has(instance.id));
  }

  private isNews(snapshot: SharedSnapshot): boolean {
    return this.seenPolledAt === undefined || snapshot.polledAt > this.seenPolledAt;
  }

  private take(snapshot: SharedSnapshot): Instance[] {
    if (this.isNews(snapshot)) this.seenPolledAt = snapshot.polledAt;
    if (snapshot.startedAt !== undefined) this.startedAtByList.set(snapshot.instances, snapshot.startedAt);
    return snapshot.instances;
  }
}

/**
 * Rows another process sent, checked like rows from the server: a row without a usable id is
 * dropped, a bad field degrades to null (the leader's rows pass unchanged: it checked them already).
 */
function fromSocket(rows: unknown[]): Instance[] {
  return parseInstances(rows, () => undefined);
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
