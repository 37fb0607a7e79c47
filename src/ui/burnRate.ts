import type { Instance, User } from '../vast/types';

/**
 * What the account spends per hour right now and how long the credit lasts at that rate. Built
 * only from data already at hand (the instance poll and the account read): it costs no request.
 */
export interface BurnRate {
  /** $/h now: GPU (with its storage) of instances billed as running, plus storage of every other one. */
  perHour: number;
  /** Instances whose GPU is billed (running, frozen). */
  billedGpus: number;
  /** Instances paying only for storage (stopped, exited, loading…). */
  storageOnly: number;
  /** $/h of those storage-only instances. */
  storagePerHour: number;
}

/** Vast bills the GPU while `running` or `frozen`; storage from creation to destroy, whatever the state. */
export function isGpuBilled(instance: Instance): boolean {
  return instance.actual_status === 'running' || instance.actual_status === 'frozen';
}

/** An instance's storage $/h: `storage_total_cost`, else what `dph_total` adds to `dph_base`. */
export function storagePerHour(instance: Instance): number {
  const stated = instance.storage_total_cost;
  if (typeof stated === 'number' && Number.isFinite(stated) && stated >= 0) return stated;
  const total = instance.dph_total;
  const base = instance.dph_base;
  if (typeof total !== 'number' || typeof base !== 'number' || !Number.isFinite(total) || !Number.isFinite(base)) return 0;
  return Math.max(0, total - base);
}

export function burnRate(instances: Iterable<Instance>): BurnRate {
  const rate: BurnRate = { perHour: 0, billedGpus: 0, storageOnly: 0, storagePerHour: 0 };
  for (const instance of instances) {
    if (isGpuBilled(instance)) {
      rate.billedGpus++;
      rate.perHour += finite(instance.dph_total);
    } else {
      const storage = storagePerHour(instance);
      rate.storageOnly++;
      rate.storagePerHour += storage;
      rate.perHour += storage;
    }
  }
  return rate;
}

/**
 * The credit, freshest first: Vast puts `credit_balance` on every row of the instance list, so
 * each poll refreshes it for free; without instances, the account read (`GET /users/current/`).
 */
export function currentCredit(instances: Iterable<Instance>, user: User | undefined): number | undefined {
  for (const instance of instances) {
    const balance = instance.credit_balance;
    if (typeof balance === 'number' && Number.isFinite(balance)) return balance;
  }
  const credit = user?.credit;
  return typeof credit === 'number' && Number.isFinite(credit) ? credit : undefined;
}

/** Hours the credit lasts at `perHour`; Infinity when nothing is billed, 0 when the credit is gone. */
export function runwayHours(credit: number, perHour: number): number {
  if (credit <= 0) return 0;
  if (!(perHour > 0)) return Infinity;
  return credit / perHour;
}

/** "~10 h left at $4.91/h", "~40 min left at $12.00/h", "~3 days left at $0.40/h", "no charges now". */
export function formatRunway(hours: number, perHour: number): string {
  if (!Number.isFinite(hours)) return 'nothing billed now';
  const rate = `$${perHour.toFixed(2)}/h`;
  if (hours <= 0) return `credit used up at ${rate}`;
  if (hours < 1) return `~${Math.max(1, Math.round(hours * 60))} min left at ${rate}`;
  if (hours < 48) return `~${Math.round(hours)} h left at ${rate}`;
  return `~${Math.round(hours / 24)} days left at ${rate}`;
}

function finite(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}
