import type * as vscode from 'vscode';
import type { BudgetMemory, LimitMemoryStore } from '../api/limitMemory';

const KEY = 'vastai.learnedLimits';
const KEEP_MS = 24 * 3600_000;
const MAX_BUDGETS = 16;

/**
 * Learned limits in the extension's `globalState`, one entry per budget id (a hash: never the
 * key). What is read back is validated by the budget; entries a day old or beyond the newest 16
 * are dropped on write, so a key tried once does not stay forever.
 */
export class MementoLimitMemory implements LimitMemoryStore {
  constructor(private readonly state: vscode.Memento) {}

  read(id: string): unknown {
    const all = this.state.get<unknown>(KEY);
    return isRecord(all) ? all[id] : undefined;
  }

  write(id: string, memory: BudgetMemory): void {
    const stored = this.state.get<unknown>(KEY);
    const kept = Object.entries(isRecord(stored) ? stored : {})
      .filter(([other, entry]) => other !== id && isRecord(entry) && typeof entry.savedAt === 'number' && memory.savedAt - entry.savedAt < KEEP_MS)
      .sort(([, a], [, b]) => (b as BudgetMemory).savedAt - (a as BudgetMemory).savedAt)
      .slice(0, MAX_BUDGETS - 1);
    void Promise.resolve(this.state.update(KEY, Object.fromEntries([[id, memory], ...kept]))).catch(() => undefined);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
