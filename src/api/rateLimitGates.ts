import type { Clock } from '../util/clock';
import { Emitter, type Disposable } from '../util/emitter';
import { ENDPOINTS, ENDPOINT_CLASSES, type EndpointClass } from '../vast/endpoints';
import { EndpointGate, type GateState, type IntervalFloor } from './endpointGate';
import { readBudgetMemory, type BudgetMemory, type LimitMemoryStore } from './limitMemory';
import { localPermits, type SendPermits } from './sendPermits';

/** What one client asks of the budget it joins. */
export interface BudgetMember {
  /** Configured minimum intervals (ms) per endpoint, overriding the published ones. */
  intervalsMs?: Partial<Record<EndpointClass, number>>;
  /** Extra spacing on every interval. */
  spacingMarginMs?: number;
}

/**
 * The rate-limit budget of one identity (API host + key): one gate per endpoint class. Vast limits
 * each endpoint per key, so every client on the same host and key shares one of these (see
 * BudgetRegistry).
 *
 * When several clients share it, their options combine to the strictest: each endpoint's floor is
 * the largest interval any live member configured (a member that configured nothing counts with
 * the published figure), and the spacing margin is the largest. A member's departure (dispose)
 * relaxes it again. Per-request limits (retries, how long a caller waits) stay per client.
 */
export class RateLimitGates {
  private readonly gates = new Map<EndpointClass, EndpointGate>();
  private readonly changed = new Emitter<void>();
  private readonly members = new Set<BudgetMember>();
  private notifyQueued = false;
  private saveQueued = false;
  private memoryStore?: LimitMemoryStore;
  private coordinator: SendPermits = localPermits;

  /** Fires (at most once per microtask burst) when any gate's state changes. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly clock: Clock,
    options: BudgetMember & { maxWaitMs: number; id?: string; memory?: LimitMemoryStore },
  ) {
    /** Not secret: a hash of host and key fingerprint, for stores and coordination. */
    this.id = options.id ?? 'unshared';
    for (const endpoint of ENDPOINT_CLASSES) {
      this.gates.set(
        endpoint,
        new EndpointGate(
          endpoint,
          floorFor(endpoint, [options]),
          clock,
          options.maxWaitMs,
          () => this.scheduleNotify(),
          options.spacingMarginMs ?? 0,
          undefined,
          () => this.scheduleSave(),
        ),
      );
    }
    if (options.memory) this.useMemory(options.memory);
  }

  readonly id: string;

  get(endpoint: EndpointClass): EndpointGate {
    return this.gates.get(endpoint)!;
  }

  states(): GateState[] {
    return [...this.gates.values()].map((gate) => gate.state());
  }

  /** A client starts spending this budget with its options; dispose the result when it stops. */
  join(member: BudgetMember): Disposable {
    const entry = { ...member };
    this.members.add(entry);
    this.recombine();
    return {
      dispose: () => {
        if (this.members.delete(entry)) this.recombine();
      },
    };
  }

  get memberCount(): number {
    return this.members.size;
  }

  /**
   * Keeps what is learned in `store`, and takes what it remembers now (a warm start). The first
   * store given wins; later ones are ignored.
   */
  useMemory(store: LimitMemoryStore): void {
    if (this.memoryStore) return;
    this.memoryStore = store;
    let raw: unknown;
    try {
      raw = store.read(this.id);
    } catch {
      return; // unreadable memory is no memory
    }
    const remembered = readBudgetMemory(raw, this.clock.now());
    for (const [endpoint, memory] of Object.entries(remembered) as Array<[EndpointClass, NonNullable<BudgetMemory['endpoints'][EndpointClass]>]>) {
      const gate = this.get(endpoint);
      if (memory.learned) gate.adoptLearned(memory.learned);
      if (memory.cooldownUntil) gate.adoptCooldown(memory.cooldownUntil, memory.cooldownReason ?? 'remembered');
    }
  }

  /**
   * The seam for cross-process coordination: from now on every gate takes its send permits from
   * `permits` and reports what it learns to it. Dispose to go back to local permits.
   */
  usePermits(permits: SendPermits): Disposable {
    this.coordinator = permits;
    for (const gate of this.gates.values()) gate.usePermits(permits);
    return {
      dispose: () => {
        if (this.coordinator !== permits) return;
        this.coordinator = localPermits;
        for (const gate of this.gates.values()) gate.usePermits(localPermits);
      },
    };
  }

  get permits(): SendPermits {
    return this.coordinator;
  }

  dispose(): void {
    this.changed.dispose();
  }

  private recombine(): void {
    if (this.members.size === 0) return; // keep the last combination until someone joins again
    const members = [...this.members];
    const margin = Math.max(...members.map((m) => m.spacingMarginMs ?? 0));
    for (const [endpoint, gate] of this.gates) {
      gate.setFloor(floorFor(endpoint, members));
      gate.setMargin(margin);
    }
  }

  private scheduleSave(): void {
    if (!this.memoryStore || this.saveQueued) return;
    this.saveQueued = true;
    queueMicrotask(() => {
      this.saveQueued = false;
      const endpoints: BudgetMemory['endpoints'] = {};
      for (const [endpoint, gate] of this.gates) {
        const memory = gate.memory();
        if (memory.learned || memory.cooldownUntil) endpoints[endpoint] = memory;
      }
      try {
        this.memoryStore?.write(this.id, { version: 1, savedAt: this.clock.now(), endpoints });
      } catch {
        // Best effort: a store must not break requests.
      }
    });
  }

  private scheduleNotify(): void {
    if (this.notifyQueued || !this.changed.hasListeners) return;
    this.notifyQueued = true;
    queueMicrotask(() => {
      this.notifyQueued = false;
      this.changed.fire();
    });
  }
}

/** The strictest interval the members configured, or the published one when none did. */
function floorFor(endpoint: EndpointClass, members: readonly BudgetMember[]): IntervalFloor {
  const published = ENDPOINTS[endpoint].publishedIntervalMs;
  let floor: IntervalFloor | undefined;
  for (const member of members) {
    const configured = member.intervalsMs?.[endpoint];
    const candidate: IntervalFloor = configured !== undefined ? { ms: configured, source: 'configured' } : { ms: published, source: 'published' };
    if (!floor || candidate.ms > floor.ms) floor = candidate;
  }
  return floor ?? { ms: published, source: 'published' };
}
