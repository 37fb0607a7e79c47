import { ENDPOINT_CLASSES, type EndpointClass } from '../vast/endpoints';
import { DEFAULT_AIMD } from './aimd';
import type { GateMemory } from './endpointGate';

/**
 * Where a budget keeps what it learned across restarts (learned intervals and when, cooldowns in
 * progress), per budget id (a hash of host and key fingerprint: never the key). Scripts use the
 * file store (fileLimitMemory.ts); the extension supplies one over `globalState`.
 */
export interface LimitMemoryStore {
  /** What was saved under `id`, as stored. Untrusted: the budget validates it (`readBudgetMemory`). */
  read(id: string): unknown;
  /** Best effort; must not throw (a failed write costs a learning 429 next time, nothing more). */
  write(id: string, memory: BudgetMemory): void;
}

export interface BudgetMemory {
  version: 1;
  savedAt: number;
  endpoints: Partial<Record<EndpointClass, GateMemory>>;
}

/** Cooldowns further out than this are not believed (Vast's longest known wait is the search quota's). */
const MAX_COOLDOWN_MS = 24 * 3600_000;
const MAX_REASON_LENGTH = 120;

/**
 * Validates what a store gave back: anything malformed, out of range, from the future or older than
 * a day is dropped field by field, so a damaged file costs at most what it held.
 */
export function readBudgetMemory(raw: unknown, now: number): BudgetMemory['endpoints'] {
  const endpoints: BudgetMemory['endpoints'] = {};
  if (!isRecord(raw) || raw.version !== 1 || !isRecord(raw.endpoints)) return endpoints;
  for (const endpoint of ENDPOINT_CLASSES) {
    const entry = raw.endpoints[endpoint];
    if (!isRecord(entry)) continue;
    const memory: GateMemory = {};
    const learned = entry.learned;
    if (
      isRecord(learned) &&
      isFiniteNumber(learned.ms) &&
      learned.ms > 0 &&
      learned.ms <= DEFAULT_AIMD.capMs &&
      (learned.how === 'threshold' || learned.how === 'aimd') &&
      isFiniteNumber(learned.at) &&
      learned.at <= now + 60_000 &&
      now - learned.at < DEFAULT_AIMD.forgetAfterMs
    ) {
      memory.learned = { ms: Math.ceil(learned.ms), how: learned.how, at: Math.min(learned.at, now) };
    }
    if (isFiniteNumber(entry.cooldownUntil) && entry.cooldownUntil > now && entry.cooldownUntil - now <= MAX_COOLDOWN_MS) {
      memory.cooldownUntil = entry.cooldownUntil;
      memory.cooldownReason = cleanReason(entry.cooldownReason);
    }
    if (memory.learned || memory.cooldownUntil) endpoints[endpoint] = memory;
  }
  return endpoints;
}

function cleanReason(value: unknown): string {
  if (typeof value !== 'string') return 'remembered from an earlier session';
  const printable = value.replace(/[^\x20-\x7e]/g, '').trim();
  return printable ? printable.slice(0, MAX_REASON_LENGTH) : 'remembered from an earlier session';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}
