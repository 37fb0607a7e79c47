import type { BudgetIdentity, BudgetRegistry, BudgetRequest } from '../api/budgetRegistry';
import type { RateLimitGates } from '../api/rateLimitGates';
import { systemClock } from '../util/clock';
import type { Disposable } from '../util/emitter';
import { BudgetCoordination } from './budgetCoordination';

export interface CoordinationSettings {
  /** Share budgets with other processes on this machine (default on). */
  enabled: boolean;
  /** What this process is, for the others' status bars: 'window' (a VS Code window) or 'script'. */
  kind: string;
  /** Where problems go (this process runs standalone, and why); one line each, never the key. */
  log: (line: string) => void;
  /** Where role changes go (leading, following, hand-over); default nowhere. */
  trace?: (line: string) => void;
  /** The socket directory (default: the per-user runtime directory). */
  dir?: string;
}

const settings: CoordinationSettings = {
  enabled: process.env.VAST_SHARE_BUDGET !== '0',
  kind: 'script',
  log: (line) => console.warn(`[vast] ${line}`),
};

const coordinated = new WeakMap<RateLimitGates, BudgetCoordination>();
/** Budgets that may be shared, and how to start sharing each (again, after sharing was turned back on). */
const shareable = new Map<RateLimitGates, () => BudgetCoordination>();
const installed = new WeakSet<BudgetRegistry>();

/** Changes how budgets made from now on are shared (the extension sets 'window' and its log). */
export function configureCoordination(changes: Partial<CoordinationSettings>): void {
  Object.assign(settings, changes);
}

/**
 * Makes every budget `registry` creates on the system clock shared with the other processes using
 * the same host and key. Budgets on another clock (a test's virtual clock) stay local: other
 * processes do not live in that time.
 */
export function shareBudgetsAcrossProcesses(registry: BudgetRegistry): Disposable {
  if (installed.has(registry)) return { dispose: () => undefined };
  installed.add(registry);
  const hook = registry.onBudgetCreated((budget: RateLimitGates, identity: BudgetIdentity, apiKey: string, request: BudgetRequest) => {
    if (request.shareAcrossProcesses === false || request.clock !== systemClock) return;
    const start = () => new BudgetCoordination(budget, { host: identity.origin, apiKey, kind: settings.kind, log: settings.log, trace: settings.trace, dir: settings.dir });
    shareable.set(budget, start);
    if (settings.enabled) coordinated.set(budget, start());
  });
  return {
    dispose: () => {
      installed.delete(registry);
      hook.dispose();
    },
  };
}

/**
 * Turns sharing on or off for every budget of this process (the `vastai.shareBudget` setting):
 * off, each goes back to local permits and leaves its group; on, each joins again.
 */
export function setCoordinationEnabled(enabled: boolean): void {
  settings.enabled = enabled;
  for (const [budget, start] of shareable) {
    if (!enabled) stopSharing(budget);
    else if (!coordinated.has(budget)) coordinated.set(budget, start());
  }
}

/** The cross-process side of `budget`, if it is shared. */
export function coordinationOf(budget: RateLimitGates | undefined): BudgetCoordination | undefined {
  return budget ? coordinated.get(budget) : undefined;
}

/** Stops sharing `budget` (a client asked for its own budget); its gates go back to local permits. */
export function stopSharing(budget: RateLimitGates): void {
  coordinated.get(budget)?.dispose();
  coordinated.delete(budget);
}
