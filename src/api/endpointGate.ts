import pThrottle from 'p-throttle';
import type { Clock } from '../util/clock';
import { sleep } from '../util/sleep';
import type { EndpointClass } from '../vast/endpoints';
import { formatDuration, formatUtcTime } from '../util/format';
import { VastApiError, endpointTitle } from './errors';

export type IntervalSource = 'published' | 'configured' | 'learned';

/** What one endpoint's gate is doing, for the status bar and the log. */
export interface GateState {
  endpoint: EndpointClass;
  title: string;
  intervalMs: number;
  intervalSource: IntervalSource;
  /** Requests waiting for their turn. */
  queued: number;
  /** Requests sent and not yet answered. */
  inFlight: number;
  /** While a 429 wait holds the endpoint back: when it ends (epoch ms). */
  cooldownUntil?: number;
  cooldownReason?: string;
  rateLimitedTotal: number;
  /** 429s in the last ten minutes. */
  rateLimitedRecent: number;
  lastRequestAt?: number;
  lastError?: { at: number; message: string };
}

export interface AcquireOptions {
  signal?: AbortSignal;
  /** A retry goes before requests that have not been tried yet. */
  front?: boolean;
  /** Fail at once instead of waiting out a cooldown (a caller with a cached answer to serve). */
  failFastWhileCooling?: boolean;
}

/** Call once the response (or failure) is in. */
export type Release = () => void;

interface Waiter {
  resolve: (release: Release) => void;
  reject: (error: unknown) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

const RECENT_WINDOW_MS = 10 * 60_000;

/**
 * The gate every request to one endpoint class passes. p-throttle (strict, limit 1) spaces the
 * sends; because p-throttle fixes a call's delay when it is enqueued and cannot pause, the gate
 * keeps its own FIFO and hands p-throttle one request at a time. That lets a 429's wait hold back
 * everything queued, lets the interval change after a 429 teaches a new one, and lets a single
 * request be cancelled without disturbing the others.
 */
export class EndpointGate {
  private intervalMs: number;
  private intervalSource: IntervalSource;
  private slot: () => Promise<void>;
  private readonly queue: Waiter[] = [];
  private pumping = false;
  private pumpSleep?: AbortController;
  private inFlight = 0;
  private cooldownUntil = 0;
  private cooldownReason?: string;
  /** Spacing owed to the last send after the interval changed (a new p-throttle knows no history). */
  private notBefore = 0;
  private lastSentAt?: number;
  private rateLimitedTotal = 0;
  private recent429: number[] = [];
  private lastError?: { at: number; message: string };

  constructor(
    readonly endpoint: EndpointClass,
    interval: { ms: number; source: IntervalSource },
    private readonly clock: Clock,
    /** Waits longer than this are not slept: requests fail fast, saying when to resume. */
    private readonly maxWaitMs: number,
    private readonly onChange: () => void,
    /**
     * Added to every interval: requests spaced exactly at the client can arrive closer together at
     * the server (network and event-loop jitter), and Vast measures at arrival.
     */
    private readonly marginMs = 0,
  ) {
    this.intervalMs = interval.ms;
    this.intervalSource = interval.source;
    this.slot = makeSlot(this.spacing(this.intervalMs));
  }

  /** Resolves when this request may be sent. */
  acquire(options: AcquireOptions = {}): Promise<Release> {
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(signal.reason);
    const remaining = this.cooldownUntil - this.clock.now();
    if (remaining > this.maxWaitMs || (remaining > 0 && options.failFastWhileCooling)) {
      return Promise.reject(this.cooldownError());
    }
    return new Promise<Release>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, signal };
      if (signal) {
        waiter.onAbort = () => {
          this.remove(waiter);
          reject(signal.reason);
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      if (options.front) this.queue.unshift(waiter);
      else this.queue.push(waiter);
      this.onChange();
      void this.pump();
    });
  }

  /**
   * Holds the endpoint back for `ms` (a 429 answer). Requests already queued wait too; a wait past
   * the cap fails them now, since nobody should sit in a queue for hours.
   */
  coolDown(ms: number, reason: string): void {
    const until = this.clock.now() + ms;
    if (until > this.cooldownUntil) {
      this.cooldownUntil = until;
      this.cooldownReason = reason;
    }
    if (ms > this.maxWaitMs) {
      const error = this.cooldownError();
      for (const waiter of this.queue.splice(0)) this.settle(waiter, () => waiter.reject(error));
      this.pumpSleep?.abort();
    }
    this.onChange();
  }

  /** Raises the interval to one a 429 taught; never lowers it (a 429 can come from other clients on the key). */
  learnInterval(ms: number): void {
    if (ms <= this.intervalMs) return;
    this.intervalMs = ms;
    this.intervalSource = 'learned';
    this.slot = makeSlot(this.spacing(ms));
    if (this.lastSentAt !== undefined) this.notBefore = this.lastSentAt + this.spacing(ms);
    this.onChange();
  }

  /** Counts a 429 (for the status bar and the ten-minute tally). */
  noteRateLimited(): void {
    this.rateLimitedTotal++;
    this.recent429.push(this.clock.now());
    this.onChange();
  }

  noteError(message: string): void {
    this.lastError = { at: this.clock.now(), message };
    this.onChange();
  }

  noteSuccess(): void {
    if (this.lastError) {
      this.lastError = undefined;
      this.onChange();
    }
  }

  /** An interval of 0 means no spacing at all (limits off); only a real interval gets the margin. */
  private spacing(intervalMs: number): number {
    return intervalMs > 0 ? intervalMs + this.marginMs : 0;
  }

  get interval(): number {
    return this.intervalMs;
  }

  state(): GateState {
    const now = this.clock.now();
    this.recent429 = this.recent429.filter((at) => now - at < RECENT_WINDOW_MS);
    const cooling = this.cooldownUntil > now;
    return {
      endpoint: this.endpoint,
      title: endpointTitle(this.endpoint),
      intervalMs: this.intervalMs,
      intervalSource: this.intervalSource,
      queued: this.queue.length,
      inFlight: this.inFlight,
      cooldownUntil: cooling ? this.cooldownUntil : undefined,
      cooldownReason: cooling ? this.cooldownReason : undefined,
      rateLimitedTotal: this.rateLimitedTotal,
      rateLimitedRecent: this.recent429.length,
      lastRequestAt: this.lastSentAt,
      lastError: this.lastError,
    };
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.queue.length > 0) {
        const holdUntil = Math.max(this.cooldownUntil, this.notBefore);
        const hold = holdUntil - this.clock.now();
        if (hold > 0) {
          await this.sleepUnlessEmptied(hold);
          continue;
        }
        await this.slot();
        // A 429 may have arrived while we waited for the slot: its wait applies to this request too.
        if (Math.max(this.cooldownUntil, this.notBefore) > this.clock.now()) continue;
        const waiter = this.queue.shift();
        if (!waiter) break;
        this.lastSentAt = this.clock.now();
        this.inFlight++;
        this.settle(waiter, () => waiter.resolve(this.releaseOnce()));
        this.onChange();
      }
    } finally {
      this.pumping = false;
    }
  }

  private async sleepUnlessEmptied(ms: number): Promise<void> {
    this.pumpSleep = new AbortController();
    try {
      await sleep(this.clock, ms, this.pumpSleep.signal);
    } catch {
      // Woken early because the queue emptied; the loop re-checks.
    } finally {
      this.pumpSleep = undefined;
    }
  }

  private releaseOnce(): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inFlight--;
      this.onChange();
    };
  }

  private remove(waiter: Waiter): void {
    const index = this.queue.indexOf(waiter);
    if (index >= 0) this.queue.splice(index, 1);
    if (this.queue.length === 0) this.pumpSleep?.abort();
    this.onChange();
  }

  private settle(waiter: Waiter, action: () => void): void {
    if (waiter.onAbort) waiter.signal?.removeEventListener('abort', waiter.onAbort);
    action();
  }

  private cooldownError(): VastApiError {
    const resumeAt = this.cooldownUntil;
    const now = this.clock.now();
    return new VastApiError(
      'rate-limited',
      `Vast.ai is rate-limiting ${endpointTitle(this.endpoint)}` +
        `${this.cooldownReason ? ` (${this.cooldownReason})` : ''}; ` +
        `try again in ${formatDuration(resumeAt - now)} (at ${formatUtcTime(resumeAt, now)}).`,
      { endpoint: this.endpoint, status: 429, resumeAt },
    );
  }
}

function makeSlot(intervalMs: number): () => Promise<void> {
  const throttled = pThrottle({ limit: 1, interval: intervalMs, strict: true })(() => undefined);
  return async () => {
    await throttled();
  };
}
