import type { EndpointClass } from '../vast/endpoints';

/**
 * The seam between a budget's gates and whatever else spends the same key. A gate first applies its
 * own spacing and cooldown, then asks its `SendPermits` for a permit before letting the head of its
 * queue go, and tells it everything it learns. The default (`localPermits`) grants at once and
 * ignores reports: the process is alone. A cross-process coordinator (leader/follower) implements
 * it to take slots from the leader and forward what this process learned; what it hears from other
 * processes it applies to the gates with `EndpointGate.coolDown` and `EndpointGate.adoptLearned`.
 */
export interface SendPermits {
  /**
   * Resolves when one request on `endpoint` may be sent now. The gate calls it once per send, in
   * queue order, never twice at once for one endpoint. Rejects with `signal.reason` when aborted
   * (the gate aborts when its queue empties; a permit granted after that is simply unused).
   * It should not reject otherwise: when the other side is unreachable, grant locally instead.
   */
  permit(endpoint: EndpointClass, signal: AbortSignal): Promise<void>;
  /** What the gate learned, as it learns it. Must not throw. */
  report(endpoint: EndpointClass, report: GateReport): void;
}

export type GateReport =
  /** A 429: the endpoint is held back until `cooldownUntil` (epoch ms). */
  | { kind: 'rate-limited'; cooldownUntil: number; reason: string }
  /** The interval in force changed because of a 429 or a clean run (`learned`), or went back to the floor. */
  | { kind: 'interval'; intervalMs: number; learned?: LearnedInterval };

/** An interval raised above the published/configured figure, and why. */
export interface LearnedInterval {
  ms: number;
  /** `threshold`: Vast's `threshold=` said so; `aimd`: raised by 429s without one. */
  how: 'threshold' | 'aimd';
  /** When it was last raised (epoch ms); it is forgotten a day after the last 429. */
  at: number;
}

/** The process is alone on its key: every permit at once. */
export const localPermits: SendPermits = {
  permit: (_endpoint, signal) => (signal.aborted ? Promise.reject(signal.reason) : Promise.resolve()),
  report: () => undefined,
};
