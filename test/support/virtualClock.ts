import FakeTimers from '@sinonjs/fake-timers';
import type { Clock, TimerHandle } from '../../src/util/clock';

/**
 * A virtual clock for tests and benchmarks that still talk real HTTP.
 *
 * It installs fake `Date`/`setTimeout`/`setInterval` globally (p-throttle reads the globals, so its
 * spacing runs on virtual time too) and moves time only when no tracked I/O is pending: a response
 * on the wire is never overtaken by a timer. `run(promise)` drives time until the promise settles.
 */
export class VirtualClock implements Clock {
  private readonly fake: FakeTimers.Clock;
  private busy = 0;
  private idleWaiters: Array<() => void> = [];

  constructor(startMs = Date.UTC(2026, 0, 1, 12, 0, 0)) {
    this.fake = FakeTimers.install({
      now: startMs,
      toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
    });
  }

  now(): number {
    return this.fake.now;
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    return this.fake.setTimeout(callback, ms);
  }

  clearTimeout(handle: TimerHandle): void {
    this.fake.clearTimeout(handle as FakeTimers.TimerId);
  }

  trackIo<T>(work: Promise<T>): Promise<T> {
    this.busy++;
    return work.finally(() => this.release());
  }

  parkIo<T>(wait: Promise<T>): Promise<T> {
    this.release();
    return wait.finally(() => {
      this.busy++;
      // The client may have hung up first (its abort settled the tracked work): back to idle.
      if (this.busy === 0) this.wakeIdle();
    });
  }

  /** Restores the real timers. Call in `afterEach`. */
  uninstall(): void {
    this.fake.uninstall();
  }

  /** Pending virtual timers (for asserting that nothing keeps polling). */
  pendingTimers(): number {
    return this.fake.countTimers();
  }

  /**
   * Moves time forward until `work` settles, firing timers in order and letting real I/O finish
   * between them. Throws if time would pass `limitMs` from now, or if nothing can make progress.
   */
  async run<T>(work: Promise<T>, limitMs = 24 * 3600_000): Promise<T> {
    let settled = false;
    const observed = work.then(
      (value) => {
        settled = true;
        return value;
      },
      (error) => {
        settled = true;
        throw error;
      },
    );
    observed.catch(() => undefined);
    const deadline = this.now() + limitMs;
    for (;;) {
      await this.quiesce();
      if (settled) return observed;
      if (this.fake.countTimers() === 0) {
        throw new Error('VirtualClock.run: no timers and no I/O pending, the work can never settle');
      }
      const next = this.nextTimerAt();
      if (next > deadline) {
        throw new Error(`VirtualClock.run: work still pending after ${limitMs} ms of virtual time`);
      }
      this.fake.next();
    }
  }

  /** Moves time forward by `ms`, firing due timers in order and letting real I/O finish between them. */
  async advance(ms: number): Promise<void> {
    const target = this.now() + ms;
    for (;;) {
      await this.quiesce();
      if (this.fake.countTimers() === 0 || this.nextTimerAt() > target) break;
      this.fake.next();
    }
    const rest = target - this.now();
    if (rest > 0) this.fake.tick(rest); // no timer is due before target, so this only moves time
    await this.quiesce();
  }

  /** Lets promise chains and tracked I/O run to completion without moving time. */
  async quiesce(): Promise<void> {
    for (;;) {
      await flushMacrotask();
      await flushMacrotask();
      if (this.busy <= 0) return;
      await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    }
  }

  private nextTimerAt(): number {
    // fake-timers has no public peek (`next()` fires the timer), so read its timer heap.
    const heap = (this.fake as unknown as { timerHeap?: { peek(): { callAt: number } | undefined } }).timerHeap;
    return heap?.peek()?.callAt ?? Infinity;
  }

  private release(): void {
    this.busy--;
    if (this.busy === 0) this.wakeIdle();
  }

  private wakeIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const wake of waiters) wake();
  }
}

function flushMacrotask(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
