import { isVastApiError, type VastErrorKind } from '../api/errors';
import { sharedInstanceSource } from '../coordination/sharedPolling';
import { systemClock, type Clock, type TimerHandle } from '../util/clock';
import { Emitter, type Disposable } from '../util/emitter';
import { formatDuration } from '../util/format';
import type { Instance } from '../vast/types';
import { describeStatus, isRunning, isTransitional, neverRunningReason } from './instanceStatus';
import { DEFAULT_POLL_POLICY, PollSchedule, waitPollDelayMs, type PollPolicy } from './pollSchedule';
import { diffInstances, isEmptyDiff, type SnapshotDiff } from './snapshotDiff';
import { WaitError } from './waitError';
import { errorMessage } from '../util/errorMessage';

/** Where the instance list comes from: `VastClient` in the product (one batched, paginated call). */
export interface InstanceSource {
  /** `fresh`: an explicit refresh; a source shared with other processes must not answer it from an earlier poll. */
  listInstances(options?: { signal?: AbortSignal; fresh?: boolean }): Promise<Instance[]>;
  /** A source shared across processes: another process polled, and this source has news without a request. */
  onDidPollElsewhere?(listener: () => void): Disposable;
  /**
   * Only these instances (Vast: `select_filters` `{"id": {"in": [...]}}`, one page). With it, fast
   * polls while waits or transitions are pending ask for just those, and the full list keeps its
   * normal cadence; without it, the full list itself is polled fast.
   */
  listInstancesById?(ids: readonly number[], options?: { signal?: AbortSignal }): Promise<Instance[]>;
  /**
   * When the poll behind `list` (one this source returned) started, when that may be before it was
   * asked for (a shared poll joined or reused): fast results newer than that poll are kept.
   */
  listStartedAt?(list: readonly Instance[]): number | undefined;
}

export interface MonitorSnapshot {
  instances: ReadonlyMap<number, Instance>;
  /** When the last good poll finished (epoch ms); undefined before the first. */
  polledAt?: number;
  /**
   * When that poll started: an instance created after this moment may be missing from `instances`
   * (reconciling a lost create only trusts polls that started after the failure).
   */
  listStartedAt?: number;
  /** The last poll failed, so `instances` is older data (its age: now - polledAt). */
  stale: boolean;
  lastError?: { at: number; message: string; kind: VastErrorKind | 'unexpected' };
  /** When the next poll is due; undefined while nobody is interested. */
  nextPollAt?: number;
  /** A poll is in flight. */
  polling: boolean;
}

export interface MonitorChange extends SnapshotDiff {
  snapshot: MonitorSnapshot;
}

export interface WaitProgress {
  instanceId: number;
  /** Undefined until the instance first appears in the list. */
  instance?: Instance;
  /** "loading (pulling image ...)". */
  status: string;
}

export interface WaitOptions {
  /** Default 10 minutes. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Called at each status change. */
  onProgress?: (progress: WaitProgress) => void;
}

export interface MonitorOptions {
  /** Default: the system clock. */
  clock?: Clock;
  policy?: Partial<PollPolicy>;
  /** How long `unknown` (no heartbeat) is tolerated during a wait (default 2 min). */
  unknownGraceMs?: number;
  /** How long a waited-for instance may be missing from the list before it counts as not found (default 1 min). */
  missingGraceMs?: number;
  /**
   * Share the poll with the other processes on this key (default on, when the client's budget is
   * shared): one poll per tick for the whole machine, led by one process.
   */
  shareBudget?: boolean;
}

interface Waiter {
  id: number;
  startedAt: number;
  seen: boolean;
  lastStatus?: string;
  unknownSince?: number;
  onProgress?: (progress: WaitProgress) => void;
  finish: (outcome: { instance: Instance } | { error: unknown }) => void;
}

const DEFAULT_WAIT_TIMEOUT_MS = 10 * 60_000;

/**
 * The only poller of instance state. One batched list call per tick feeds every consumer: the
 * tree, every wait, every script. It polls only while someone subscribes or waits, faster while
 * anything is transitional, never two polls at once, and keeps the last good snapshot on errors.
 */
export class InstanceMonitor {
  private readonly clock: Clock;
  private readonly schedule: PollSchedule;
  private readonly unknownGraceMs: number;
  private readonly missingGraceMs: number;
  private instances: ReadonlyMap<number, Instance> = new Map();
  private polledAt?: number;
  private lastPollStartedAt?: number;
  private stale = false;
  private lastError?: MonitorSnapshot['lastError'];
  private inFlight?: Promise<MonitorSnapshot>;
  private timer?: TimerHandle;
  private nextPollAt?: number;
  private subscribers = 0;
  private readonly waiters = new Set<Waiter>();
  private readonly lifetime = new AbortController();
  private readonly instancesChanged = new Emitter<MonitorChange>();
  private readonly stateChanged = new Emitter<MonitorSnapshot>();
  private readonly source: InstanceSource;
  private readonly sharing?: Disposable;
  /** Fast polls of the instances of interest only (through the leader when the poll is shared machine-wide). */
  private readonly byId?: (ids: readonly number[], signal: AbortSignal) => Promise<Instance[]>;
  private readonly fastSchedule: PollSchedule;
  private fastTimer?: TimerHandle;
  private fastInFlight?: Promise<void>;
  /** Aborts the fast poll in flight when nobody is interested any more (it may be queued at the gate). */
  private fastAbort?: AbortController;
  private lastFastPollAt?: number;
  private fastDueAt?: number;
  /** When a fast poll that saw (or missed) each instance started: newer than a full poll that started earlier. */
  private readonly fastSeenAt = new Map<number, number>();

  /** Fires when something visible changed: an instance added, removed, or a visible field. */
  readonly onDidChangeInstances = this.instancesChanged.event;
  /** Fires on every poll and state change (polling, stale, error, next poll): for status displays. */
  readonly onDidChangeState = this.stateChanged.event;

  constructor(source: InstanceSource, options: MonitorOptions = {}) {
    const shared = options.shareBudget === false ? undefined : sharedInstanceSource(source);
    this.source = shared ?? source;
    // Another process's poll is this monitor's poll too: take it now (no request) and keep the rhythm.
    const news = this.source.onDidPollElsewhere?.(() => {
      if (this.interested && !this.inFlight) void this.poll(false);
    });
    if (shared || news) this.sharing = { dispose: () => (news?.dispose(), shared?.dispose()) };
    // On a machine-wide poll, id polls go through the leader too: one merged id poll per tick for all processes.
    const byIdSource = shared ?? source;
    if (source.listInstancesById) this.byId = (ids, signal) => byIdSource.listInstancesById!(ids, { signal });
    this.clock = options.clock ?? systemClock;
    this.schedule = new PollSchedule({ ...DEFAULT_POLL_POLICY, ...options.policy });
    this.fastSchedule = new PollSchedule({ ...DEFAULT_POLL_POLICY, ...options.policy });
    this.unknownGraceMs = options.unknownGraceMs ?? 2 * 60_000;
    this.missingGraceMs = options.missingGraceMs ?? 60_000;
  }

  get snapshot(): MonitorSnapshot {
    return {
      instances: this.instances,
      polledAt: this.polledAt,
      listStartedAt: this.lastPollStartedAt,
      stale: this.stale,
      lastError: this.lastError,
      nextPollAt: this.nextPollAt,
      polling: this.inFlight !== undefined,
    };
  }

  /** Keeps the monitor polling while the subscription lives (a visible view, a script). */
  subscribe(): Disposable {
    this.subscribers++;
    this.onInterestChanged();
    let disposed = false;
    return {
      dispose: () => {
        if (disposed) return;
        disposed = true;
        this.subscribers--;
        this.onInterestChanged();
      },
    };
  }

  /** Polls now; a caller during a poll shares it. Works with or without subscribers. */
  refresh(): Promise<MonitorSnapshot> {
    return this.poll(true);
  }

  /** Something is about to change (start, stop, create...): poll quickly again. */
  expectChange(): void {
    this.schedule.resetFast();
    this.pullNextPollIn(this.schedule.policy.fastMs);
  }

  /**
   * Resolves with the instance once it is running. Driven by the shared poll (no requests of its
   * own); fails fast when the instance will never run. Cancelling never touches the instance.
   */
  waitUntilRunning(id: number, options: WaitOptions = {}): Promise<Instance> {
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<Instance>((resolve, reject) => {
      const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS;
      const waiter: Waiter = {
        id,
        startedAt: this.clock.now(),
        seen: false,
        onProgress: options.onProgress,
        finish: (outcome) => {
          if (!this.waiters.delete(waiter)) return;
          this.clock.clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          if ('instance' in outcome) resolve(outcome.instance);
          else reject(outcome.error);
          this.onInterestChanged();
        },
      };
      const timer = this.clock.setTimeout(() => {
        const last = this.instances.get(id);
        const where = last ? `; last status: ${describeStatus(last)}` : '';
        waiter.finish({ error: new WaitError('timeout', id, `Instance ${id} was not running after ${formatDuration(timeoutMs)}${where}.`, last) });
      }, timeoutMs);
      const onAbort = () => waiter.finish({ error: signal!.reason });
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.add(waiter);

      // A recent snapshot can answer at once (or report the first status).
      const fresh = this.polledAt !== undefined && this.clock.now() - this.polledAt < this.schedule.policy.fastMs;
      if (fresh) this.evaluate(waiter, this.lastPollStartedAt ?? 0);
      if (!this.waiters.has(waiter)) return;
      this.onInterestChanged();
      if (this.byId) {
        this.fastSchedule.resetFast();
        // A full poll in flight or about to start looks at this instance too, then arms the fast polls.
        const fullSoon = this.inFlight !== undefined || (this.nextPollAt !== undefined && this.nextPollAt - this.clock.now() <= this.schedule.policy.fastMs);
        if (!fullSoon) this.pullFastPollIn(this.schedule.policy.fastMs);
      } else {
        this.schedule.resetFast();
        this.pullNextPollIn(this.schedule.policy.fastMs);
      }
    });
  }

  /** Stops polling and fails pending waits. */
  dispose(): void {
    this.lifetime.abort(new Error('The instance monitor was closed.'));
    for (const waiter of [...this.waiters]) waiter.finish({ error: this.lifetime.signal.reason });
    this.cancelTimer();
    this.cancelFastTimer();
    this.sharing?.dispose();
    this.instancesChanged.dispose();
    this.stateChanged.dispose();
  }

  private get interested(): boolean {
    return !this.lifetime.signal.aborted && (this.subscribers > 0 || this.waiters.size > 0);
  }

  private onInterestChanged(): void {
    if (!this.interested) {
      this.cancelTimer();
      this.cancelFastTimer();
      this.fastAbort?.abort(new Error('Nobody waits for these instances any more.'));
      this.emitState();
      return;
    }
    if (this.timer !== undefined || this.inFlight) return;
    // Becoming interested: poll now unless the snapshot is still recent.
    const age = this.polledAt === undefined ? Infinity : this.clock.now() - this.polledAt;
    this.scheduleIn(Math.max(0, this.schedule.policy.normalMs - age));
  }

  private poll(fresh = false): Promise<MonitorSnapshot> {
    if (this.inFlight) return this.inFlight;
    this.cancelTimer();
    const startedAt = this.clock.now();
    this.inFlight = this.runPoll(startedAt, fresh).finally(() => {
      this.inFlight = undefined;
      this.emitState();
    });
    this.emitState();
    return this.inFlight;
  }

  private async runPoll(startedAt: number, fresh: boolean): Promise<MonitorSnapshot> {
    let nextAt: number;
    try {
      const list = await this.source.listInstances({ signal: this.lifetime.signal, ...(fresh ? { fresh } : {}) });
      // What the list shows was read from when its poll started (maybe before this one asked).
      const listStartedAt = Math.min(startedAt, this.source.listStartedAt?.(list) ?? startedAt);
      const next = new Map(list.map((instance) => [instance.id, instance] as const));
      this.keepNewerFastResults(next, listStartedAt);
      const diff = diffInstances(this.instances, next);
      this.instances = next;
      this.polledAt = this.clock.now();
      this.lastPollStartedAt = listStartedAt;
      this.stale = false;
      this.lastError = undefined;
      for (const waiter of [...this.waiters]) this.evaluate(waiter, listStartedAt);
      // Ticks are measured start to start, so a long paginated poll does not slow the rhythm.
      nextAt = startedAt + this.schedule.afterSuccess(!this.byId && this.needsFastPolling());
      if (!isEmptyDiff(diff)) this.instancesChanged.fire({ ...diff, snapshot: this.snapshot });
      this.armFastPoll();
    } catch (error) {
      if (this.lifetime.signal.aborted) return this.snapshot;
      this.stale = this.polledAt !== undefined;
      this.lastError = {
        at: this.clock.now(),
        message: errorMessage(error),
        kind: isVastApiError(error) ? error.kind : 'unexpected',
      };
      const resumeIn = isVastApiError(error) && error.resumeAt ? error.resumeAt - this.clock.now() : 0;
      nextAt = this.clock.now() + this.schedule.afterFailure(resumeIn);
    }
    if (this.interested) this.scheduleIn(Math.max(0, nextAt - this.clock.now()));
    return this.snapshot;
  }

  /** Waited-for instances, and those on their way somewhere (booting, stopping...). */
  private idsOfInterest(): number[] {
    const ids = new Set<number>();
    for (const waiter of this.waiters) ids.add(waiter.id);
    for (const instance of this.instances.values()) if (isTransitional(instance)) ids.add(instance.id);
    return [...ids];
  }

  /** A full poll that started before a fast one must not bring back what the fast one saw. */
  private keepNewerFastResults(next: Map<number, Instance>, fullStartedAt: number): void {
    for (const [id, seenAt] of this.fastSeenAt) {
      if (seenAt <= fullStartedAt) {
        this.fastSeenAt.delete(id);
        continue;
      }
      const newer = this.instances.get(id);
      if (newer) next.set(id, newer);
      else next.delete(id);
    }
  }

  /** One request for the instances of interest; their rows and the waits move on without the full list. */
  private fastPoll(): Promise<void> {
    if (this.fastInFlight) return this.fastInFlight;
    this.cancelFastTimer();
    this.fastInFlight = this.runFastPoll().finally(() => {
      this.fastInFlight = undefined;
    });
    return this.fastInFlight;
  }

  private async runFastPoll(): Promise<void> {
    const ids = this.idsOfInterest();
    if (!this.byId || ids.length === 0 || !this.interested) return;
    const startedAt = this.clock.now();
    this.lastFastPollAt = startedAt;
    const abort = (this.fastAbort = new AbortController());
    const onClose = () => abort.abort(this.lifetime.signal.reason);
    this.lifetime.signal.addEventListener('abort', onClose, { once: true });
    let delay: number;
    try {
      const found = await this.byId(ids, abort.signal);
      const asked = new Set(ids);
      const next = new Map(this.instances);
      for (const id of asked) {
        next.delete(id); // not in the answer: gone (a wait decides with its own grace)
        this.fastSeenAt.set(id, startedAt);
      }
      for (const instance of found) if (asked.has(instance.id)) next.set(instance.id, instance);
      const diff = diffInstances(this.instances, next);
      this.instances = next;
      for (const waiter of [...this.waiters]) if (asked.has(waiter.id)) this.evaluate(waiter, startedAt);
      if (!isEmptyDiff(diff)) this.instancesChanged.fire({ ...diff, snapshot: this.snapshot });
      // A wait wants to know within seconds (a fast poll may queue a second behind a page of the full
      // list at the gate, hence 90% of fastMs); a transition nobody waits for can be seen a bit later.
      const grown = this.fastSchedule.afterSuccess(true);
      delay = this.waiters.size > 0 ? waitPollDelayMs(this.fastSchedule.policy) : grown;
    } catch (error) {
      if (abort.signal.aborted) return;
      const resumeIn = isVastApiError(error) && error.resumeAt ? error.resumeAt - this.clock.now() : 0;
      delay = this.fastSchedule.afterFailure(resumeIn);
    } finally {
      this.lifetime.signal.removeEventListener('abort', onClose);
    }
    if (!this.interested) return;
    if (this.idsOfInterest().length > 0) this.scheduleFastIn(Math.max(0, startedAt + delay - this.clock.now()));
    else this.fastSchedule.afterSuccess(false); // nothing pending: the next transition starts at fastMs again
  }

  /**
   * After a full poll: fast polls start a fast interval after it if something is pending and none
   * is planned; a pending wait brings a later one forward.
   */
  private armFastPoll(): void {
    if (this.fastTimer !== undefined && this.waiters.size === 0) return;
    this.pullFastPollIn(this.fastSchedule.policy.fastMs);
  }

  /** Brings the next fast poll forward to at most `ms` after the last one (never earlier than now). */
  private pullFastPollIn(ms: number): void {
    if (!this.byId || !this.interested || this.fastInFlight || this.idsOfInterest().length === 0) return;
    // Counted from the last look at these instances, fast or full.
    const lastLook = Math.max(this.lastFastPollAt ?? -Infinity, this.lastPollStartedAt ?? -Infinity);
    const due = Math.max(this.clock.now(), lastLook + ms);
    if (this.fastTimer === undefined || due < this.fastDueAt!) this.scheduleFastIn(due - this.clock.now());
  }

  private scheduleFastIn(ms: number): void {
    this.cancelFastTimer();
    this.fastDueAt = this.clock.now() + ms;
    this.fastTimer = this.clock.setTimeout(() => {
      this.fastTimer = undefined;
      this.fastDueAt = undefined;
      void this.fastPoll();
    }, ms);
  }

  private cancelFastTimer(): void {
    if (this.fastTimer !== undefined) this.clock.clearTimeout(this.fastTimer);
    this.fastTimer = undefined;
    this.fastDueAt = undefined;
  }

  private needsFastPolling(): boolean {
    if (this.waiters.size > 0) return true;
    for (const instance of this.instances.values()) if (isTransitional(instance)) return true;
    return false;
  }

  private evaluate(waiter: Waiter, pollStartedAt: number): void {
    const instance = this.instances.get(waiter.id);
    if (!instance) {
      // A poll that began before the wait may predate the instance itself.
      if (pollStartedAt < waiter.startedAt) return;
      if (waiter.seen) {
        waiter.finish({ error: new WaitError('destroyed', waiter.id, `Instance ${waiter.id} was destroyed while waiting for it.`) });
      } else if (this.clock.now() - waiter.startedAt >= this.missingGraceMs) {
        waiter.finish({ error: new WaitError('not-found', waiter.id, `Instance ${waiter.id} is not on this account.`) });
      }
      return;
    }
    waiter.seen = true;
    const status = describeStatus(instance);
    if (status !== waiter.lastStatus) {
      waiter.lastStatus = status;
      waiter.onProgress?.({ instanceId: waiter.id, instance, status });
    }
    if (isRunning(instance)) return waiter.finish({ instance });
    const reason = neverRunningReason(instance);
    if (reason) {
      return waiter.finish({ error: new WaitError('never-running', waiter.id, `Instance ${waiter.id} will not start: ${reason}.`, instance) });
    }
    if (instance.actual_status === 'unknown') {
      waiter.unknownSince ??= this.clock.now();
      if (this.clock.now() - waiter.unknownSince >= this.unknownGraceMs) {
        const error = new WaitError('unknown', waiter.id, `Instance ${waiter.id}'s host has not reported for ${formatDuration(this.unknownGraceMs)}.`, instance);
        waiter.finish({ error });
      }
    } else {
      waiter.unknownSince = undefined;
    }
  }

  /** Brings the next poll forward to at most `ms` after the last one (never earlier than now). */
  private pullNextPollIn(ms: number): void {
    if (!this.interested || this.inFlight) return;
    const due = Math.max(this.clock.now(), (this.polledAt ?? -Infinity) + ms);
    if (this.nextPollAt === undefined || due < this.nextPollAt) this.scheduleIn(due - this.clock.now());
  }

  private scheduleIn(ms: number): void {
    this.cancelTimer();
    this.nextPollAt = this.clock.now() + ms;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.nextPollAt = undefined;
      void this.poll();
    }, ms);
    this.emitState();
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.nextPollAt = undefined;
  }

  private emitState(): void {
    this.stateChanged.fire(this.snapshot);
  }
}
