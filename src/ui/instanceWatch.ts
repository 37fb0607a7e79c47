import { AutoStopCheck, type AutoStopStatus } from '../monitor/autoStopCheck';
import { DestroyVerifier } from '../monitor/destroyVerifier';
import { IdleTracker } from '../monitor/idleTracker';
import type { InstanceMonitor, MonitorSnapshot } from '../monitor/instanceMonitor';
import type { Clock } from '../util/clock';
import { Emitter, type Disposable } from '../util/emitter';
import type { Instance, User } from '../vast/types';
import { burnRate, currentCredit, runwayHours, type BurnRate } from './burnRate';
import { LowCreditWatch } from './lowCreditWatch';

export interface WatchSettings {
  /** `vastai.idleGpuPercent` (default 5). */
  idleGpuPercent: number;
  /** `vastai.idleMinutes` (default 30). */
  idleMinutes: number;
  /** `vastai.lowCreditHours` (default 6). */
  lowCreditHours: number;
}

export const DEFAULT_WATCH_SETTINGS: WatchSettings = { idleGpuPercent: 5, idleMinutes: 30, lowCreditHours: 6 };

/** Credit, $/h now and the hours the credit lasts. */
export interface Spending {
  credit?: number;
  burn: BurnRate;
  /** Undefined without a credit figure; Infinity when nothing is billed. */
  runwayHours?: number;
}

export interface IdleEvent {
  instance: Instance;
  idleMs: number;
}

export interface LowCreditEvent {
  credit: number;
  perHour: number;
  runwayHours: number;
}

/**
 * Everything the product watches on the account between actions, fed only by the instance poll that
 * already runs (and the account read): idle GPUs, destroys that did not happen, low credit, and
 * whether auto-stop watchdogs armed (the one part that reads a log: one request per such instance
 * per boot). One per session; plain Node.
 */
export class InstanceWatch {
  private readonly idle: IdleTracker;
  private readonly destroys = new DestroyVerifier();
  private readonly lowCredit = new LowCreditWatch();
  readonly autoStop?: AutoStopCheck;
  private settings: WatchSettings;
  private lastPolledAt?: number;
  private readonly told = new Set<number>();
  private readonly subscription: Disposable;
  private readonly idleEvents = new Emitter<IdleEvent>();
  private readonly pendingEvents = new Emitter<Instance>();
  private readonly creditEvents = new Emitter<LowCreditEvent>();
  private readonly changes = new Emitter<void>();
  /** An instance has been idle for the idle span (once per idle stretch; never for kept ones). */
  readonly onIdle = this.idleEvents.event;
  /** A destroyed instance is still listed after a few polls. */
  readonly onDestroyPending = this.pendingEvents.event;
  /** The runway just dropped below `lowCreditHours` (once per crossing). */
  readonly onLowCredit = this.creditEvents.event;
  /** A marker may have changed (redraw rows). */
  readonly onDidChange = this.changes.event;

  constructor(
    private readonly monitor: InstanceMonitor,
    private readonly options: {
      clock: Clock;
      settings?: WatchSettings;
      /** The account as last read (its credit), when the instance rows carry none. */
      account?: () => User | undefined;
      /** Reads an instance's log, for the auto-stop check; without it auto-stop stays "checking". */
      readLog?: (id: number) => Promise<string>;
      /** Instances the person chose to keep although idle ("Keep"). */
      isKept?: (id: number) => boolean;
    },
  ) {
    this.settings = options.settings ?? DEFAULT_WATCH_SETTINGS;
    this.idle = new IdleTracker(idleSettings(this.settings));
    if (options.readLog) this.autoStop = new AutoStopCheck(options.clock, options.readLog, () => this.changes.fire());
    this.subscription = monitor.onDidChangeState((snapshot) => this.onPoll(snapshot));
  }

  configure(settings: WatchSettings): void {
    this.settings = settings;
    this.idle.configure(idleSettings(settings));
    this.checkCredit();
  }

  /** The destroy of `id` was accepted now: the next polls must stop listing it. */
  destroyed(id: number): void {
    this.destroys.destroyed(id, this.options.clock.now());
  }

  idleFor(id: number): number | undefined {
    return this.idle.idleFor(id);
  }

  isDestroyPending(id: number): boolean {
    return this.destroys.isPending(id);
  }

  autoStopStatus(id: number): AutoStopStatus | undefined {
    return this.autoStop?.get(id);
  }

  /** What the account spends now, from the latest poll and account read; costs no request. */
  spending(extraPerHour = 0): Spending {
    const instances = [...this.monitor.snapshot.instances.values()];
    const burn = burnRate(instances);
    burn.perHour += extraPerHour;
    const credit = currentCredit(instances, this.options.account?.());
    return { credit, burn, runwayHours: credit === undefined ? undefined : runwayHours(credit, burn.perHour) };
  }

  /** The account was read again (credit changed). */
  accountChanged(): void {
    this.checkCredit();
  }

  dispose(): void {
    this.subscription.dispose();
    this.idleEvents.dispose();
    this.pendingEvents.dispose();
    this.creditEvents.dispose();
    this.changes.dispose();
  }

  private onPoll(snapshot: MonitorSnapshot): void {
    if (snapshot.polledAt === undefined || snapshot.polledAt === this.lastPolledAt) return;
    this.lastPolledAt = snapshot.polledAt;
    const instances = [...snapshot.instances.values()];
    for (const instance of this.idle.observe(instances, snapshot.polledAt)) {
      if (this.options.isKept?.(instance.id)) continue;
      this.idleEvents.fire({ instance, idleMs: this.idle.idleFor(instance.id) ?? 0 });
    }
    for (const id of this.destroys.observe(snapshot.instances.keys(), snapshot.polledAt)) {
      const instance = snapshot.instances.get(id);
      if (instance && !this.told.has(id)) {
        this.told.add(id);
        this.pendingEvents.fire(instance);
      }
    }
    this.autoStop?.observe(instances);
    this.checkCredit();
    this.changes.fire();
  }

  private checkCredit(): void {
    const { credit, burn, runwayHours: hours } = this.spending();
    if (credit === undefined || hours === undefined) return;
    if (this.lowCredit.update(hours, this.settings.lowCreditHours)) {
      this.creditEvents.fire({ credit, perHour: burn.perHour, runwayHours: hours });
    }
  }
}

function idleSettings(settings: WatchSettings) {
  return { thresholdPercent: settings.idleGpuPercent, idleMs: settings.idleMinutes * 60_000 };
}
