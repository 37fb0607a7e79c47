import type { Clock } from '../util/clock';
import type { Offer } from '../vast/types';
import { isVastApiError } from './errors';
import { errorMessage } from '../util/errorMessage';

/** Offers plus where they came from, so the UI can say "cached, 40 s old". */
export interface SearchResult {
  offers: Offer[];
  /** `network`: fetched for this call; `cache`: still fresh from an earlier call; `stale`: older than the TTL, served because Vast could not answer. */
  source: 'network' | 'cache' | 'stale';
  /** When Vast produced these offers (epoch ms). */
  fetchedAt: number;
  ageMs: number;
  /** For `stale`: why a fresh answer could not be had. */
  staleReason?: string;
}

/** Fetches offers; `failFast` asks for the first failure at once, as a cached answer is waiting. */
export type OfferFetcher = (options: { failFast: boolean; signal: AbortSignal }) => Promise<Offer[]>;

interface Entry {
  offers: Offer[];
  fetchedAt: number;
}

interface Pending {
  promise: Promise<SearchResult>;
  controller: AbortController;
  callers: number;
}

/**
 * Search results by query: fresh ones answer identical queries for `ttlMs` without a request,
 * identical concurrent queries share one request, and when Vast answers 429 or fails the last good
 * result is served, marked stale with its age.
 */
export class SearchCache {
  private readonly entries = new Map<string, Entry>();
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs: number,
    private readonly maxEntries = 200,
    /** Older than this, a result is not worth serving even as stale. */
    private readonly maxStaleMs = 24 * 3600_000,
  ) {}

  async get(key: string, fetcher: OfferFetcher, options: { signal?: AbortSignal; refresh?: boolean } = {}): Promise<SearchResult> {
    const now = this.clock.now();
    const entry = this.entries.get(key);
    if (entry && !options.refresh && now - entry.fetchedAt < this.ttlMs) {
      return { offers: entry.offers, source: 'cache', fetchedAt: entry.fetchedAt, ageMs: now - entry.fetchedAt };
    }
    let pending = this.pending.get(key);
    if (!pending) {
      pending = this.start(key, fetcher);
      this.pending.set(key, pending);
    }
    return this.join(pending, options.signal);
  }

  clear(): void {
    this.entries.clear();
  }

  private start(key: string, fetcher: OfferFetcher): Pending {
    const controller = new AbortController();
    const fallback = this.entries.get(key);
    const usable = fallback && this.clock.now() - fallback.fetchedAt < this.maxStaleMs ? fallback : undefined;
    const promise = (async (): Promise<SearchResult> => {
      try {
        const offers = await fetcher({ failFast: usable !== undefined, signal: controller.signal });
        const fetchedAt = this.clock.now();
        this.store(key, { offers, fetchedAt });
        return { offers, source: 'network', fetchedAt, ageMs: 0 };
      } catch (error) {
        if (usable && !controller.signal.aborted && isFallbackWorthy(error)) {
          return {
            offers: usable.offers,
            source: 'stale',
            fetchedAt: usable.fetchedAt,
            ageMs: this.clock.now() - usable.fetchedAt,
            staleReason: errorMessage(error),
          };
        }
        throw error;
      } finally {
        this.pending.delete(key);
      }
    })();
    return { promise, controller, callers: 0 };
  }

  /** Shares one request; it is cancelled only when every caller waiting on it has cancelled. */
  private join(pending: Pending, signal?: AbortSignal): Promise<SearchResult> {
    pending.callers++;
    if (!signal) return pending.promise;
    return new Promise<SearchResult>((resolve, reject) => {
      const onAbort = () => {
        reject(signal.reason);
        if (--pending.callers === 0) pending.controller.abort(signal.reason);
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      pending.promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  private store(key: string, entry: Entry): void {
    this.entries.delete(key); // re-insert: Map order is the eviction order
    this.entries.set(key, entry);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }
}

/** Vast could not answer right now; a query or key problem is not hidden behind old data. */
function isFallbackWorthy(error: unknown): boolean {
  return (
    isVastApiError(error, 'rate-limited') ||
    isVastApiError(error, 'server') ||
    isVastApiError(error, 'network') ||
    isVastApiError(error, 'invalid-response')
  );
}
