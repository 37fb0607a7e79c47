import type { Clock } from '../util/clock';
import { Emitter } from '../util/emitter';
import { ENDPOINTS, ENDPOINT_CLASSES, type EndpointClass } from '../vast/endpoints';
import { EndpointGate, type GateState } from './endpointGate';

/**
 * One gate per endpoint class for one identity (API key + host). Vast limits each endpoint per
 * key, so everything that uses the same key must share these gates: the client owns one set.
 */
export class RateLimitGates {
  private readonly gates = new Map<EndpointClass, EndpointGate>();
  private readonly changed = new Emitter<void>();
  private notifyQueued = false;

  /** Fires (at most once per microtask burst) when any gate's state changes. */
  readonly onDidChange = this.changed.event;

  constructor(
    clock: Clock,
    options: { intervalsMs?: Partial<Record<EndpointClass, number>>; maxWaitMs: number; spacingMarginMs?: number },
  ) {
    for (const endpoint of ENDPOINT_CLASSES) {
      const configured = options.intervalsMs?.[endpoint];
      const interval =
        configured !== undefined
          ? { ms: configured, source: 'configured' as const }
          : { ms: ENDPOINTS[endpoint].publishedIntervalMs, source: 'published' as const };
      this.gates.set(
        endpoint,
        new EndpointGate(endpoint, interval, clock, options.maxWaitMs, () => this.scheduleNotify(), options.spacingMarginMs),
      );
    }
  }

  get(endpoint: EndpointClass): EndpointGate {
    return this.gates.get(endpoint)!;
  }

  states(): GateState[] {
    return [...this.gates.values()].map((gate) => gate.state());
  }

  dispose(): void {
    this.changed.dispose();
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
