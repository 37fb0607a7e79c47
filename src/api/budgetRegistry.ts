import type { Clock } from '../util/clock';
import { budgetId, keyFingerprint } from './keyFingerprint';
import type { LimitMemoryStore } from './limitMemory';
import { RateLimitGates } from './rateLimitGates';

/** Who a budget belongs to. `fingerprint` and `id` are safe to log; the key is not here. */
export interface BudgetIdentity {
  /** The API origin, e.g. https://console.vast.ai. */
  origin: string;
  /** keyFingerprint(apiKey). */
  fingerprint: string;
  /** budgetId(origin, fingerprint): the name stores and coordinators use. */
  id: string;
}

/**
 * Called once when a budget is first made. `apiKey` is handed over only so a cross-process
 * coordinator can prove it holds the key (an HMAC over a challenge); it must never be stored,
 * logged or sent.
 */
export type BudgetCreatedHook = (budget: RateLimitGates, identity: BudgetIdentity, apiKey: string, request: BudgetRequest) => void;

export interface BudgetRequest {
  origin: string;
  apiKey: string;
  clock: Clock;
  /** The gates' default cap on a cooldown a request sits out (each request may pass its own). */
  maxWaitMs: number;
  /** Where learned limits are kept; the first client to bring one attaches it. */
  memory?: LimitMemoryStore;
  /** False: the first client asked that this budget not be shared with other processes. */
  shareAcrossProcesses?: boolean;
}

/**
 * One rate-limit budget per API host and key in a process: every VastClient for the same origin and
 * key (the key check in Set API Key, the session, a script's second client) gets the same gates.
 * Budgets are keyed by a hash of the key, never the key. They live as long as the registry (a few
 * small objects per key used), so a client made later still sees the spacing and cooldowns of one
 * disposed earlier. Budgets are also kept per clock: clients on different clocks (tests with a
 * virtual clock each) cannot share timing.
 */
export class BudgetRegistry {
  private readonly byClock = new WeakMap<Clock, Map<string, RateLimitGates>>();
  private readonly hooks = new Set<BudgetCreatedHook>();

  budgetFor(request: BudgetRequest): RateLimitGates {
    const fingerprint = keyFingerprint(request.apiKey);
    const id = budgetId(request.origin, fingerprint);
    let budgets = this.byClock.get(request.clock);
    if (!budgets) {
      budgets = new Map();
      this.byClock.set(request.clock, budgets);
    }
    let budget = budgets.get(id);
    if (!budget) {
      budget = new RateLimitGates(request.clock, { maxWaitMs: request.maxWaitMs, id });
      budgets.set(id, budget);
      if (request.memory) budget.useMemory(request.memory);
      for (const hook of this.hooks) {
        try {
          hook(budget, { origin: request.origin, fingerprint, id }, request.apiKey, request);
        } catch {
          // A failing coordinator leaves the budget local.
        }
      }
    } else if (request.memory) {
      budget.useMemory(request.memory);
    }
    return budget;
  }

  /** Runs `hook` for every budget made from now on (cross-process coordination plugs in here). */
  onBudgetCreated(hook: BudgetCreatedHook): { dispose(): void } {
    this.hooks.add(hook);
    return { dispose: () => this.hooks.delete(hook) };
  }
}

/** The process-wide registry every VastClient uses unless given another. */
export const processBudgets = new BudgetRegistry();
