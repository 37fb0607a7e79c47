/**
 * Time as the core sees it. Production code runs on `systemClock`; tests and benchmarks inject a
 * virtual clock so backoff, cooldowns and polling are exercised without sleeping.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
  /**
   * Wraps real I/O in progress (one HTTP exchange). A virtual clock never moves while tracked work
   * is pending, so it cannot jump over a response that is still on the wire.
   */
  trackIo<T>(work: Promise<T>): Promise<T>;
  /**
   * Wraps a deliberate wait on this clock made inside tracked I/O (the simulator delaying or
   * holding a response), so a virtual clock may move during it.
   */
  parkIo<T>(wait: Promise<T>): Promise<T>;
}

export type TimerHandle = unknown;

/** Reads the globals at call time, so a globally installed fake clock also drives it. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
  trackIo: (work) => work,
  parkIo: (wait) => wait,
};
