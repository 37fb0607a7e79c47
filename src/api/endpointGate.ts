import pThrottle from 'p-throttle';
import type { Clock } from '../util/clock';
import { sleep } from '../util/sleep';
import { ENDPOINTS, type EndpointClass } from '../vast/endpoints';
import { formatDuration, formatUtcTime } from '../util/format';
import { DEFAULT_AIMD, learnedExpired, loweredInterval, raisedInterval, type AimdPolicy } from './aimd';
import { VastApiError, endpointTitle } from './errors';
import { localPermits, type GateReport, type LearnedInterval, type SendPermits } from './sendPermits';

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
  /** This caller's cap on a cooldown it will sit out (default: the gate's). */
  maxWaitMs?: number;
}

/** Call once the response (or failure) is in. `sequence` numbers the sends (for `backOff`). */
export type Release = (() => void) & { readonly sequence: number };

/** The interval below which the gate never goes: the published figure, or one a client configured. */
export interface IntervalFloor {
  ms: number;
  source: 'published' | 'configured';
}

/** What a budget keeps across restarts for one endpoint. */
export interface GateMemory {
  learned?: LearnedInterval;
  cooldownUntil?: number;
  cooldownReason?: string;
}

interface Waiter {
  resolve: (release: Release) => void;
  reject: (error: unknown) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
  maxWaitMs: number;
}

const RECENT_WINDOW_MS = 10 * 60_000;

/**
 * The gate every request to one endpoint class passes. p-throttle (strict, limit 1) spaces the
 * sends; because p-throttle fixes a call's delay when it is enqueued and cannot pause, the gate
 * keeps its own FIFO and hands p-throttle one request at a time. That lets a 429's wait hold back
 * everything queued, lets the interval change after a 429 teaches a new one, and lets a single
 * request be cancelled without disturbing the others. After a cooldown the queue leaves one by one
 * at the interval in force, never as a herd.
 *
 * The interval in force is the floor (published, or the strictest one configured by the clients
 * sharing this gate) raised by what 429s taught: `threshold=` exactly, otherwise AIMD (see aimd.ts).
 */
export class EndpointGate {
  private floor: IntervalFloor;
  private learned?: LearnedInterval;
  private slot: () => Promise<void>;
  /** The interval in force plus the margin (0: no spacing, p-throttle is skipped). */
  private spacingMs: number;
  private readonly queue: Waiter[] = [];
  private pumping = false;
  private pumpWait?: AbortController;
  private inFlight = 0;
  private cooldownUntil = 0;
  private cooldownReason?: string;
  /** Spacing owed to the last send after the interval changed (a new p-throttle knows no history). */
  private notBefore = 0;
  private lastSentAt?: number;
  /** Sends so far, and how many had been sent when a 429 last raised the interval. */
  private sends = 0;
  private sendsAtRaise = -1;
  private cleanRun = 0;
  /** The largest interval a threshold= taught (0: none): AIMD steps never go below it. */
  private thresholdMs = 0;
  private rateLimitedTotal = 0;
  private recent429: number[] = [];
  private lastError?: { at: number; message: string };
  private permits: SendPermits = localPermits;

  constructor(
    readonly endpoint: EndpointClass,
    interval: IntervalFloor,
    private readonly clock: Clock,
    /** Waits longer than this are not slept: requests fail fast, saying when to resume. */
    private readonly maxWaitMs: number,
    private readonly onChange: () => void,
    /**
     * Added to every interval: requests spaced exactly at the client can arrive closer together at
     * the server (network and event-loop jitter), and Vast measures at arrival.
     */
    private marginMs = 0,
    private readonly aimd: AimdPolicy = DEFAULT_AIMD,
    /** Told everything the gate learns (the budget persists it). */
    private readonly onLearned: (report: GateReport) => void = () => undefined,
  ) {
    this.floor = { ...interval };
    this.spacingMs = this.spacing(this.floor.ms);
    this.slot = makeSlot(this.spacingMs);
  }

  /**
   * The send slot at once when nothing is to be waited for (no spacing, no queue, no cooldown,
   * no other process to ask), else undefined: the caller then awaits `acquire`. Saves the hot path
   * (limits off, as against the local simulator) a promise and a turn of the event loop per request.
   */
  tryAcquireNow(): Release | undefined {
    if (this.queue.length === 0 && !this.pumping && this.spacingMs === 0 && this.permits === localPermits && this.held() <= 0) return this.sendNow();
    return undefined;
  }

  /** Resolves when this request may be sent. */
  acquire(options: AcquireOptions = {}): Promise<Release> {
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(signal.reason);
    const maxWaitMs = options.maxWaitMs ?? this.maxWaitMs;
    const remaining = this.cooldownUntil - this.clock.now();
    if (remaining > maxWaitMs || (remaining > 0 && options.failFastWhileCooling)) {
      return Promise.reject(this.cooldownError());
    }
    const now = this.tryAcquireNow();
    if (now) return Promise.resolve(now); // nothing to wait for: skip the queue and the pump
    return new Promise<Release>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, signal, maxWaitMs };
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
   * Holds the endpoint back for `ms` (a 429 answer). Requests already queued wait too; one whose
   * caller will not wait that long fails now, since nobody should sit in a queue for hours.
   */
  coolDown(ms: number, reason: string): void {
    if (this.extendCooldown(this.clock.now() + ms, reason)) {
      this.report({ kind: 'rate-limited', cooldownUntil: this.cooldownUntil, reason });
    }
  }

  /** Raises the interval to one `threshold=` taught; never lowers it (a 429 can come from other clients on the key). */
  learnInterval(ms: number): void {
    const now = this.clock.now();
    this.thresholdMs = Math.max(this.thresholdMs, ms);
    if (ms <= this.intervalMs) {
      this.touchLearned(now);
      return;
    }
    this.setLearned({ ms, how: 'threshold', at: now }, true);
  }

  /**
   * A 429 without a threshold: raise the interval multiplicatively (AIMD). `sequence` is the
   * refused send's (`Release.sequence`): a 429 for a request that left before the last raise, at
   * the old spacing, says nothing new.
   */
  backOff(sequence: number): void {
    const now = this.clock.now();
    if (sequence <= this.sendsAtRaise) return;
    this.sendsAtRaise = this.sends;
    const ms = raisedInterval(this.intervalMs, ENDPOINTS[this.endpoint].publishedIntervalMs, this.aimd);
    if (ms <= this.intervalMs) {
      this.touchLearned(now);
      return;
    }
    this.setLearned({ ms, how: 'aimd', at: now }, true);
  }

  /**
   * What another process (or an earlier run) learned: taken when it is stricter than what this gate
   * has and not yet a day old. Not reported back to the permits (that would echo).
   */
  adoptLearned(learned: LearnedInterval): void {
    if (learnedExpired(learned.at, this.clock.now(), this.aimd)) return;
    if (this.learned && learned.ms <= this.learned.ms) return;
    this.setLearned(learned, false);
  }

  /** A cooldown another process (or an earlier run) started; not reported back. */
  adoptCooldown(until: number, reason: string): void {
    this.extendCooldown(until, reason);
  }

  /** Counts a 429 (for the status bar, the ten-minute tally, and the clean run). */
  noteRateLimited(): void {
    const now = this.clock.now();
    this.rateLimitedTotal++;
    this.recent429.push(now);
    this.cleanRun = 0;
    this.onChange();
  }

  noteError(message: string): void {
    this.lastError = { at: this.clock.now(), message };
    this.onChange();
  }

  /** A clean answer. After a run of them, an AIMD-learned interval steps down toward the floor. */
  noteSuccess(): void {
    if (this.lastError) {
      this.lastError = undefined;
      this.onChange();
    }
    if (this.learned?.how !== 'aimd' || this.learned.ms <= this.floor.ms) return;
    if (++this.cleanRun < this.aimd.cleanRunLength) return;
    this.cleanRun = 0;
    // Never below what a threshold= said, either: that one is known, not guessed.
    const ms = loweredInterval(this.learned.ms, Math.max(this.floor.ms, this.thresholdMs), ENDPOINTS[this.endpoint].publishedIntervalMs, this.aimd);
    if (ms > Math.max(this.floor.ms, this.thresholdMs)) this.setLearned({ ...this.learned, ms }, true);
    else this.setLearned(this.thresholdMs > this.floor.ms ? { ms: this.thresholdMs, how: 'threshold', at: this.learned.at } : undefined, true);
  }

  /** The floor changed (a client sharing this gate came or went with its configured interval). */
  setFloor(floor: IntervalFloor): void {
    if (floor.ms === this.floor.ms && floor.source === this.floor.source) return;
    this.floor = { ...floor };
    this.respace();
  }

  setMargin(marginMs: number): void {
    if (marginMs === this.marginMs) return;
    this.marginMs = marginMs;
    this.respace();
  }

  /** Where permits come from from now on (see SendPermits). */
  usePermits(permits: SendPermits): void {
    this.permits = permits;
    this.pumpWait?.abort(); // a pending permit from the old source is not waited for
  }

  /** What is worth remembering across restarts. */
  memory(): GateMemory {
    this.forgetIfStale();
    const cooling = this.cooldownUntil > this.clock.now();
    return {
      learned: this.learned ? { ...this.learned } : undefined,
      cooldownUntil: cooling ? this.cooldownUntil : undefined,
      cooldownReason: cooling ? this.cooldownReason : undefined,
    };
  }

  /** The interval in force, ms. */
  get interval(): number {
    return this.intervalMs;
  }

  state(): GateState {
    this.forgetIfStale();
    const now = this.clock.now();
    this.recent429 = this.recent429.filter((at) => now - at < RECENT_WINDOW_MS);
    const cooling = this.cooldownUntil > now;
    return {
      endpoint: this.endpoint,
      title: endpointTitle(this.endpoint),
      intervalMs: this.intervalMs,
      intervalSource: this.learned && this.learned.ms > this.floor.ms ? 'learned' : this.floor.source,
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

  private get intervalMs(): number {
    return this.learned ? Math.max(this.learned.ms, this.floor.ms) : this.floor.ms;
  }

  private setLearned(learned: LearnedInterval | undefined, report: boolean): void {
    this.learned = learned;
    if (learned?.how === 'threshold') this.thresholdMs = Math.max(this.thresholdMs, learned.ms);
    if (!learned) this.thresholdMs = 0; // forgotten after a day, or the floor caught up
    this.cleanRun = 0;
    this.respace();
    if (report) this.report({ kind: 'interval', intervalMs: this.intervalMs, learned: this.learned });
  }

  private report(report: GateReport): void {
    this.permits.report(this.endpoint, report);
    this.onLearned(report);
  }

  /** Another 429 at or under what was learned: it stays a day from now. */
  private touchLearned(now: number): void {
    if (!this.learned) return;
    this.learned = { ...this.learned, at: now };
    this.report({ kind: 'interval', intervalMs: this.intervalMs, learned: this.learned });
  }

  /** A day without a 429: back to the floor. */
  private forgetIfStale(): void {
    if (this.learned && learnedExpired(this.learned.at, this.clock.now(), this.aimd)) this.setLearned(undefined, true);
  }

  private respace(): void {
    const spacing = this.spacing(this.intervalMs);
    this.spacingMs = spacing;
    this.slot = makeSlot(spacing);
    if (this.lastSentAt !== undefined) this.notBefore = this.lastSentAt + spacing;
    this.onChange();
  }

  private extendCooldown(until: number, reason: string): boolean {
    const extended = until > this.cooldownUntil;
    if (extended) {
      this.cooldownUntil = until;
      this.cooldownReason = reason;
    }
    const remaining = this.cooldownUntil - this.clock.now();
    const error = this.cooldownError();
    for (const waiter of [...this.queue]) {
      if (remaining > waiter.maxWaitMs) {
        this.queue.splice(this.queue.indexOf(waiter), 1);
        this.settle(waiter, () => waiter.reject(error));
      }
    }
    if (this.queue.length === 0) this.pumpWait?.abort();
    this.onChange();
    return extended;
  }

  /** An interval of 0 means no spacing at all (limits off); only a real interval gets the margin. */
  private spacing(intervalMs: number): number {
    return intervalMs > 0 ? intervalMs + this.marginMs : 0;
  }

  private held(): number {
    return Math.max(this.cooldownUntil, this.notBefore) - this.clock.now();
  }

  /**
   * Another process sent on this endpoint at `at` (epoch ms) with a slot this gate granted: the
   * next send here keeps the spacing from that moment, since the grant reached it a little later.
   */
  noteSentElsewhere(at: number): void {
    const due = at + this.spacing(this.intervalMs);
    if (due > this.notBefore) this.notBefore = due;
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.queue.length > 0) {
        this.forgetIfStale();
        const hold = this.held();
        if (hold > 0) {
          await this.waitUnlessEmptied((signal) => sleep(this.clock, hold, signal));
          continue;
        }
        if (this.spacingMs > 0) await this.slot();
        // A 429 may have arrived while we waited for the slot: its wait applies to this request too.
        if (this.held() > 0) continue;
        if (this.permits !== localPermits) {
          const permits = this.permits;
          if (!(await this.waitUnlessEmptied((signal) => permits.permit(this.endpoint, signal)))) continue;
          if (this.held() > 0) continue;
        }
        const waiter = this.queue.shift();
        if (!waiter) break;
        const release = this.sendNow();
        this.settle(waiter, () => waiter.resolve(release));
      }
    } finally {
      this.pumping = false;
    }
  }

  /** Runs `wait`, aborting it if the queue empties (or the permit source changes). True if it completed. */
  private async waitUnlessEmptied(wait: (signal: AbortSignal) => Promise<void>): Promise<boolean> {
    const controller = new AbortController();
    this.pumpWait = controller;
    try {
      await wait(controller.signal);
      return true;
    } catch {
      // Woken early (queue emptied, permit source changed, or the permit failed); the loop re-checks.
      return false;
    } finally {
      if (this.pumpWait === controller) this.pumpWait = undefined;
    }
  }

  /** Counts one request as sent now. */
  private sendNow(): Release {
    this.lastSentAt = this.clock.now();
    // Also guards the first send through a p-throttle made after an interval change.
    this.notBefore = this.lastSentAt + this.spacingMs;
    this.inFlight++;
    this.onChange();
    return this.releaseOnce(++this.sends);
  }

  private releaseOnce(sequence: number): Release {
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.inFlight--;
      this.onChange();
    };
    return Object.assign(release, { sequence });
  }

  private remove(waiter: Waiter): void {
    const index = this.queue.indexOf(waiter);
    if (index >= 0) this.queue.splice(index, 1);
    if (this.queue.length === 0) this.pumpWait?.abort();
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
