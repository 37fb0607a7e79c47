import type { EndpointClass } from '../../vast/endpoints';
import type { Clock } from '../../util/clock';
import type { ActiveFault, FaultRule } from './faultRule';

const DEFAULT_STATUS = 502;
const DEFAULT_DELAY_MS = 10_000;

interface StoredFault extends FaultRule {
  id: number;
  remaining: number;
}

/** Run-time control of injected faults (`sim.faults`). Faults apply after auth and rate limiting. */
export interface FaultControl {
  add(rule: FaultRule): number;
  remove(id: number): void;
  clear(): void;
  /** Rules still able to fire, in matching order. */
  list(): ActiveFault[];
}

/** Fault rules, matched in the order they were added; the first live match takes the request. */
export class FaultRules implements FaultControl {
  private rules: StoredFault[] = [];
  private nextId = 1;

  constructor(private readonly clock: Clock) {}

  add(rule: FaultRule): number {
    if (rule.kind === 'status' && rule.status !== undefined && (rule.status < 500 || rule.status > 599)) {
      throw new RangeError(`fault status must be 5xx, got ${rule.status}`);
    }
    if (rule.kind === 'respond' && !rule.response) throw new RangeError('a respond fault needs a response');
    if (rule.times !== undefined && !(rule.times >= 1)) throw new RangeError('fault times must be >= 1');
    const remaining = rule.times ?? (rule.untilMs === undefined ? 1 : Infinity);
    const stored: StoredFault = {
      ...rule,
      status: rule.kind === 'status' ? (rule.status ?? DEFAULT_STATUS) : rule.status,
      delayMs: rule.kind === 'slow' || rule.kind === 'late-commit' ? (rule.delayMs ?? DEFAULT_DELAY_MS) : rule.delayMs,
      id: this.nextId++,
      remaining,
    };
    this.rules.push(stored);
    return stored.id;
  }

  remove(id: number): void {
    this.rules = this.rules.filter((rule) => rule.id !== id);
  }

  clear(): void {
    this.rules = [];
  }

  list(): ActiveFault[] {
    this.prune();
    return this.rules.map((rule) => ({ ...rule }));
  }

  /** Internal: the fault for this request, using up one of its hits. */
  take(endpoint: EndpointClass): ActiveFault | undefined {
    this.prune();
    const rule = this.rules.find((candidate) => appliesTo(candidate, endpoint));
    if (!rule) return undefined;
    rule.remaining--;
    const taken = { ...rule };
    this.prune();
    return taken;
  }

  private prune(): void {
    const now = this.clock.now();
    this.rules = this.rules.filter((rule) => rule.remaining > 0 && (rule.untilMs === undefined || now < rule.untilMs));
  }
}

function appliesTo(rule: FaultRule, endpoint: EndpointClass): boolean {
  if (rule.endpoint === undefined) return true;
  return Array.isArray(rule.endpoint) ? rule.endpoint.includes(endpoint) : rule.endpoint === endpoint;
}
