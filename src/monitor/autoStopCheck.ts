import type { Clock } from '../util/clock';
import type { Instance } from '../vast/types';
import { ARMED_LINE, NOT_ARMED_LINE, readAutoStopPlan, type AutoStopPlan } from '../ui/autoStop/autoStopScript';

/** armed: the watchdog said so; not-armed: it said it cannot work; unconfirmed: the log says neither. */
export type AutoStopState = 'checking' | 'armed' | 'not-armed' | 'unconfirmed';

export interface AutoStopStatus {
  plan: AutoStopPlan;
  state: AutoStopState;
  /** The watchdog's own line, when found. */
  line?: string;
}

/** How long after it starts running an instance's log is read (the watchdog arms within seconds). */
export const CHECK_AFTER_RUNNING_MS = 45_000;

/**
 * Whether each auto-stop instance's watchdog armed. The plan is read from the instance's on-start
 * script (free, it is in every poll row); the armed line from its log: one logs request per
 * auto-stop instance per boot, one at a time, never repeated while it keeps running.
 */
export class AutoStopCheck {
  private readonly status = new Map<number, AutoStopStatus & { runningSince?: number }>();
  private busy = false;

  constructor(
    private readonly clock: Clock,
    private readonly readLog: (id: number) => Promise<string>,
    private readonly onChange: () => void = () => undefined,
  ) {}

  get(id: number): AutoStopStatus | undefined {
    const entry = this.status.get(id);
    return entry && { plan: entry.plan, state: entry.state, line: entry.line };
  }

  /** Feeds one poll. */
  observe(instances: Iterable<Instance>): void {
    const now = this.clock.now();
    const seen = new Set<number>();
    let next: Instance | undefined;
    for (const instance of instances) {
      const plan = readAutoStopPlan(instance.onstart);
      if (!plan) continue;
      seen.add(instance.id);
      const running = instance.actual_status === 'running';
      let entry = this.status.get(instance.id);
      if (!entry) {
        entry = { plan, state: 'checking' };
        this.status.set(instance.id, entry);
      }
      if (!running) {
        entry.runningSince = undefined;
        continue;
      }
      if (entry.runningSince === undefined) {
        // A new boot: the watchdog runs again, so its state is read again.
        const uptime = instance.uptime_mins;
        entry.runningSince = typeof uptime === 'number' && Number.isFinite(uptime) ? now - uptime * 60_000 : now;
        entry.state = 'checking';
        entry.line = undefined;
      }
      if (entry.state === 'checking' && now - entry.runningSince >= CHECK_AFTER_RUNNING_MS && !next) next = instance;
    }
    for (const id of this.status.keys()) if (!seen.has(id)) this.status.delete(id);
    if (next && !this.busy) void this.check(next.id);
  }

  private async check(id: number): Promise<void> {
    this.busy = true;
    try {
      const log = await this.readLog(id);
      const entry = this.status.get(id);
      if (!entry) return;
      const lines = log.split('\n').filter((line) => line.includes(ARMED_LINE) || line.includes(NOT_ARMED_LINE));
      const last = lines[lines.length - 1];
      entry.state = !last ? 'unconfirmed' : last.includes(NOT_ARMED_LINE) ? 'not-armed' : 'armed';
      entry.line = last?.trim();
    } catch {
      const entry = this.status.get(id);
      if (entry) entry.state = 'unconfirmed';
    } finally {
      this.busy = false;
      this.onChange();
    }
  }
}
