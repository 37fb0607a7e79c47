import type { InstanceStatus } from '../../vast/types';

/**
 * An instance's status over time. The current status is the last event at or before now, so the
 * lifecycle needs no timers: a virtual clock jumping 90 s simply lands on a later event.
 */
export interface StatusEvent {
  at: number;
  status: InstanceStatus | null;
  msg: string | null;
}

export function statusAt(timeline: readonly StatusEvent[], now: number): StatusEvent {
  let current = timeline[0];
  for (const event of timeline) {
    if (event.at > now) break;
    current = event;
  }
  return current;
}

/** Drops what was still to come (a stop cancels a boot in progress) and appends the new plan. */
export function replan(timeline: readonly StatusEvent[], now: number, plan: readonly StatusEvent[]): StatusEvent[] {
  return [...timeline.filter((event) => event.at <= now), ...plan];
}
