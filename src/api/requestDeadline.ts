import type { Clock, TimerHandle } from '../util/clock';

type AbortListener = () => void;

/**
 * One request's deadline, handed to node-fetch as its abort signal: it aborts when the time is up
 * on `clock` or when the caller's signal aborts.
 *
 * Not an AbortController: node-fetch takes any object tagged "AbortSignal" and only reads `aborted`
 * and adds and removes one 'abort' listener. A real AbortSignal is an EventTarget, and building one
 * and keeping node-fetch's listener on it cost about a twentieth of a show-instance request's CPU
 * on the bench, more than everything else the client adds to node-fetch. The caller's own signal
 * stays a real one; this only listens to it.
 */
export class RequestDeadline {
  aborted = false;
  reason: unknown = undefined;
  private expired = false;
  private listeners: AbortListener[] = [];
  private readonly timer: TimerHandle;
  private readonly onParentAbort?: () => void;

  constructor(
    private readonly clock: Clock,
    ms: number,
    private readonly parent?: AbortSignal,
  ) {
    this.timer = clock.setTimeout(() => {
      this.expired = true;
      this.abort(new Error(`timed out after ${ms} ms`));
    }, ms);
    if (parent?.aborted) this.abort(parent.reason);
    else if (parent) {
      this.onParentAbort = () => this.abort(parent.reason);
      parent.addEventListener('abort', this.onParentAbort, { once: true });
    }
  }

  get [Symbol.toStringTag](): string {
    return 'AbortSignal';
  }

  /** For node-fetch's `signal` option (the shape it checks and uses; see the class comment). */
  get signal(): AbortSignal {
    return this as unknown as AbortSignal;
  }

  /** True when the deadline passed (rather than the caller aborting). */
  timedOut(): boolean {
    return this.expired;
  }

  addEventListener(type: string, listener: AbortListener): void {
    if (type === 'abort' && !this.listeners.includes(listener)) this.listeners.push(listener);
  }

  removeEventListener(type: string, listener: AbortListener): void {
    if (type !== 'abort') return;
    const index = this.listeners.indexOf(listener);
    if (index >= 0) this.listeners.splice(index, 1);
  }

  throwIfAborted(): void {
    if (this.aborted) throw this.reason;
  }

  /** Stops the timer and detaches from the caller's signal; call when the exchange is over. */
  dispose(): void {
    this.clock.clearTimeout(this.timer);
    if (this.onParentAbort) this.parent?.removeEventListener('abort', this.onParentAbort);
  }

  private abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    for (const listener of [...this.listeners]) listener();
  }
}
