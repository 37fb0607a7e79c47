import { systemClock, type Clock, type TimerHandle } from '../util/clock';
import type { Instance } from '../vast/types';

/** One id-filtered request for these instances (Vast: `select_filters` `{"id": {"in": [...]}}`). */
export type IdPoller = (ids: readonly number[], signal: AbortSignal) => Promise<Instance[]>;

/**
 * A wait's fast cadence in every process (waitPollDelayMs in src/monitor/pollSchedule.ts, default
 * policy). The leader sends at most one id-filtered poll this often for the whole machine.
 */
export const MERGED_ID_POLL_SPACING_MS = 4500;

export interface MergedIdPollsOptions {
  /** Shortest time between two departures (start to start). */
  spacingMs?: number;
  clock?: Clock;
  /** This process's way to poll by id, if it has one (asked at each departure). */
  poller: () => IdPoller | undefined;
}

interface Rider {
  ids: ReadonlySet<number>;
  settle(outcome: { rows: Instance[] } | { error: unknown }): void;
}

interface Departure {
  riders: Set<Rider>;
  timer?: TimerHandle;
  /** Aborts the request when every rider has left (it may still be queued at the gate). */
  abort: AbortController;
}

/**
 * The leader's side of the machine's fast polls: every process asks for the instances its waits and
 * transitions care about, and the asks are merged like passengers on a train. An ask boards the next
 * departure, which leaves at most once per `spacingMs` and never while the previous one is still out;
 * it asks for the union of its riders' ids in one request and hands each rider only its own rows.
 * Monitors whose fast polls come every `spacingMs` settle onto the same departures, so N processes
 * cost one id-filtered request per tick, not N.
 */
export class MergedIdPolls {
  private readonly clock: Clock;
  private readonly spacingMs: number;
  private boarding?: Departure;
  private lastDepartedAt = -Infinity;
  private out?: Promise<void>;

  constructor(private readonly options: MergedIdPollsOptions) {
    this.clock = options.clock ?? systemClock;
    this.spacingMs = options.spacingMs ?? MERGED_ID_POLL_SPACING_MS;
  }

  /** The rows of `ids` (those missing are gone), from the next departure. */
  ask(ids: readonly number[], signal: AbortSignal): Promise<Instance[]> {
    if (signal.aborted) return Promise.reject(signal.reason);
    return new Promise<Instance[]>((resolve, reject) => {
      const departure = this.boarding ?? this.schedule();
      const onAbort = () => {
        this.alight(departure, rider);
        reject(signal.reason);
      };
      const rider: Rider = {
        ids: new Set(ids),
        settle: (outcome) => {
          signal.removeEventListener('abort', onAbort);
          if ('rows' in outcome) resolve(outcome.rows);
          else reject(outcome.error);
        },
      };
      departure.riders.add(rider);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Riders waiting for the next departure (for tests). */
  get waiting(): number {
    return this.boarding?.riders.size ?? 0;
  }

  private schedule(): Departure {
    const departure: Departure = { riders: new Set(), abort: new AbortController() };
    this.boarding = departure;
    const now = this.clock.now();
    const at = Math.max(now, this.lastDepartedAt + this.spacingMs);
    departure.timer = this.clock.setTimeout(() => {
      departure.timer = undefined;
      // Still out: leave right after it returns (riders may keep boarding until then).
      if (this.out) void this.out.then(() => this.depart(departure));
      else this.depart(departure);
    }, at - now);
    return departure;
  }

  private alight(departure: Departure, rider: Rider): void {
    if (!departure.riders.delete(rider) || departure.riders.size > 0) return;
    if (this.boarding === departure) {
      // Nobody left to go: the departure is called off and does not count against the spacing.
      this.boarding = undefined;
      if (departure.timer !== undefined) this.clock.clearTimeout(departure.timer);
    } else {
      departure.abort.abort(new Error('Nobody waits for these instances any more.'));
    }
  }

  private depart(departure: Departure): void {
    if (this.boarding !== departure || departure.riders.size === 0) return;
    this.boarding = undefined;
    this.lastDepartedAt = this.clock.now();
    const riders = [...departure.riders];
    const poller = this.options.poller();
    if (!poller) {
      const error = Object.assign(new Error('the leading process has no instance poller'), { code: 'no-poller' });
      for (const rider of riders) rider.settle({ error });
      return;
    }
    const ids = [...new Set(riders.flatMap((rider) => [...rider.ids]))].sort((a, b) => a - b);
    this.out = poller(ids, departure.abort.signal).then(
      (rows) => {
        for (const rider of departure.riders) rider.settle({ rows: rows.filter((row) => rider.ids.has(row.id)) });
      },
      (error: unknown) => {
        for (const rider of departure.riders) rider.settle({ error });
      },
    ).finally(() => {
      this.out = undefined;
    });
  }
}
