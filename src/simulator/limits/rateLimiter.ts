import { ENDPOINTS, type EndpointClass } from '../../vast/endpoints';
import type { Clock } from '../../util/clock';
import type { Random } from '../random/prng';
import { defaultRateLimitSettings, patchSettings, type RateLimitSettings, type RateLimitSettingsPatch } from './settings';

/** Why a request got a 429. */
export type LimitReason = 'interval' | 'penalty' | 'quota' | 'storm';

export interface LimitVerdict {
  reason: LimitReason;
  endpoint: EndpointClass;
  /** Clock time from which this key's request on this class would pass (for Retry-After). */
  retryAtMs: number;
}

/** Run-time control of the rate limiter (`sim.limits`). */
export interface RateLimitControl {
  readonly settings: Readonly<RateLimitSettings>;
  /** Changes settings from now on; per-key history is kept. */
  set(patch: RateLimitSettingsPatch): void;
  /** Every search gets 429 `search_quota_exceeded` with a Retry-After until `retryAfterMs` from now. */
  exhaustSearchQuota(retryAfterMs: number): void;
  /** Every API request gets a 429 (in the configured body style) for `durationMs` from now. */
  storm(durationMs: number): void;
  /** Forgets history, penalties, quota and storm. Settings stay as they are. */
  reset(): void;
  /** When a strict limiter would next accept this key on this class (now if already allowed). */
  allowedAt(endpoint: EndpointClass, keyId?: string): number;
}

interface KeyClassState {
  lastAcceptedAt?: number;
  lockedUntil?: number;
}

/**
 * Vast's model: a minimum interval per key and endpoint class, measured from the last *accepted*
 * request (refused ones do not count), plus a lock-out after a 429 on classes that publish a penalty.
 */
export class RateLimiter implements RateLimitControl {
  private current: RateLimitSettings;
  private state = new Map<string, KeyClassState>();
  private quotaUntil?: number;
  private stormUntil?: number;

  constructor(
    private readonly clock: Clock,
    private readonly random: Random,
    patch?: RateLimitSettingsPatch,
  ) {
    this.current = patchSettings(defaultRateLimitSettings(), patch);
  }

  get settings(): Readonly<RateLimitSettings> {
    return this.current;
  }

  set(patch: RateLimitSettingsPatch): void {
    this.current = patchSettings(this.current, patch);
  }

  exhaustSearchQuota(retryAfterMs: number): void {
    this.quotaUntil = this.clock.now() + retryAfterMs;
  }

  storm(durationMs: number): void {
    this.stormUntil = this.clock.now() + durationMs;
  }

  reset(): void {
    this.state.clear();
    this.quotaUntil = undefined;
    this.stormUntil = undefined;
  }

  allowedAt(endpoint: EndpointClass, keyId = 'key1'): number {
    const now = this.clock.now();
    const entry = this.state.get(stateKey(keyId, endpoint));
    let at = now;
    if (this.quotaUntil !== undefined && endpoint === 'search') at = Math.max(at, this.quotaUntil);
    if (this.stormUntil !== undefined) at = Math.max(at, this.stormUntil);
    if (this.current.enabled && entry) at = Math.max(at, this.intervalEnd(entry, endpoint));
    return at;
  }

  /** Internal: decides one request; an accepted one is recorded, a refused one may start a penalty. */
  check(keyId: string, endpoint: EndpointClass): LimitVerdict | undefined {
    const now = this.clock.now();
    if (endpoint === 'search' && this.quotaUntil !== undefined && now < this.quotaUntil) {
      return { reason: 'quota', endpoint, retryAtMs: this.quotaUntil };
    }
    if (this.stormUntil !== undefined && now < this.stormUntil) {
      return { reason: 'storm', endpoint, retryAtMs: this.stormUntil };
    }
    const key = stateKey(keyId, endpoint);
    const entry = this.state.get(key) ?? {};
    if (this.current.enabled) {
      const refusal = this.refusal(entry, endpoint, now);
      if (refusal) {
        const penaltyMs = ENDPOINTS[endpoint].penaltyMs;
        if (penaltyMs) entry.lockedUntil = now + penaltyMs;
        this.state.set(key, entry);
        return { reason: refusal, endpoint, retryAtMs: this.intervalEnd(entry, endpoint) };
      }
    }
    entry.lastAcceptedAt = now;
    this.state.set(key, entry);
    return undefined;
  }

  private refusal(entry: KeyClassState, endpoint: EndpointClass, now: number): LimitReason | undefined {
    if (entry.lockedUntil !== undefined && now < entry.lockedUntil) return 'penalty';
    if (entry.lastAcceptedAt === undefined) return undefined;
    const interval = this.current.intervalsMs[endpoint];
    const gap = now - entry.lastAcceptedAt;
    if (gap >= interval) return undefined;
    if (this.current.enforcement === 'strict') return 'interval';
    // Slightly early requests mostly pass, very early ones mostly fail.
    return this.random.chance(1 - gap / interval) ? 'interval' : undefined;
  }

  private intervalEnd(entry: KeyClassState, endpoint: EndpointClass): number {
    const afterInterval = (entry.lastAcceptedAt ?? -Infinity) + this.current.intervalsMs[endpoint];
    return Math.max(afterInterval, entry.lockedUntil ?? -Infinity, this.clock.now());
  }
}

function stateKey(keyId: string, endpoint: EndpointClass): string {
  return `${keyId}\u0000${endpoint}`;
}
