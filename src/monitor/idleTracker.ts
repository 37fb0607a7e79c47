import type { Instance } from '../vast/types';

export interface IdleSettings {
  /** A GPU under this utilisation (%) counts as idle (`vastai.idleGpuPercent`, default 5). */
  thresholdPercent: number;
  /** Idle this long before the instance is marked (`vastai.idleMinutes`, default 30). */
  idleMs: number;
}

/** Readings further apart than this (the view was hidden, the laptop slept) restart the count. */
const MAX_GAP_MS = 10 * 60_000;

interface Streak {
  since: number;
  lastSeen: number;
}

/**
 * Which running instances have had their GPU idle for the whole idle span, read from the polls
 * that already run (`gpu_util`, in percent): no request of its own. A missing reading, a busy
 * reading, a state other than running or a long gap between readings ends a streak.
 */
export class IdleTracker {
  private readonly streaks = new Map<number, Streak>();

  constructor(private settings: IdleSettings) {}

  configure(settings: IdleSettings): void {
    this.settings = settings;
  }

  /** Feeds one poll; returns the instances that became idle with it (for the one-time notice). */
  observe(instances: Iterable<Instance>, at: number): Instance[] {
    const seen = new Set<number>();
    const newlyIdle: Instance[] = [];
    for (const instance of instances) {
      seen.add(instance.id);
      const util = instance.gpu_util;
      const quiet = instance.actual_status === 'running' && typeof util === 'number' && Number.isFinite(util) && util < this.settings.thresholdPercent;
      if (!quiet) {
        this.streaks.delete(instance.id);
        continue;
      }
      const streak = this.streaks.get(instance.id);
      if (!streak || at - streak.lastSeen > MAX_GAP_MS) {
        this.streaks.set(instance.id, { since: at, lastSeen: at });
        continue;
      }
      const wasIdle = streak.lastSeen - streak.since >= this.settings.idleMs;
      streak.lastSeen = at;
      if (!wasIdle && at - streak.since >= this.settings.idleMs) newlyIdle.push(instance);
    }
    for (const id of this.streaks.keys()) if (!seen.has(id)) this.streaks.delete(id);
    return newlyIdle;
  }

  /** How long the instance has been idle, once past the idle span (undefined otherwise). */
  idleFor(id: number): number | undefined {
    const streak = this.streaks.get(id);
    if (!streak) return undefined;
    const span = streak.lastSeen - streak.since;
    return span >= this.settings.idleMs ? span : undefined;
  }
}
